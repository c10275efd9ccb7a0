using System.Globalization;
using System.Text.Json;
using Coffer.Errors;
using Coffer.Signing.Trust;

namespace Coffer.Signing.Services;

/// <summary>
/// A Sigstore signing config v0.2 (<c>application/vnd.dev.sigstore.signingconfig.v0.2+json</c>):
/// which Fulcio, OIDC, Rekor and TSA services a signer should use (spec-notes §2).
/// </summary>
public sealed class SigningConfig
{
    /// <summary>The media type this class reads.</summary>
    public const string MediaTypeV02 = "application/vnd.dev.sigstore.signingconfig.v0.2+json";

    /// <summary>The Fulcio API major version Coffer speaks (the REST routes are <c>/api/v2</c>).</summary>
    public const int SupportedCaVersion = 1;

    /// <summary>The Rekor API major version Coffer can write to.</summary>
    public const int SupportedRekorVersion = 1;

    /// <summary>The TSA API major version Coffer speaks.</summary>
    public const int SupportedTsaVersion = 1;

    private const int MaxServices = 64;

    /// <summary>Certificate authorities (Fulcio).</summary>
    public IReadOnlyList<ServiceEndpoint> CaUrls { get; init; } = [];

    /// <summary>OIDC providers.</summary>
    public IReadOnlyList<ServiceEndpoint> OidcUrls { get; init; } = [];

    /// <summary>Transparency logs (Rekor).</summary>
    public IReadOnlyList<ServiceEndpoint> RekorTlogUrls { get; init; } = [];

    /// <summary>Time-stamp authorities.</summary>
    public IReadOnlyList<ServiceEndpoint> TsaUrls { get; init; } = [];

    /// <summary>
    /// The public-good instance: <c>fulcio.sigstore.dev</c>, <c>rekor.sigstore.dev</c> and
    /// <c>timestamp.sigstore.dev</c>. Only a default; nothing is contacted until a signer runs.
    /// </summary>
    public static SigningConfig PublicGood { get; } = new()
    {
        CaUrls = [Always("https://fulcio.sigstore.dev", 1)],
        OidcUrls = [Always("https://oauth2.sigstore.dev/auth", 1)],
        RekorTlogUrls = [Always("https://rekor.sigstore.dev", 1)],
        TsaUrls = [Always("https://timestamp.sigstore.dev/api/v1/timestamp", 1)],
    };

    /// <summary>Reads a signing config file.</summary>
    /// <exception cref="CofferException">The file cannot be read or is not a v0.2 signing config.</exception>
    public static SigningConfig ReadFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--signing-config {path} could not be read: {e.Message}");
        }

        try
        {
            return Parse(bytes);
        }
        catch (CofferException e)
        {
            throw new CofferException($"{path}: {e.Message}", e.Hint, ExitCodes.Usage);
        }
    }

    /// <summary>Parses a signing config.</summary>
    /// <exception cref="CofferException">The JSON is not a v0.2 signing config.</exception>
    public static SigningConfig Parse(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray());
        }
        catch (JsonException e)
        {
            throw Malformed($"not JSON ({e.Message})");
        }

        // A lone surrogate, escaped ("\ud800") or encoded as UTF-8, passes the JSON reader, but reading
        // it as a string, or comparing a property name that holds one, throws InvalidOperationException.
        using (document)
        {
            try
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw Malformed("not a JSON object");
                }

                var mediaType = root.TryGetProperty("mediaType", out var media)
                    && media.ValueKind == JsonValueKind.String
                        ? media.GetString()
                        : null;
                if (mediaType != MediaTypeV02)
                {
                    throw new CofferException(
                        $"signing config media type '{mediaType ?? "(none)"}' is not supported",
                        $"Coffer reads {MediaTypeV02}.",
                        ExitCodes.Usage);
                }

                return new SigningConfig
                {
                    CaUrls = ReadServices(root, "caUrls"),
                    OidcUrls = ReadServices(root, "oidcUrls"),
                    RekorTlogUrls = ReadServices(root, "rekorTlogUrls"),
                    TsaUrls = ReadServices(root, "tsaUrls"),
                };
            }
            catch (InvalidOperationException)
            {
                throw Malformed("it holds text that is not valid Unicode");
            }
        }
    }

    /// <summary>
    /// Picks the services for a run: an override wins; otherwise the newest entry whose window
    /// holds <paramref name="now"/> and whose API version Coffer speaks.
    /// </summary>
    /// <exception cref="CofferException">The config names transparency logs but none Coffer can use.</exception>
    public SigningServices Resolve(SigningServiceOverrides? overrides, DateTimeOffset now)
    {
        var fulcio = overrides?.FulcioUrl ?? Select(CaUrls, SupportedCaVersion, now)?.Url;
        var rekor = overrides?.RekorUrl ?? Select(RekorTlogUrls, SupportedRekorVersion, now)?.Url;
        var timestamp = overrides?.TimestampUrl ?? Select(TsaUrls, SupportedTsaVersion, now)?.Url;

        if (rekor is null && RekorTlogUrls.Any(s => s.IsValidAt(now)))
        {
            throw new CofferException(
                "the signing config lists no Rekor v1 log that is valid now (Rekor v2 is not supported yet)",
                "Pass --rekor-url with a Rekor v1 URL.",
                ExitCodes.Usage);
        }

        return new SigningServices(fulcio, rekor, timestamp);
    }

    private static ServiceEndpoint Always(string url, int version) =>
        new(new Uri(url), version, ValidFor: null, Operator: "sigstore.dev");

    private static ServiceEndpoint? Select(IReadOnlyList<ServiceEndpoint> services, int version, DateTimeOffset now) =>
        services
            .Where(s => s.MajorApiVersion == version && s.IsValidAt(now))
            .OrderByDescending(s => s.ValidFor?.Start ?? DateTimeOffset.MinValue)
            .FirstOrDefault();

    private static List<ServiceEndpoint> ReadServices(JsonElement root, string name)
    {
        var services = new List<ServiceEndpoint>();
        if (!root.TryGetProperty(name, out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return services;
        }

        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() > MaxServices)
        {
            throw Malformed($"{name} is not a list of at most {MaxServices} services");
        }

        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var field = $"{name}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("url", out var urlElement) || urlElement.ValueKind != JsonValueKind.String
                || !Uri.TryCreate(urlElement.GetString(), UriKind.Absolute, out var url)
                || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                throw Malformed($"{field}.url is not an http(s) URL");
            }

            var version = item.TryGetProperty("majorApiVersion", out var v) && v.TryGetInt32(out var parsed)
                ? parsed
                : throw Malformed($"{field}.majorApiVersion is missing");
            var op = item.TryGetProperty("operator", out var o) && o.ValueKind == JsonValueKind.String
                ? o.GetString()
                : null;
            services.Add(new ServiceEndpoint(url, version, ReadValidity(item, field), op));
        }

        return services;
    }

    private static ValidityPeriod? ReadValidity(JsonElement item, string field)
    {
        if (!item.TryGetProperty("validFor", out var validFor) || validFor.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        // §2: a window without a start is malformed, not unbounded.
        var start = ReadTime(validFor, "start", field) ?? throw Malformed($"{field}.validFor has no start");
        return new ValidityPeriod { Start = start, End = ReadTime(validFor, "end", field) };
    }

    private static DateTimeOffset? ReadTime(JsonElement validFor, string name, string field)
    {
        if (!validFor.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw Malformed($"{field}.validFor.{name} is not an RFC 3339 time");
    }

    private static CofferException Malformed(string detail) =>
        new($"the signing config is malformed: {detail}", null, ExitCodes.Usage);
}
