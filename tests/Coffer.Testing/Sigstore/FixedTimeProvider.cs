namespace Coffer.Testing.Sigstore;

/// <summary>A clock that always says the same instant.</summary>
/// <param name="now">The instant.</param>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => now;
}
