namespace Coffer.Testing.Internal;

/// <summary>An open blob upload session of the fake registry.</summary>
internal sealed class FakeUpload(string repository)
{
    public string Repository { get; } = repository;

    public Lock Gate { get; } = new();

    public MemoryStream Data { get; } = new();

    /// <summary>Changes after every request, like distribution's <c>_state</c>; a stale value is refused.</summary>
    public int State { get; set; }
}
