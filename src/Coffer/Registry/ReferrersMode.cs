namespace Coffer.Registry;

/// <summary>How referrers are listed and recorded (<c>--distribution-spec</c>).</summary>
public enum ReferrersMode
{
    /// <summary>Use the referrers API when the registry has one, else the tag schema.</summary>
    Auto,

    /// <summary>Always the referrers API (<c>v1.1-referrers-api</c>).</summary>
    Api,

    /// <summary>Always the referrers tag schema (<c>v1.1-referrers-tag</c>).</summary>
    TagSchema,
}
