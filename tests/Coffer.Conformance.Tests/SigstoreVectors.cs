namespace Coffer.Conformance.Tests;

/// <summary>
/// The folder of public Sigstore vectors, named by <c>COFFER_SIGSTORE_VECTORS</c>. The vectors
/// are never copied into the repository; without the variable every conformance test fails.
/// </summary>
internal static class SigstoreVectors
{
    public const string Variable = "COFFER_SIGSTORE_VECTORS";

    /// <summary>The vectors folder; fails the calling test when it is not configured.</summary>
    public static string Root
    {
        get
        {
            string? root = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(root))
            {
                Assert.Fail($"{Variable} is not set. Set it to the Sigstore vectors folder "
                    + "(for example ../shared/sigstore/vectors beside the checkout) to run the conformance tests.");
            }

            if (!Directory.Exists(root))
            {
                Assert.Fail($"{Variable} is '{root}', which is not a folder. Point it at the Sigstore vectors.");
            }

            return root;
        }
    }

    /// <summary>A path below the vectors folder; fails the calling test when the file is missing.</summary>
    public static string File(params string[] parts)
    {
        string path = Path.Combine([Root, .. parts]);
        if (!System.IO.File.Exists(path))
        {
            Assert.Fail($"The vector {path} is missing; check {Variable}.");
        }

        return path;
    }
}
