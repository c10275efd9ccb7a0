using System.Text;
using System.Text.Json.Nodes;
using Coffer.Errors;
using Coffer.Signing.Bundles;
using Coffer.Testing.Sigstore;

namespace Coffer.Tests.Signing.Bundles;

public sealed class BundleSerializerTests : IDisposable
{
    private readonly TestSigstoreAuthority _authority = new();

    public void Dispose() => _authority.Dispose();

    [Fact]
    public void Serialize_V03_WritesProtoJsonWithInt64Strings()
    {
        using var signed = _authority.Sign("artifact"u8.ToArray());

        var json = JsonNode.Parse(BundleSerializer.Serialize(signed.Bundle))!;

        Assert.Equal(BundleMediaTypes.V03, (string?)json["mediaType"]);
        var entry = json["verificationMaterial"]!["tlogEntries"]![0]!;
        Assert.Equal(System.Text.Json.JsonValueKind.String, entry["logIndex"]!.GetValueKind());
        Assert.Equal(System.Text.Json.JsonValueKind.String, entry["integratedTime"]!.GetValueKind());
        Assert.Equal(System.Text.Json.JsonValueKind.String, entry["inclusionProof"]!["treeSize"]!.GetValueKind());
        Assert.NotNull(json["verificationMaterial"]!["certificate"]!["rawBytes"]);
        Assert.Null(json["dsseEnvelope"]);
    }

    [Fact]
    public void Parse_RoundTrip_KeepsEveryField()
    {
        using var signed = _authority.Sign("artifact"u8.ToArray(), new SignOptions { Timestamp = true });
        var json = BundleSerializer.Serialize(signed.Bundle);

        var parsed = BundleSerializer.Parse(json);

        Assert.Equal(json, BundleSerializer.Serialize(parsed));
        Assert.Equal(BundleVersion.V03, parsed.Version);
    }

    [Fact]
    public void Parse_Int64AsNumber_IsAccepted()
    {
        var json = Mutate(n => n["verificationMaterial"]!["tlogEntries"]![0]!["logIndex"] = 12345);

        var bundle = BundleSerializer.Parse(json);

        Assert.Equal(12345, bundle.VerificationMaterial!.TlogEntries![0].LogIndex);
    }

    [Theory]
    [InlineData(BundleMediaTypes.V01, BundleVersion.V01)]
    [InlineData(BundleMediaTypes.V02, BundleVersion.V02)]
    [InlineData(BundleMediaTypes.V03Legacy, BundleVersion.V03)]
    [InlineData(BundleMediaTypes.V03, BundleVersion.V03)]
    public void Parse_KnownMediaTypes_GiveTheirVersion(string mediaType, BundleVersion version)
    {
        var json = Mutate(n =>
        {
            n["mediaType"] = mediaType;
            var material = n["verificationMaterial"]!.AsObject();
            var certificate = material["certificate"]!.DeepClone();
            material.Remove("certificate");
            material["x509CertificateChain"] = new JsonObject { ["certificates"] = new JsonArray(certificate) };
        });

        Assert.Equal(version, BundleSerializer.Parse(json).Version);
    }

    [Theory]
    [InlineData("application/vnd.dev.sigstore.bundle+json;version=99.9")]
    [InlineData("application/vnd.dev.sigstore.bundle.v0.4+json")]
    [InlineData("")]
    public void Parse_UnknownMediaType_IsRefused(string mediaType)
    {
        var error = Refused(Mutate(n => n["mediaType"] = mediaType));

        Assert.Contains("not a supported bundle version", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.VerificationFailed, error.ExitCode);
    }

