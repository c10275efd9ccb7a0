using System.Text;
using System.Text.Json;
using Coffer.Signing.Bundles;

namespace Coffer.Signing.Trust;

/// <summary>
/// Reads and writes <c>trusted_root.json</c>, and holds the embedded public-good production root
/// that is the default trust when the user gives none.
/// </summary>
public static class TrustedRootSerializer
{
    /// <summary>The name of the embedded public-good root in the assembly's resources.</summary>
    public const string PublicGoodResourceName = "Coffer.Signing.Trust.public-good.trusted_root.json";

    private const int MaxRootBytes = 4 * 1024 * 1024;

    private const int MaxEntries = 64;

    private static readonly Lazy<TrustedRoot> PublicGoodRoot = new(LoadPublicGood);

    /// <summary>
    /// The Sigstore public-good production trusted root built into Coffer. A user-supplied root
    /// replaces it entirely; the two are never merged.
    /// </summary>
    public static TrustedRoot PublicGood => PublicGoodRoot.Value;

    /// <summary>Parses a trusted root from UTF-8 JSON and checks it.</summary>
    /// <exception cref="TrustedRootFormatException">The root is malformed.</exception>
    public static TrustedRoot Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Length > MaxRootBytes)
        {
            throw new TrustedRootFormatException($"trusted root is larger than {MaxRootBytes} bytes");
        }

        TrustedRoot? root;
        try
        {
            root = JsonSerializer.Deserialize(utf8Json, TrustJsonContext.Default.TrustedRoot);
        }
        catch (JsonException e)
        {
            throw new TrustedRootFormatException(BundleSerializer.DescribeJsonError("trusted root", e), e);
        }

        if (root is null)
        {
            throw new TrustedRootFormatException("trusted root is JSON null, not an object");
        }

        Validate(root);
        return root;
    }

    /// <summary>Parses a trusted root from a JSON string.</summary>
    /// <exception cref="TrustedRootFormatException">The root is malformed.</exception>
    public static TrustedRoot Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Reads a trusted root file (for example one given with <c>--trusted-root</c>).</summary>
    /// <exception cref="TrustedRootFormatException">The file is malformed.</exception>
    public static TrustedRoot ReadFile(string path)
    {
        var info = new FileInfo(path);
        if (info.Exists && info.Length > MaxRootBytes)
        {
            throw new TrustedRootFormatException($"trusted root {path} is larger than {MaxRootBytes} bytes");
        }

        try
        {
            return Parse(File.ReadAllBytes(path));
        }
        catch (TrustedRootFormatException e)
        {
            throw new TrustedRootFormatException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Writes a trusted root as compact JSON.</summary>
    public static string Serialize(TrustedRoot root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return JsonSerializer.Serialize(root, TrustJsonContext.Default.TrustedRoot);
    }

    private static TrustedRoot LoadPublicGood()
    {
        using var stream = typeof(TrustedRootSerializer).Assembly.GetManifestResourceStream(PublicGoodResourceName)
            ?? throw new TrustedRootFormatException("the embedded public-good trusted root is missing");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Parse(buffer.ToArray());
    }

    private static void Validate(TrustedRoot root)
    {
        if (root.MediaType is not (TrustedRoot.MediaTypeV01 or TrustedRoot.MediaTypeV02))
        {
            throw new TrustedRootFormatException(
                $"trusted root media type '{root.MediaType ?? "(none)"}' is not supported");
        }

        root.Tlogs ??= [];
        root.Ctlogs ??= [];
        root.CertificateAuthorities ??= [];
        root.TimestampAuthorities ??= [];
        if (root.Tlogs.Count + root.Ctlogs.Count + root.CertificateAuthorities.Count
            + root.TimestampAuthorities.Count > MaxEntries)
        {
            throw new TrustedRootFormatException($"trusted root lists more than {MaxEntries} instances");
        }

        ValidateLogs(root.Tlogs, "tlogs");
        ValidateLogs(root.Ctlogs, "ctlogs");
        ValidateAuthorities(root.CertificateAuthorities, "certificateAuthorities");
        ValidateAuthorities(root.TimestampAuthorities, "timestampAuthorities");
    }

    private static void ValidateLogs(List<TransparencyLogInstance> logs, string field)
    {
        for (var i = 0; i < logs.Count; i++)
        {
            var log = logs[i] ?? throw new TrustedRootFormatException($"{field}[{i}] is null");
            if (log.PublicKey?.RawBytes is not { Length: > 0 })
            {
                throw new TrustedRootFormatException($"{field}[{i}] has no publicKey.rawBytes");
            }

            if (log.LogId?.KeyId is not { Length: > 0 })
            {
                throw new TrustedRootFormatException($"{field}[{i}] has no logId.keyId");
            }

            // §2: a missing validFor.start makes the root malformed, never unbounded.
            ValidatePeriod(log.PublicKey.ValidFor, $"{field}[{i}].publicKey.validFor");
        }
    }

    private static void ValidateAuthorities(List<CertificateAuthority> authorities, string field)
    {
        for (var i = 0; i < authorities.Count; i++)
        {
            var authority = authorities[i] ?? throw new TrustedRootFormatException($"{field}[{i}] is null");
            var certificates = authority.CertChain?.Certificates;
            if (certificates is null || certificates.Count == 0
                || certificates.Exists(c => c?.RawBytes is not { Length: > 0 }))
            {
                throw new TrustedRootFormatException($"{field}[{i}] has an empty or incomplete certChain");
            }

            if (certificates.Count > BundleLimits.MaxCertificates)
            {
                throw new TrustedRootFormatException($"{field}[{i}] has too many certificates");
            }

            ValidatePeriod(authority.ValidFor, $"{field}[{i}].validFor");
        }
    }

    private static void ValidatePeriod(ValidityPeriod? period, string field)
    {
        if (period?.Start is null)
        {
            throw new TrustedRootFormatException($"{field} has no start");
        }

        if (period.End is { } end && end < period.Start)
        {
            throw new TrustedRootFormatException($"{field} ends before it starts");
        }
    }
}
