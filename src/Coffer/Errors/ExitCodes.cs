namespace Coffer.Errors;

/// <summary>The process exit codes Coffer uses.</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>The command failed.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong: a flag, an argument or a reference.</summary>
    public const int Usage = 2;

    /// <summary>A signature or digest could not be verified.</summary>
    public const int VerificationFailed = 3;

    /// <summary>The user pressed Ctrl+C (128 + SIGINT).</summary>
    public const int Cancelled = 130;

    /// <summary>The process was asked to stop with SIGTERM (128 + 15).</summary>
    public const int Terminated = 143;
}
