using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Ravada.Libvirt.Native;

namespace Ravada.Libvirt;

/// <summary>
/// Process-wide libvirt set-up: <c>virInitialize</c>, a no-op <c>virSetErrorFunc</c> (errors are read
/// with <c>virGetLastError</c> on the failing thread instead of being printed to stderr), and libvirt's
/// default event loop on one dedicated thread.
/// </summary>
/// <remarks>
/// libvirt's default event implementation is global to the process and cannot be unregistered, and it
/// must be registered before a connection is opened for that connection to deliver events, keepalives
/// and close notifications. So this is deliberately a process-wide, start-once facility rather than an
/// injectable service: <see cref="VirConnect.Open"/> calls <see cref="EnsureStarted"/> itself.
/// </remarks>
public static class VirEventLoop
{
    private static readonly Lock StartLock = new();
    private static Thread? loopThread;
    private static long iterations;

    /// <summary>The managed id of the event-loop thread, once started (callbacks run on it).</summary>
    public static int? ThreadId => loopThread?.ManagedThreadId;

    /// <summary>How many times the loop has run <c>virEventRunDefaultImpl</c>; for diagnostics.</summary>
    public static long Iterations => Interlocked.Read(ref iterations);

    /// <summary>Initializes libvirt and starts the event-loop thread, once per process.</summary>
    public static unsafe void EnsureStarted()
    {
        if (Volatile.Read(ref loopThread) is not null)
        {
            return;
        }

        lock (StartLock)
        {
            if (loopThread is not null)
            {
                return;
            }

            if (NativeMethods.virInitialize() < 0)
            {
                throw LibvirtException.FromLastError("virInitialize");
            }

            NativeMethods.virSetErrorFunc(0, &IgnoreError);
            if (NativeMethods.virEventRegisterDefaultImpl() < 0)
            {
                throw LibvirtException.FromLastError("virEventRegisterDefaultImpl");
            }

            var thread = new Thread(Run)
            {
                IsBackground = true,
                Name = "libvirt event loop",
            };
            thread.Start();
            Volatile.Write(ref loopThread, thread);
        }
    }

    /// <summary>Runs <paramref name="action"/> on the event-loop thread at its next iteration.</summary>
    /// <remarks>Used to make sure every callback queued before now has been delivered.</remarks>
    public static unsafe Task RunOnLoopAsync(Action action)
    {
        EnsureStarted();
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var state = GCHandle.Alloc(new ScheduledAction(action, completion));
        var timer = NativeMethods.virEventAddTimeout(0, &RunScheduled, GCHandle.ToIntPtr(state), &FreeScheduled);
        if (timer < 0)
        {
            state.Free();
            throw LibvirtException.FromLastError("virEventAddTimeout");
        }

        return completion.Task;
    }

    private static void Run()
    {
        while (true)
        {
            // Returns after each dispatched event or timeout; a failure here is not recoverable by
            // the loop itself, so it is counted and retried rather than killing the thread.
            _ = NativeMethods.virEventRunDefaultImpl();
            Interlocked.Increment(ref iterations);
        }
    }

    [UnmanagedCallersOnly]
    private static unsafe void IgnoreError(nint userData, VirErrorNative* error)
    {
    }

    [UnmanagedCallersOnly]
    private static void RunScheduled(int timer, nint opaque)
    {
        _ = NativeMethods.virEventRemoveTimeout(timer);
        var scheduled = (ScheduledAction)GCHandle.FromIntPtr(opaque).Target!;
        if (scheduled.Ran)
        {
            return;
        }

        scheduled.Ran = true;
        try
        {
            scheduled.Action();
            scheduled.Completion.TrySetResult();
        }
        catch (Exception exception)
        {
            scheduled.Completion.TrySetException(exception);
        }
    }

    [UnmanagedCallersOnly]
    private static void FreeScheduled(nint opaque) => GCHandle.FromIntPtr(opaque).Free();

    private sealed class ScheduledAction(Action action, TaskCompletionSource completion)
    {
        public Action Action { get; } = action;

        public TaskCompletionSource Completion { get; } = completion;

        public bool Ran { get; set; }
    }
}

/// <summary>Versions of the libvirt library loaded in this process.</summary>
public static class VirLibrary
{
    /// <summary>The version of <c>libvirt.so.0</c> (<c>virGetVersion</c>).</summary>
    public static Version GetVersion()
    {
        if (NativeMethods.virGetVersion(out var libraryVersion, null, out _) < 0)
        {
            throw LibvirtException.FromLastError("virGetVersion");
        }

        return VersionNumber.Decode(libraryVersion.Value);
    }
}

/// <summary>libvirt encodes versions as major * 1,000,000 + minor * 1,000 + release.</summary>
internal static class VersionNumber
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Version Decode(nuint encoded)
    {
        var value = (ulong)encoded;
        return new Version((int)(value / 1_000_000), (int)(value / 1_000 % 1_000), (int)(value % 1_000));
    }
}
