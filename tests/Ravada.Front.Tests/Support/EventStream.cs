namespace Ravada.Front.Tests.Support;

/// <summary>Reads a Server-Sent Events response the way the browser's EventSource does.</summary>
public sealed class EventStream(HttpResponseMessage response) : IDisposable
{
    private StreamReader? reader;

    /// <summary>The next event (name and data), or throws when none comes within <paramref name="patience"/>.</summary>
    public async Task<(string Name, string Data)> NextAsync(TimeSpan patience)
    {
        reader ??= new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(patience);
        var name = "message";
        var data = new List<string>();
        while (true)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException("the event stream ended");
            if (line.Length == 0)
            {
                if (data.Count > 0 || name != "message")
                {
                    return (name, string.Join('\n', data));
                }

                continue;
            }

            if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                name = line["event:".Length..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Add(line["data:".Length..].TrimStart());
            }
        }
    }

    /// <summary>Reads events until one named <paramref name="name"/> satisfies <paramref name="match"/>.</summary>
    public async Task<string> WaitForAsync(string name, Func<string, bool> match, TimeSpan patience)
    {
        var deadline = DateTimeOffset.UtcNow + patience;
        while (true)
        {
            var left = deadline - DateTimeOffset.UtcNow;
            var (eventName, data) = await NextAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            if (eventName == name && match(data))
            {
                return data;
            }
        }
    }

    public void Dispose()
    {
        reader?.Dispose();
        response.Dispose();
    }
}
