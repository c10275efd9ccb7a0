using System.Text;
using System.Text.Json.Nodes;

namespace Coffer.Testing.Sigstore;

/// <summary>Rekor entry bodies in the shapes the public logs produce.</summary>
public static class TestLogBodies
{
    /// <summary>hashedrekord 0.0.1: sha256 hex, base64 signature, base64 of the PEM verifier.</summary>
    public static string HashedRekordV001(byte[] sha256, byte[] signature, string pemVerifier) => new JsonObject
    {
        ["apiVersion"] = "0.0.1",
        ["kind"] = "hashedrekord",
        ["spec"] = new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["hash"] = new JsonObject { ["algorithm"] = "sha256", ["value"] = Convert.ToHexStringLower(sha256) },
            },
            ["signature"] = new JsonObject
            {
                ["content"] = Convert.ToBase64String(signature),
                ["publicKey"] = new JsonObject { ["content"] = Base64(pemVerifier) },
            },
        },
    }.ToJsonString();

    /// <summary>hashedrekord 0.0.2 (Rekor v2): digest, signature, certificate or public key.</summary>
    public static string HashedRekordV002(byte[] sha256, byte[] signature, byte[]? certificate, byte[]? spki) =>
        new JsonObject
        {
            ["apiVersion"] = "0.0.2",
            ["kind"] = "hashedrekord",
            ["spec"] = new JsonObject
            {
                ["hashedRekordV002"] = new JsonObject
                {
                    ["data"] = new JsonObject
                    {
                        ["algorithm"] = "SHA2_256",
                        ["digest"] = Convert.ToBase64String(sha256),
                    },
                    ["signature"] = new JsonObject
                    {
                        ["content"] = Convert.ToBase64String(signature),
                        ["verifier"] = certificate is not null
                            ? new JsonObject
                            {
                                ["keyDetails"] = "PKIX_ECDSA_P256_SHA_256",
                                ["x509Certificate"] = new JsonObject
                                {
                                    ["rawBytes"] = Convert.ToBase64String(certificate),
                                },
                            }
                            : new JsonObject
                            {
                                ["keyDetails"] = "PKIX_ECDSA_P256_SHA_256",
                                ["publicKey"] = new JsonObject { ["rawBytes"] = Convert.ToBase64String(spki!) },
                            },
                    },
                },
            },
        }.ToJsonString();

    /// <summary>dsse 0.0.1: payload hash, the signature and its PEM verifier.</summary>
    public static string DsseV001(byte[] payloadSha256, byte[] signature, string pemVerifier) => new JsonObject
    {
        ["apiVersion"] = "0.0.1",
        ["kind"] = "dsse",
        ["spec"] = new JsonObject
        {
            ["envelopeHash"] = new JsonObject { ["algorithm"] = "sha256", ["value"] = new string('0', 64) },
            ["payloadHash"] = new JsonObject
            {
                ["algorithm"] = "sha256",
                ["value"] = Convert.ToHexStringLower(payloadSha256),
            },
            ["signatures"] = new JsonArray(new JsonObject
            {
                ["signature"] = Convert.ToBase64String(signature),
                ["verifier"] = Base64(pemVerifier),
            }),
        },
    }.ToJsonString();

    /// <summary>intoto 0.0.2, with its double base64 of payload and signature.</summary>
    public static string InTotoV002(byte[] payload, string payloadType, byte[] payloadSha256, byte[] signature,
        string pemVerifier) => new JsonObject
    {
        ["apiVersion"] = "0.0.2",
        ["kind"] = "intoto",
        ["spec"] = new JsonObject
        {
            ["content"] = new JsonObject
            {
                ["envelope"] = new JsonObject
                {
                    ["payload"] = Base64(Convert.ToBase64String(payload)),
                    ["payloadType"] = payloadType,
                    ["signatures"] = new JsonArray(new JsonObject
                    {
                        ["publicKey"] = Base64(pemVerifier),
                        ["sig"] = Base64(Convert.ToBase64String(signature)),
                    }),
                },
                ["hash"] = new JsonObject { ["algorithm"] = "sha256", ["value"] = new string('0', 64) },
                ["payloadHash"] = new JsonObject
                {
                    ["algorithm"] = "sha256",
                    ["value"] = Convert.ToHexStringLower(payloadSha256),
                },
            },
        },
    }.ToJsonString();

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
