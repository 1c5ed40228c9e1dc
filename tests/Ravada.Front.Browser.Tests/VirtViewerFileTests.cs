using System.Xml.Linq;
using Ravada.Core.Machines;
using Ravada.Front.Browser.Tests.Support;
using Ravada.Libvirt;

namespace Ravada.Front.Browser.Tests;

/// <summary>
/// Story 4: from the run page the user downloads the .vv file for remote-viewer; it names the SPICE display the
/// machine really has, with the password libvirt gave that display for this start.
/// </summary>
[Collection(nameof(Portal))]
public sealed class VirtViewerFileTests(PortalBed bed)
{
    [Fact]
    public async Task The_downloaded_vv_file_opens_the_machines_SPICE_display_with_its_current_password()
    {
        await using var session = await bed.LogInAsync("alice");
        var machineId = await session.OpenDesktopAsync();
        var page = session.Page;

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#download-vv").ClickAsync());
        var machine = await bed.BackEnd.Get<IMachineStore>().FindAsync(machineId, TestContext.Current.CancellationToken);
        Assert.NotNull(machine);
        Assert.Equal($"{machine.Name}.vv", download.SuggestedFilename);
        var path = await download.PathAsync();
        var lines = await File.ReadAllLinesAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal("[virt-viewer]", lines[0]);
        var keys = lines.Skip(1).Where(line => line.Length > 0).Select(line => line.Split('=', 2)).ToDictionary(pair => pair[0], pair => pair[1]);
        var spice = LiveSpiceGraphics(machine.Name);
        Assert.Equal("spice", keys["type"]);
        Assert.Equal((string?)spice.Attribute("listen"), keys["host"]);
        Assert.Equal((string?)spice.Attribute("port"), keys["port"]);
        Assert.Equal((string?)spice.Attribute("passwd"), keys["password"]);
        Assert.False(string.IsNullOrEmpty(keys["password"]));
        Assert.Equal("1", keys["delete-this-file"]);
        Assert.Contains(machine.Alias ?? machine.Name, keys["title"], StringComparison.Ordinal);
        Assert.Equal("shift+f12", keys["release-cursor"]);
        Assert.Equal("shift+f11", keys["toggle-fullscreen"]);
        Assert.Equal("ctrl+alt+end", keys["secure-attention"]);
    }

    /// <summary>The SPICE graphics element of the running domain, with its password (libvirt's secure XML).</summary>
    private static XElement LiveSpiceGraphics(string domainName)
    {
        using var connection = VirConnect.Open("qemu:///system");
        using var domain = connection.DomainLookupByName(domainName);
        var xml = XDocument.Parse(domain.GetXMLDesc(VirDomainXmlFlags.Secure));
        return xml.Descendants("graphics").Single(graphics => (string?)graphics.Attribute("type") == "spice");
    }
}