    [Fact]
    public void Parse_MalformedBase64_NamesThePath()
    {
        var error = Refused(Mutate(n => n["messageSignature"]!["signature"] = "MEUCIQ!!notbase64"));

        Assert.Contains("malformed base64", error.Message, StringComparison.Ordinal);
        Assert.Contains("messageSignature.signature", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NegativeLogIndex_IsRefused()
    {
        var error = Refused(Mutate(n => n["verificationMaterial"]!["tlogEntries"]![0]!["logIndex"] = "-1"));

        Assert.Contains("negative logIndex", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NonDecimalInt64_IsRefused()
    {
        var error = Refused(Mutate(n => n["verificationMaterial"]!["tlogEntries"]![0]!["logIndex"] = "0x10"));

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingMaterial_IsRefused()
    {
        var error = Refused(Mutate(n => n.AsObject().Remove("verificationMaterial")));

        Assert.Contains("no verificationMaterial", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoKeyMaterial_IsRefused()
    {
        var error = Refused(Mutate(n => n["verificationMaterial"]!.AsObject().Remove("certificate")));

        Assert.Contains("no certificate, x509CertificateChain or publicKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TwoKeyMaterials_IsRefused()
    {
        var error = Refused(Mutate(n => n["verificationMaterial"]!["publicKey"] = new JsonObject { ["hint"] = "x" }));

        Assert.Contains("more than one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyCertificateChain_IsRefused()
    {
        var error = Refused(Mutate(n =>
        {
            var material = n["verificationMaterial"]!.AsObject();
            material.Remove("certificate");
            material["x509CertificateChain"] = new JsonObject { ["certificates"] = new JsonArray() };
        }));

        Assert.Contains("x509CertificateChain is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NeitherContent_IsRefused()
    {
        var error = Refused(Mutate(n => n.AsObject().Remove("messageSignature")));

        Assert.Contains("neither a messageSignature nor a dsseEnvelope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BothContents_IsRefused()
    {
        var error = Refused(Mutate(n => n["dsseEnvelope"] = new JsonObject
        {
            ["payload"] = "e30=",
            ["payloadType"] = "application/vnd.in-toto+json",
            ["signatures"] = new JsonArray(new JsonObject { ["sig"] = "AAAA" }),
        }));

        Assert.Contains("both a messageSignature and a dsseEnvelope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateProperty_IsRefused()
    {
        var json = Mutate(_ => { });
        var duplicated = json.Replace("\"messageSignature\":{", "\"messageSignature\":{\"signature\":\"AAAA\",",
            StringComparison.Ordinal);

        var error = Refused(duplicated);

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MalformedJson_IsRefused()
    {
        var json = BundleSerializer.Serialize(Signed().Bundle);

        var error = Refused(json[..(json.Length / 2)]);

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooManyTlogEntries_IsRefused()
    {
        var error = Refused(Mutate(n =>
        {
            var entries = n["verificationMaterial"]!["tlogEntries"]!.AsArray();
            var first = entries[0]!;
            for (var i = 0; i < BundleLimits.MaxTlogEntries; i++)
            {
                entries.Add(first.DeepClone());
            }
        }));

        Assert.Contains("more than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooManyProofHashes_IsRefused()
    {
        var error = Refused(Mutate(n =>
        {
            var hashes = n["verificationMaterial"]!["tlogEntries"]![0]!["inclusionProof"]!["hashes"]!.AsArray();
            for (var i = 0; i <= BundleLimits.MaxProofHashes; i++)
            {
                hashes.Add(Convert.ToBase64String(new byte[32]));
            }
        }));

        Assert.Contains("hashes, more than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PreAuthenticationEncoding_FollowsDsseV1()
    {
        var pae = DsseEnvelope.PreAuthenticationEncoding("http://example.com/HelloWorld", "hello world"u8);

        Assert.Equal("DSSEv1 29 http://example.com/HelloWorld 11 hello world", Encoding.UTF8.GetString(pae));
    }

    private TestSignedBundle Signed() => _authority.Sign("artifact"u8.ToArray());

    private string Mutate(Action<JsonNode> edit)
    {
        using var signed = Signed();
        var node = JsonNode.Parse(signed.ToJson())!;
        edit(node);
        return node.ToJsonString();
    }

    private static BundleFormatException Refused(string json) =>
        Assert.Throws<BundleFormatException>(() => BundleSerializer.Parse(json));
}
