using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Ravada.Front.Portal;

/// <summary>
/// Renders the Razor components that make up the portal's live parts to HTML: the pages embed them and the
/// event stream sends them, so a fragment looks the same however it arrives. Each render has its own
/// renderer in its own service scope (the renderer needs scoped services), which keeps nothing alive afterwards.
/// </summary>
internal sealed class FragmentRenderer(IServiceScopeFactory scopes, ILoggerFactory loggerFactory)
{
    public async Task<string> RenderAsync<TComponent>(IDictionary<string, object?> parameters)
        where TComponent : IComponent
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggerFactory);
        return await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters))).ToHtmlString());
    }
}
