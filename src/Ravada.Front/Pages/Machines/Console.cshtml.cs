using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ravada.Core.Hypervisor;
using Ravada.Core.Machines;
using Ravada.Front.Auth;
using Ravada.Front.Portal;

namespace Ravada.Front.Pages.Machines;

/// <summary>
/// The console in the browser: noVNC or spice-html5, served by rvd_front. The page itself reveals nothing; its
/// script asks for a short-lived token (POST) and opens the WebSocket with it.
/// </summary>
internal sealed class ConsoleModel(PortalViews views, IMachineStore machines) : PageModel
{
    public long MachineId { get; private set; }

    public string MachineName { get; private set; } = string.Empty;

    public string Protocol { get; private set; } = "vnc";

    public bool HasSpice { get; private set; }

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, string protocol)
    {
        if (await views.FindUsableAsync(HttpContext.CurrentUser()!, id, HttpContext.RequestAborted) is not { } machine)
        {
            return NotFound();
        }

        MachineId = machine.Id;
        MachineName = machine.Alias ?? machine.Name;
        Protocol = protocol;
        var displays = await machines.ListDisplaysAsync(machine.Id, HttpContext.RequestAborted);
        HasSpice = machine.State == MachineState.Running && displays.Any(display => display.Protocol == DisplayProtocol.Spice && display.Port is not null);
        if (machine.State != MachineState.Running)
        {
            Problem = $"{MachineName} is not running: start it from your desktops.";
        }

        return Page();
    }
}
