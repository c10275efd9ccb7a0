namespace Coffer.Signing.Bundles;

/// <summary>The bundle format versions Coffer knows. Order matters: rules are gated with "at least".</summary>
public enum BundleVersion
{
    /// <summary>Not a known bundle media type.</summary>
    Unknown = 0,

    /// <summary>v0.1: every log entry needs a signed entry timestamp.</summary>
    V01 = 1,

    /// <summary>v0.2: every log entry needs an inclusion proof with a checkpoint.</summary>
    V02 = 2,

    /// <summary>v0.3: keyless material is the single leaf certificate.</summary>
    V03 = 3,
}
