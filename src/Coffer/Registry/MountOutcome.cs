namespace Coffer.Registry;

/// <summary>How <see cref="Repository.MountOrPushBlobAsync"/> got a blob into the repository.</summary>
public enum MountOutcome
{
    /// <summary>The repository had the blob already; nothing was sent.</summary>
    Exists,

    /// <summary>The registry linked the blob from the other repository (201); no bytes were sent.</summary>
    Mounted,

    /// <summary>The registry would not mount, so the bytes were uploaded.</summary>
    Uploaded,
}
