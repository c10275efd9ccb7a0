using System.Security.Cryptography;
using System.Text.Json;
using Coffer.Signing.Trust;
using Coffer.Signing.Verification;

namespace Coffer.Conformance.Tests.Sigstore;

/// <summary>One case folder of the conformance vectors, read from its <c>case.json</c>.</summary>
internal sealed class ConformanceCase
{
    private ConformanceCase(string folder, JsonElement json)
    {
        Folder = folder;
        Name = json.GetProperty("name").GetString()!;
        ExpectSuccess = json.GetProperty("expected").GetString() switch
        {
            "success" => true,
            "failure" => false,
            var other => throw new InvalidDataException($"{folder}: unknown expected outcome '{other}'"),
        };
        Bundle = Path.Combine(folder, json.GetProperty("bundle").GetString()!);
        Artifact = Path.Combine(folder, json.GetProperty("artifact").GetString()!);
        ArtifactSha256 = json.GetProperty("artifact_sha256").GetString()!;
        TrustedRootPath = Path.Combine(folder, json.GetProperty("trusted_root").GetString()!);
        UsesDefaultRoot = json.TryGetProperty("trusted_root_is_default_production", out var flag) && flag.GetBoolean();
        var policy = json.GetProperty("policy");
        KeyPath = policy.TryGetProperty("key", out var key) ? Path.Combine(folder, key.GetString()!) : null;
        Identity = policy.TryGetProperty("certificate_identity", out var identity) ? identity.GetString() : null;
        Issuer = policy.TryGetProperty("certificate_oidc_issuer", out var issuer) ? issuer.GetString() : null;
        DigestArgument = json.GetProperty("harness_args_digest").EnumerateArray().Last().GetString()!;
        WhatItTests = json.TryGetProperty("what_it_tests", out var what) ? what.GetString() ?? "" : "";
    }

    public string Folder { get; }

    public string Name { get; }

    public bool ExpectSuccess { get; }

    public string Bundle { get; }

    public string Artifact { get; }

    public string ArtifactSha256 { get; }

    public string TrustedRootPath { get; }

    public bool UsesDefaultRoot { get; }

    public string? KeyPath { get; }

    public string? Identity { get; }

    public string? Issuer { get; }

    public string DigestArgument { get; }

    public string WhatItTests { get; }

    /// <summary>The case folder names under <c>conformance/</c>, sorted.</summary>
    public static IEnumerable<string> Names(string root) =>
        Directory.GetDirectories(Path.Combine(root, "conformance"))
            .Where(d => System.IO.File.Exists(Path.Combine(d, "case.json")))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)!;

    public static ConformanceCase Load(string name)
    {
        var folder = Path.Combine(VectorFolder.Root, "conformance", name);
        var json = System.IO.File.ReadAllBytes(VectorFolder.File("conformance", name, "case.json"));
        using var document = JsonDocument.Parse(json);
        return new ConformanceCase(folder, document.RootElement.Clone());
    }

    /// <summary>
    /// The trusted root: the embedded public-good root when the case uses the production root (so
    /// the embedded copy is exercised), otherwise the case's own file.
    /// </summary>
    public TrustedRoot TrustedRoot() =>
        UsesDefaultRoot ? TrustedRootSerializer.PublicGood : TrustedRootSerializer.ReadFile(TrustedRootPath);

    /// <summary>The caller's policy: the key file, or the exact identity and issuer.</summary>
    /// <exception cref="CryptographicException">The key file holds no usable key.</exception>
    public VerificationPolicy Policy() => KeyPath is not null
        ? VerificationPolicy.ForPublicKeyPem(System.IO.File.ReadAllText(KeyPath))
        : VerificationPolicy.ForIdentity(Identity!, Issuer!);
}
