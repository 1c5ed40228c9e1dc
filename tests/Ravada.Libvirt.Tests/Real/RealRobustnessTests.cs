using Ravada.Libvirt.Xml;

namespace Ravada.Libvirt.Tests.Real;

[Collection(nameof(QemuSystem))]
public sealed class RealRobustnessTests(QemuSystemFixture bed)
{
    [Fact]
    public async Task Eight_threads_on_one_daemon_connection_each_get_their_own_errors()
    {
        var connection = bed.Connection;
        var misattributed = 0;
        var calls = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(thread => Task.Factory.StartNew(
            () =>
            {
                var missing = $"{QemuSystemFixture.Prefix}missing-{thread}";
                for (var call = 0; call < 1_000; call++)
                {
                    Interlocked.Increment(ref calls);
                    switch (call % 3)
                    {
                        case 0:
                            try
                            {
                                connection.NetworkLookupByName(missing).Dispose();
                                Interlocked.Increment(ref misattributed);
                            }
                            catch (LibvirtException error) when (error.Code == VirErrorCode.NoNetwork && error.LibvirtMessage.EndsWith($"'{missing}'", StringComparison.Ordinal))
                            {
                            }
                            catch (LibvirtException)
                            {
                                Interlocked.Increment(ref misattributed);
                            }

                            break;
                        case 1:
                            using (var pool = connection.StoragePoolLookupByName(bed.PoolName))
                            {
                                _ = pool.GetInfo();
                            }

                            break;
                        default:
                            _ = connection.IsAlive();
                            break;
                    }
                }
            },
            TestContext.Current.CancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)));

        Assert.Equal(8_000, calls);
        Assert.Equal(0, misattributed);
    }

    [Fact]
    public void A_volume_round_trips_through_upload_and_download_streams()
    {
        using var pool = bed.Connection.StoragePoolLookupByName(bed.PoolName);
        var content = new byte[3 * 1024 * 1024 + 17];
        Random.Shared.NextBytes(content);
        using var volume = pool.StorageVolCreateXML(StorageXml.Volume(bed.UniqueName("raw") + ".img", 4 * 1024 * 1024, "raw").ToString());
        try
        {
            using (var upload = bed.Connection.StreamNew())
            {
                volume.Upload(upload, 0, (ulong)content.Length);
                Assert.Equal(content.Length, upload.SendAll(new MemoryStream(content)));
            }

            using var download = bed.Connection.StreamNew();
            volume.Download(download, 0, (ulong)content.Length);
            using var received = new MemoryStream();
            download.ReceiveAll(received);

            Assert.Equal(content, received.ToArray());
        }
        finally
        {
            volume.Delete();
        }
    }
}
