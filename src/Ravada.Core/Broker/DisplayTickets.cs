using System.Security.Cryptography;
using Ravada.Core.Hypervisor;

namespace Ravada.Core.Broker;

/// <summary>New display passwords for every start, from the operating system's CSPRNG.</summary>
public static class DisplayTickets
{
    private const string Alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>A 20-character SPICE ticket and an 8-character VNC password (VNC's maximum).</summary>
    public static DisplayPasswords Create() => new(RandomNumberGenerator.GetString(Alphabet, 20), RandomNumberGenerator.GetString(Alphabet, 8));
}

/// <summary>Makes a thumbnail of a screenshot for the portal.</summary>
public interface IThumbnailer
{
    /// <summary>A small image of <paramref name="screenshot"/>, taken at <paramref name="takenAt"/>.</summary>
    Machines.Thumbnail Make(Screenshot screenshot, DateTimeOffset takenAt);
}
