namespace Coffer.Registry;

/// <summary>Bounds Coffer keeps to, whatever a registry sends.</summary>
public static class RegistryLimits
{
    /// <summary>The most pages of a tag list or catalog Coffer reads before it stops with an error.</summary>
    public const int MaxListPages = 100;
}
