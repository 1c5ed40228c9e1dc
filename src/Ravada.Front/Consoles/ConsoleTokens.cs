using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Ravada.Core.Hypervisor;

namespace Ravada.Front.Consoles;

/// <summary>Why a console token was refused (or that it was accepted).</summary>
internal enum ConsoleTokenCheck
{
    /// <summary>Good: the connection may go ahead.</summary>
    Accepted,

    /// <summary>Never issued, or forgotten after it expired.</summary>
    Unknown,

    /// <summary>Issued but too long ago.</summary>
    Expired,

    /// <summary>Issued to another user.</summary>
    WrongUser,

    /// <summary>Issued to another client address.</summary>
    WrongAddress,

    /// <summary>Already used for as many connections as a console opens.</summary>
    UsedUp,
}

/// <summary>What a console token lets its holder reach.</summary>
/// <param name="UserId">Who asked for it.</param>
/// <param name="MachineId">The machine.</param>
/// <param name="Protocol">Its display.</param>
/// <param name="Client">The address it was issued to.</param>
/// <param name="ExpiresAt">When it stops working.</param>
internal sealed record ConsoleGrant(long UserId, long MachineId, DisplayProtocol Protocol, IPAddress Client, DateTimeOffset ExpiresAt);

/// <summary>
/// Short-lived, unguessable tokens that open the console WebSocket: bound to the user, the machine, the display
/// and the client address, valid for <see cref="FrontOptions.ConsoleTokenSeconds"/>, and good for at most
/// <see cref="MaxUses"/> connections (a SPICE session opens one per channel). They live in this process only.
/// </summary>
internal sealed class ConsoleTokens(IOptions<FrontOptions> options, TimeProvider timeProvider)
{
    /// <summary>Connections one token opens: SPICE's main, display, inputs, cursor, playback and a few spare.</summary>
    public const int MaxUses = 8;

    private readonly ConcurrentDictionary<string, Entry> tokens = new(StringComparer.Ordinal);

    /// <summary>A new token for this user, machine, display and client.</summary>
    public string Issue(long userId, long machineId, DisplayProtocol protocol, IPAddress client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var now = timeProvider.GetUtcNow();
        foreach (var expired in tokens.Where(entry => entry.Value.Grant.ExpiresAt <= now).Select(entry => entry.Key).ToList())
        {
            tokens.TryRemove(expired, out _);
        }

        var token = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        tokens[token] = new Entry(new ConsoleGrant(userId, machineId, protocol, Normalize(client), now.AddSeconds(options.Value.ConsoleTokenSeconds)));
        return token;
    }

    /// <summary>Checks a token for this user and client and, when it is good, counts one use of it.</summary>
    public (ConsoleTokenCheck Check, ConsoleGrant? Grant) Redeem(string token, long userId, IPAddress? client)
    {
        if (!tokens.TryGetValue(token, out var entry))
        {
            return (ConsoleTokenCheck.Unknown, null);
        }

        var grant = entry.Grant;
        if (grant.ExpiresAt <= timeProvider.GetUtcNow())
        {
            tokens.TryRemove(token, out _);
            return (ConsoleTokenCheck.Expired, null);
        }

        if (grant.UserId != userId)
        {
            return (ConsoleTokenCheck.WrongUser, null);
        }

        if (client is null || !Normalize(client).Equals(grant.Client))
        {
            return (ConsoleTokenCheck.WrongAddress, null);
        }

        return Interlocked.Increment(ref entry.Uses) > MaxUses ? (ConsoleTokenCheck.UsedUp, null) : (ConsoleTokenCheck.Accepted, grant);
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private sealed class Entry(ConsoleGrant grant)
    {
        public int Uses;

        public ConsoleGrant Grant { get; } = grant;
    }
}
