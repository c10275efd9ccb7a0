using Coffer.Errors;

namespace Coffer.Signing.Verification;

/// <summary>
/// A bundle did not verify. The message names the step and the reason; the exit code is
/// <see cref="ExitCodes.VerificationFailed"/>.
/// </summary>
public sealed class VerificationException : CofferException
{
    /// <summary>Creates the exception.</summary>
    public VerificationException()
    {
        ExitCode = ExitCodes.VerificationFailed;
    }

    /// <summary>Creates the exception with a message.</summary>
    public VerificationException(string message)
        : base(message)
    {
        ExitCode = ExitCodes.VerificationFailed;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public VerificationException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.VerificationFailed;
    }

    /// <summary>Creates the exception for a failed step.</summary>
    public VerificationException(VerificationStep step, string reason, Exception? innerException = null)
        : base($"verification failed ({StepName(step)}): {reason}", innerException!)
    {
        Step = step;
        Reason = reason;
        ExitCode = ExitCodes.VerificationFailed;
    }

    /// <summary>The step that failed.</summary>
    public VerificationStep Step { get; }

    /// <summary>Why the step failed, without the step name.</summary>
    public string? Reason { get; }

    /// <summary>A readable name of a step.</summary>
    public static string StepName(VerificationStep step) => step switch
    {
        VerificationStep.BundleStructure => "bundle structure",
        VerificationStep.Policy => "policy",
        VerificationStep.Timestamps => "timestamps",
        VerificationStep.TransparencyLog => "transparency log entry",
        VerificationStep.InclusionProof => "inclusion proof",
        VerificationStep.Checkpoint => "checkpoint",
        VerificationStep.SignedEntryTimestamp => "signed entry timestamp",
        VerificationStep.Certificate => "certificate chain",
        VerificationStep.CertificateTransparency => "certificate transparency",
        VerificationStep.Identity => "identity",
        VerificationStep.Signature => "signature",
        VerificationStep.Artifact => "artifact",
        VerificationStep.KeyValidity => "key validity",
        _ => step.ToString(),
    };
}
