using System.Globalization;
using System.Text;
using Ravada.Core.Machines;

namespace Ravada.Front.Consoles;

/// <summary>
/// The <c>.vv</c> file remote-viewer opens: where the SPICE display is, its password for this start (so the user
/// pastes nothing), <c>delete-this-file=1</c> so it does not linger in Downloads, a title and the hot keys.
/// </summary>
internal static class VirtViewerFile
{
    public const string MimeType = "application/x-virt-viewer";

    public static string Write(string machineName, string host, MachineDisplay display)
    {
        ArgumentNullException.ThrowIfNull(display);
        var file = new StringBuilder();
        file.Append("[virt-viewer]\n");
        Line(file, "type", "spice");
        Line(file, "host", host);
        Line(file, "port", display.Port!.Value.ToString(CultureInfo.InvariantCulture));
        if (display.TlsPort is { } tlsPort)
        {
            Line(file, "tls-port", tlsPort.ToString(CultureInfo.InvariantCulture));
        }

        Line(file, "password", display.Password);
        Line(file, "delete-this-file", "1");
        Line(file, "fullscreen", "0");
        Line(file, "title", $"{machineName} - press SHIFT+F12 to release the cursor");
        Line(file, "release-cursor", "shift+f12");
        Line(file, "toggle-fullscreen", "shift+f11");
        Line(file, "secure-attention", "ctrl+alt+end");
        Line(file, "enable-smartcard", "0");
        Line(file, "enable-usbredir", "1");
        Line(file, "enable-usb-autoshare", "1");
        return file.ToString();
    }

    // A value is one line: a name with a line break in it must not add keys to the file.
    private static void Line(StringBuilder file, string key, string value) =>
        file.Append(key).Append('=').Append(new string([.. value.Where(character => !char.IsControl(character))])).Append('\n');
}
