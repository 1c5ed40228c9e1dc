using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ravada.Core.Requests;
using Ravada.Data.Tests.Support;
using Ravada.Data.Wakeup;

namespace Ravada.Data.Tests.Wakeup;

public sealed class UnixDatagramWakeupTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ravada-wakeup-").FullName;

    private string SocketPath => Path.Combine(directory, "run", "ravada", "rvd_back.sock");

    private IOptions<RequestWakeupOptions> Options => Microsoft.Extensions.Options.Options.Create(new RequestWakeupOptions { WakeupSocket = SocketPath });

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_datagram_names_the_class_to_the_listener()
    {
        await using var recorder = await ListeningAsync();
        using var sender = new UnixDatagramWakeup(Options, NullLogger<UnixDatagramWakeup>.Instance);

        await sender.NotifyAsync(RequestClass.Disk, Cancel);
        await sender.NotifyAsync(RequestClass.Interactive, Cancel);

        Assert.Equal(RequestClass.Disk, await recorder.NextAsync());
        Assert.Equal(RequestClass.Interactive, await recorder.NextAsync());
    }

    [Fact]
    public async Task The_listener_creates_its_directory_and_lets_anyone_send()
    {
        await using var recorder = await ListeningAsync();

        var everyone = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        Assert.Equal(everyone, File.GetUnixFileMode(SocketPath) & everyone);
        Assert.Equal(UnixFileMode.OtherExecute, File.GetUnixFileMode(Path.GetDirectoryName(SocketPath)!) & UnixFileMode.OtherExecute);
    }

    [Fact]
    public async Task Datagrams_that_name_no_class_are_ignored()
    {
        await using var recorder = await ListeningAsync();
        using var stranger = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        using var sender = new UnixDatagramWakeup(Options, NullLogger<UnixDatagramWakeup>.Instance);

        await stranger.SendToAsync("reboot everything"u8.ToArray(), SocketFlags.None, new UnixDomainSocketEndPoint(SocketPath), Cancel);
        await sender.NotifyAsync(RequestClass.Maintenance, Cancel);

        Assert.Equal(RequestClass.Maintenance, await recorder.NextAsync());
    }

    [Fact]
    public async Task A_socket_file_left_by_a_dead_listener_is_replaced()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SocketPath)!);
        using (var dead = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified))
        {
            dead.Bind(new UnixDomainSocketEndPoint(SocketPath));
        }

        await using var recorder = new WakeupRecorder(new UnixDatagramWakeupListener(Options));
        using var sender = new UnixDatagramWakeup(Options, NullLogger<UnixDatagramWakeup>.Instance);
        while (!recorder.HasMore)
        {
            await sender.NotifyAsync(RequestClass.Maintenance, Cancel);
            await Task.Delay(10, Cancel);
        }

        Assert.Equal(RequestClass.Maintenance, await recorder.NextAsync());
    }

    [Fact]
    public async Task A_second_listener_on_a_live_socket_is_refused()
    {
        await using var first = await ListeningAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in new UnixDatagramWakeupListener(Options).ListenAsync(Cancel))
            {
            }
        });

        Assert.StartsWith($"backend.wakeup_socket: another process listens on {SocketPath}", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(SocketPath));
    }

    [Fact]
    public async Task The_listener_removes_its_socket_when_it_stops()
    {
        var recorder = await ListeningAsync();

        await recorder.DisposeAsync();

        Assert.False(File.Exists(SocketPath));
    }

    [Fact]
    public async Task Sending_never_fails_nor_blocks_whether_nobody_listens_or_nobody_reads()
    {
        using var sender = new UnixDatagramWakeup(Options, NullLogger<UnixDatagramWakeup>.Instance);
        await sender.NotifyAsync(RequestClass.Interactive, Cancel);
        Directory.CreateDirectory(Path.GetDirectoryName(SocketPath)!);
        using var deaf = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        deaf.Bind(new UnixDomainSocketEndPoint(SocketPath));

        var clock = Stopwatch.StartNew();
        for (var index = 0; index < 10_000; index++)
        {
            await sender.NotifyAsync(RequestClass.Interactive, Cancel);
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"10,000 wake-ups to a full socket took {clock.Elapsed}");
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private async Task<WakeupRecorder> ListeningAsync()
    {
        var recorder = new WakeupRecorder(new UnixDatagramWakeupListener(Options));
        while (!File.Exists(SocketPath))
        {
            await Task.Delay(10, Cancel);
        }

        return recorder;
    }
}
