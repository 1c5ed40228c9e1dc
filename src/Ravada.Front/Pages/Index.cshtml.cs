using Microsoft.AspNetCore.Mvc.RazorPages;
using Ravada.Front.Auth;
using Ravada.Front.Portal;

namespace Ravada.Front.Pages;

/// <summary>The user's page: the bases to start a desktop from and the user's machines, kept live by the event stream.</summary>
internal sealed class IndexModel(PortalViews views) : PageModel
{
    public string BannerHtml { get; private set; } = string.Empty;

    public string BasesHtml { get; private set; } = string.Empty;

    public string MachinesHtml { get; private set; } = string.Empty;

    public async Task OnGetAsync()
    {
        var (bases, machines) = await views.HomeAsync(HttpContext.CurrentUser()!, HttpContext.RequestAborted);
        BannerHtml = await views.RenderBackendBannerAsync();
        BasesHtml = await views.RenderBasesAsync(bases);
        MachinesHtml = await views.RenderMachinesAsync(machines);
    }
}
