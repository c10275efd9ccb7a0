namespace Coffer.Tests.Credentials;

/// <summary>A fact that needs Unix file modes or a bash helper script; skipped on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Needs Unix file modes and bash.";
        }
    }
}
