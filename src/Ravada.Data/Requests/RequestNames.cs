using Ravada.Core.Requests;

namespace Ravada.Data.Requests;

/// <summary>
/// The stored words for request statuses and classes: Ravada's lower-case words, which also appear as
/// literals in the queue's SQL and as the payload of wake-ups.
/// </summary>
internal static class RequestNames
{
    public const string Requested = "requested";
    public const string Working = "working";
    public const string Done = "done";
    public const string Failed = "failed";

    public static string Of(RequestStatus status) => status switch
    {
        RequestStatus.Requested => Requested,
        RequestStatus.Working => Working,
        RequestStatus.Done => Done,
        RequestStatus.Failed => Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown request status"),
    };

    public static RequestStatus ParseStatus(string status) => status switch
    {
        Requested => RequestStatus.Requested,
        Working => RequestStatus.Working,
        Done => RequestStatus.Done,
        Failed => RequestStatus.Failed,
        _ => throw new FormatException($"unknown request status '{status}' in the database"),
    };

    public static string Of(RequestClass requestClass) => requestClass switch
    {
        RequestClass.Interactive => "interactive",
        RequestClass.Disk => "disk",
        RequestClass.Maintenance => "maintenance",
        _ => throw new ArgumentOutOfRangeException(nameof(requestClass), requestClass, "unknown request class"),
    };

    public static bool TryParseClass(string text, out RequestClass requestClass)
    {
        foreach (var candidate in Enum.GetValues<RequestClass>())
        {
            if (Of(candidate) == text)
            {
                requestClass = candidate;
                return true;
            }
        }

        requestClass = default;
        return false;
    }

    public static RequestClass ParseClass(string text) =>
        TryParseClass(text, out var requestClass) ? requestClass : throw new FormatException($"unknown request class '{text}' in the database");
}
