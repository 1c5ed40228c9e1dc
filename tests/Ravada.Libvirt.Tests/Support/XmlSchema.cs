using System.Diagnostics;

namespace Ravada.Libvirt.Tests.Support;

/// <summary>Validates XML with libvirt's own schemas through <c>virt-xml-validate</c> (package libvirt-clients).</summary>
internal static class XmlSchema
{
    public static async Task<(bool Valid, string Output)> ValidateAsync(string xml, string schema)
    {
        var file = Path.Combine(Path.GetTempPath(), $"ravada-validate-{Guid.NewGuid():N}.xml");
        await File.WriteAllTextAsync(file, xml, TestContext.Current.CancellationToken);
        try
        {
            var start = new ProcessStartInfo("virt-xml-validate")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.ArgumentList.Add(file);
            start.ArgumentList.Add(schema);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("virt-xml-validate did not start");
            var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            return (process.ExitCode == 0, output + error);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
