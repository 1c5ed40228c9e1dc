namespace Ravada.Core.Messages;

/// <summary>A message to a user, shown in the portal (the outcome of a request, a warning).</summary>
/// <param name="Id">Database id.</param>
/// <param name="UserId">The recipient.</param>
/// <param name="RequestId">The request it is about, if any.</param>
/// <param name="Subject">One line.</param>
/// <param name="Body">Details.</param>
/// <param name="CreatedAt">When it was sent.</param>
/// <param name="ReadAt">When the user read it.</param>
public sealed record UserMessage(long Id, long UserId, long? RequestId, string Subject, string? Body, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

/// <summary>Messages to users.</summary>
public interface IMessageStore
{
    /// <summary>Sends a message.</summary>
    Task<UserMessage> SendAsync(long userId, long? requestId, string subject, string? body, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>A user's messages, newest first.</summary>
    Task<IReadOnlyList<UserMessage>> ListAsync(long userId, bool unreadOnly, int limit, CancellationToken cancellationToken = default);

    /// <summary>Marks a message of that user read.</summary>
    Task MarkReadAsync(long userId, long messageId, DateTimeOffset at, CancellationToken cancellationToken = default);
}
