namespace Coffer.Tests.Signing.Verification;

/// <summary>Tests that watch process-wide events run alone, after the parallel tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTestGroup
{
    public const string Name = "Serial signing tests";
}
