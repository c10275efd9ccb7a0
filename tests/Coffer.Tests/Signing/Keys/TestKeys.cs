using System.Text;
using System.Text.Json.Nodes;
using Coffer.Signing.Keys;

namespace Coffer.Tests.Signing.Keys;

/// <summary>Keys the tests make themselves, and helpers to take their PEM files apart.</summary>
internal static class TestKeys
{
    public const string Password = "correct horse";

    private static readonly Lazy<string> SharedLegacyPem = new(() =>
    {
        using CosignPrivateKey key = CosignPrivateKey.Generate();
        return key.ToEncryptedPem(Password, ScryptParameters.Legacy);
    });

    /// <summary>One key encrypted with the cheapest accepted settings, made once per run.</summary>
    public static string LegacyPem => SharedLegacyPem.Value;

    /// <summary>The JSON envelope inside a cosign key PEM.</summary>
    public static JsonObject Envelope(string pem)
    {
        string body = string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));
        return JsonNode.Parse(Convert.FromBase64String(body))!.AsObject();
    }

    /// <summary>A cosign key PEM around any envelope or body bytes.</summary>
    public static string Pem(JsonNode envelope, string label = CosignPrivateKey.PemLabel) =>
        Pem(Encoding.UTF8.GetBytes(envelope.ToJsonString()), label);

    public static string Pem(byte[] body, string label = CosignPrivateKey.PemLabel) =>
        $"-----BEGIN {label}-----\n{Convert.ToBase64String(body, Base64FormattingOptions.InsertLineBreaks)}\n"
        + $"-----END {label}-----\n";
}
