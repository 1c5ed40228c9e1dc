using Ravada.Core.Messages;
using Ravada.Data.Dialects;

namespace Ravada.Data.Stores;

/// <summary><see cref="IMessageStore"/> on the <c>messages</c> table.</summary>
internal sealed class MessageStore(SqlExecutor sql, ISqlDialect dialect) : IMessageStore
{
    private const string MessageColumns =
        "id, user_id AS UserId, request_id AS RequestId, subject, body, created_at AS CreatedAt, read_at AS ReadAt";

    public async Task<UserMessage> SendAsync(long userId, long? requestId, string subject, string? body, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var createdAt = EpochTime.ToMilliseconds(at);
        var id = await sql.ScalarAsync<long>(
            dialect.InsertReturningId("""
                INSERT INTO messages (user_id, request_id, subject, body, created_at)
                VALUES (@UserId, @RequestId, @Subject, @Body, @CreatedAt)
                """),
            new { UserId = userId, RequestId = requestId, Subject = subject, Body = body, CreatedAt = createdAt }, cancellationToken);
        return new UserMessage(id, userId, requestId, subject, body, EpochTime.FromMilliseconds(createdAt), null);
    }

    public async Task<IReadOnlyList<UserMessage>> ListAsync(long userId, bool unreadOnly, int limit, CancellationToken cancellationToken = default)
    {
        var unread = unreadOnly ? "AND read_at IS NULL" : "";
        var rows = await sql.ListAsync<MessageRow>(
            $"SELECT {MessageColumns} FROM messages WHERE user_id = @UserId {unread} ORDER BY id DESC LIMIT @Limit",
            new { UserId = userId, Limit = limit }, cancellationToken);
        return [.. rows.Select(row => row.ToMessage())];
    }

    public Task MarkReadAsync(long userId, long messageId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        sql.ExecuteAsync(
            "UPDATE messages SET read_at = @At WHERE id = @Id AND user_id = @UserId AND read_at IS NULL",
            new { Id = messageId, UserId = userId, At = EpochTime.ToMilliseconds(at) }, cancellationToken);

    private sealed class MessageRow
    {
        public long Id { get; init; }

        public long UserId { get; init; }

        public long? RequestId { get; init; }

        public string Subject { get; init; } = "";

        public string? Body { get; init; }

        public long CreatedAt { get; init; }

        public long? ReadAt { get; init; }

        public UserMessage ToMessage() =>
            new(Id, UserId, RequestId, Subject, Body, EpochTime.FromMilliseconds(CreatedAt), EpochTime.FromMilliseconds(ReadAt));
    }
}
