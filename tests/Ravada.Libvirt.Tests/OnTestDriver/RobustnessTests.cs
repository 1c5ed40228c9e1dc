using System.Diagnostics;
using Ravada.Libvirt.Tests.Support;

namespace Ravada.Libvirt.Tests.OnTestDriver;

[Collection(nameof(MemoryMeasurements))]
public sealed class RobustnessTests
{
    [Fact]
    public async Task Eight_threads_sharing_one_connection_each_get_their_own_errors()
    {
        using var connection = VirConnect.Open(TestDriver.Uri);
        const int threads = 8;
        const int callsPerThread = 1_000;
        var misattributed = 0;
        var failures = 0;
        var successes = 0;

        await Task.WhenAll(Enumerable.Range(0, threads).Select(thread => Task.Factory.StartNew(
            () =>
            {
                var missing = $"missing-{thread}";
                for (var call = 0; call < callsPerThread; call++)
                {
                    switch (call % 4)
                    {
                        case 0:
                            // Odd threads fail with "network not found" naming their own network, even
                            // threads with "domain not found": a mix-up shows as a wrong code or name.
                            try
                            {
                                if (thread % 2 == 1)
                                {
                                    connection.NetworkLookupByName(missing).Dispose();
                                }
                                else
                                {
                                    connection.DomainLookupByName(missing).Dispose();
                                }
                            }
                            catch (LibvirtException error)
                            {
                                Interlocked.Increment(ref failures);
                                var attributed = thread % 2 == 1
                                    ? error.Code == VirErrorCode.NoNetwork && error.LibvirtMessage.EndsWith($"'{missing}'", StringComparison.Ordinal)
                                    : error.Code == VirErrorCode.NoDomain && error.Function == "virDomainLookupByName";
                                if (!attributed)
                                {
                                    Interlocked.Increment(ref misattributed);
                                }
                            }

                            break;
                        case 1:
                            using (var domain = connection.DomainLookupByName("test"))
                            {
                                _ = domain.GetState();
                            }

                            Interlocked.Increment(ref successes);
                            break;
                        case 2:
                            _ = connection.GetNodeInfo();
                            Interlocked.Increment(ref successes);
                            break;
                        default:
                            foreach (var domain in connection.ListAllDomains())
                            {
                                domain.Dispose();
                            }

                            Interlocked.Increment(ref successes);
                            break;
                    }
                }
            },
            TestContext.Current.CancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)));

        Assert.Equal(0, misattributed);
        Assert.Equal(threads * callsPerThread / 4, failures);
        Assert.Equal(threads * callsPerThread * 3 / 4, successes);
    }

    [Fact]
    public void A_hundred_thousand_lookups_and_frees_leave_process_memory_flat()
    {
        using var connection = VirConnect.Open(TestDriver.Uri);
        void Churn(int times)
        {
            for (var index = 0; index < times; index++)
            {
                using var domain = connection.DomainLookupByName("test");
                _ = domain.GetName();
                _ = domain.GetXMLDesc();
            }
        }

        // The first rounds grow the native heap and the JIT'd code to their working size; a leak keeps
        // growing after that, so measure the second hundred thousand.
        Churn(100_000);
        var before = ResidentBytes();
        Churn(100_000);
        var after = ResidentBytes();

        // A leak of one domain object or one XML string per call would add tens of megabytes.
        var growth = after - before;
        Assert.True(growth < 8 * 1024 * 1024, $"resident memory grew by {growth / 1024} KiB over 100,000 lookups");
    }

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }
}

/// <summary>Memory measurements see the whole process, so nothing else runs beside them.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class MemoryMeasurements;
