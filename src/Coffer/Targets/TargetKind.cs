namespace Coffer.Targets;

/// <summary>What a target is, as ORAS names it in its summary lines.</summary>
public enum TargetKind
{
    /// <summary>A repository in an OCI registry (<c>[registry]</c>).</summary>
    Registry,

    /// <summary>An OCI image layout, a folder or a tar of one (<c>[oci-layout]</c>).</summary>
    OciLayout,
}
