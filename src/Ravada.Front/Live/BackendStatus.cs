namespace Ravada.Front.Live;

/// <summary>Whether rvd_back is beating, as <see cref="LiveFeed"/> last read it.</summary>
internal sealed class BackendStatus
{
    private volatile bool alive = true;

    /// <summary>True until the feed has read a missing or stale heartbeat.</summary>
    public bool Alive
    {
        get => alive;
        set => alive = value;
    }
}
