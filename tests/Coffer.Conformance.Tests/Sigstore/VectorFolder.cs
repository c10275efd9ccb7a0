namespace Coffer.Conformance.Tests.Sigstore;

/// <summary>
/// The public Sigstore vectors folder named by <c>COFFER_SIGSTORE_VECTORS</c>. Nothing is copied
/// into the repository; without the variable the tests fail and say which variable to set.
/// </summary>
internal static class VectorFolder
{
    public const string Variable = "COFFER_SIGSTORE_VECTORS";

    /// <summary>The configured folder, or null when the variable is unset or wrong.</summary>
    public static string? TryRoot()
    {
        var root = Environment.GetEnvironmentVariable(Variable);
        return string.IsNullOrWhiteSpace(root) || !Directory.Exists(root) ? null : root;
    }

    /// <summary>The folder; fails the calling test with a message naming the variable.</summary>
    public static string Root
    {
        get
        {
            var root = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(root))
            {
                Assert.Fail($"{Variable} is not set: point it at the Sigstore vectors folder "
                    + "(for example ../shared/sigstore/vectors beside the checkout) to run the conformance tests.");
            }

            if (!Directory.Exists(root))
            {
                Assert.Fail($"{Variable} is '{root}', which is not a folder of Sigstore vectors.");
            }

            return root;
        }
    }

    /// <summary>A file below the folder; fails the calling test when it is missing.</summary>
    public static string File(params string[] parts)
    {
        var path = Path.GetFullPath(Path.Combine([Root, .. parts]));
        if (!System.IO.File.Exists(path))
        {
            Assert.Fail($"the vector {path} is missing; check {Variable}.");
        }

        return path;
    }
}
