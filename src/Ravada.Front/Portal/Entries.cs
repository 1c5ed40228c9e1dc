using Ravada.Core.Machines;

namespace Ravada.Front.Portal;

/// <summary>One of the user's machines as its card shows it.</summary>
/// <param name="Machine">The machine.</param>
/// <param name="HasSpice">It offers SPICE (for virt-viewer and spice-html5).</param>
/// <param name="ThumbnailVersion">When its thumbnail was taken (Unix ms), 0 without one: a new value makes browsers fetch the new picture.</param>
/// <param name="Activity">What is being done to it now, or the last failure.</param>
/// <param name="Allowed">The request commands the user may ask for on it.</param>
public sealed record MachineEntry(Machine Machine, bool HasSpice, long ThumbnailVersion, Activity? Activity, IReadOnlySet<string> Allowed);

/// <summary>A line under a machine: a request in progress or one that failed.</summary>
/// <param name="Text">What to show.</param>
/// <param name="Failed">Whether it is a failure.</param>
public sealed record Activity(string Text, bool Failed);

/// <summary>A base the user may start a desktop from.</summary>
/// <param name="Base">The base.</param>
/// <param name="ThumbnailVersion">As in <see cref="MachineEntry"/>.</param>
/// <param name="HasClone">The user already has a desktop from it, which the click reuses.</param>
public sealed record BaseEntry(Machine Base, long ThumbnailVersion, bool HasClone);
