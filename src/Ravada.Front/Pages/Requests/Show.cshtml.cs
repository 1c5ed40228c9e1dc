using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ravada.Front.Auth;
using Ravada.Front.Portal;

namespace Ravada.Front.Pages.Requests;

/// <summary>A request's progress, phase by phase, live. Only its requester (or an administrator) sees it.</summary>
internal sealed class ShowRequestModel(PortalViews views) : PageModel
{
    public long RequestId { get; private set; }

    public string Title { get; private set; } = string.Empty;

    public string BannerHtml { get; private set; } = string.Empty;

    public string ProgressHtml { get; private set; } = string.Empty;

    public async Task<IActionResult> OnGetAsync(long id)
    {
        if (await views.FindRequestAsync(HttpContext.CurrentUser()!, id, HttpContext.RequestAborted) is not { } request)
        {
            return NotFound();
        }

        RequestId = request.Id;
        var what = RequestWords.Of(request.Command);
        Title = $"{char.ToUpperInvariant(what[0])}{what[1..]}";
        BannerHtml = await views.RenderBackendBannerAsync();
        ProgressHtml = await views.RenderRequestAsync(request, HttpContext.RequestAborted);
        return Page();
    }
}
