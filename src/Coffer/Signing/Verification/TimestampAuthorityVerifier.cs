using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Coffer.Signing.Verification;

/// <summary>Verifies RFC 3161 timestamps over a signature (spec-notes §1.5, §3.1).</summary>
internal static class TimestampAuthorityVerifier
{
    private const string TimeStampingOid = "1.3.6.1.5.5.7.3.8";

    /// <summary>
    /// Verifies one timestamp against the trusted timestamp authorities. Returns the verified time
    /// and the index of the authority, or null with the reason.
    /// </summary>
    public static (VerifiedTimestamp Time, int Authority)? Verify(byte[] signedTimestamp, byte[] signature,
        IReadOnlyList<TrustedAuthority> authorities, out string failure)
    {
        // §1.5: the field holds a TimeStampResp; accept a bare TimeStampToken too.
        var token = UnwrapToken(signedTimestamp, out failure);
        if (token is null)
        {
            return null;
        }

        if (!Rfc3161TimestampToken.TryDecode(token, out var decoded, out var consumed) || consumed != token.Length)
        {
            failure = "the timestamp is not a valid RFC 3161 token (or its embedded signer is not valid at genTime)";
            return null;
        }

        // §3.1: the messageImprint must be the hash of the signature bytes.
        var info = decoded.TokenInfo;
        HashAlgorithmName? hash = info.HashAlgorithmId.Value switch
        {
            "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
            "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
            "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
            _ => null,
        };
        if (hash is null)
        {
            failure = $"the timestamp uses an unsupported hash {info.HashAlgorithmId.Value}";
            return null;
        }

        var expected = hash == HashAlgorithmName.SHA384 ? SHA384.HashData(signature)
            : hash == HashAlgorithmName.SHA512 ? SHA512.HashData(signature)
            : SHA256.HashData(signature);
        if (!info.GetMessageHash().Span.SequenceEqual(expected))
        {
            failure = "the timestamp's messageImprint is not the hash of the signature";
            return null;
        }

        var genTime = info.Timestamp;
        var reasons = new List<string>();
        for (var i = 0; i < authorities.Count; i++)
        {
            var reason = TryAuthority(decoded, expected, hash.Value, genTime, authorities[i]);
            if (reason is null)
            {
                var time = new VerifiedTimestamp(genTime, TimestampSource.TimestampAuthority, authorities[i].Name);
                return (time, i);
            }

            reasons.Add($"{authorities[i].Name}: {reason}");
        }

        failure = authorities.Count == 0
            ? "the trusted root lists no timestamp authority"
            : $"no trusted timestamp authority verifies it ({string.Join("; ", reasons)})";
        return null;
    }

    private static string? TryAuthority(Rfc3161TimestampToken token, byte[] hash, HashAlgorithmName algorithm,
        DateTimeOffset genTime, TrustedAuthority authority)
    {
        // The signer may be embedded in the token or be the trusted root's leaf: try both.
        var candidates = new X509Certificate2Collection();
        foreach (var certificate in authority.Chain)
        {
            candidates.Add(certificate);
        }

        if (!token.VerifySignatureForHash(hash, algorithm, out var signer, candidates) || signer is null)
        {
            return "its key did not sign the timestamp";
        }

        // §3.1: the TSA chain must lead to this authority's anchor and be valid at genTime.
        if (CertificatePath.Validate(signer, authority.Chain, genTime, out var failure) is null)
        {
            return $"the signing certificate does not chain to it at genTime ({failure})";
        }

        // §1.5: the TSA leaf must be allowed to time-stamp.
        var eku = signer.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (eku is null || !eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == TimeStampingOid))
        {
            return "the signing certificate lacks the timeStamping extended key usage";
        }

        // §2: genTime must lie in the authority's validFor window (closed interval).
        if (!authority.ValidFor.Contains(genTime))
        {
            return $"genTime {genTime:O} is outside its validFor window";
        }

        return null;
    }

    private static byte[]? UnwrapToken(byte[] data, out string failure)
    {
        failure = "";
        try
        {
            var outer = new AsnReader(data, AsnEncodingRules.BER);
            var sequence = outer.ReadSequence();
            if (outer.HasData)
            {
                failure = "the timestamp has trailing data";
                return null;
            }

            if (sequence.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
            {
                return data;
            }

            // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }
            var status = sequence.ReadSequence();
            if (!status.TryReadInt32(out var code) || code is not (0 or 1))
            {
                failure = "the timestamp response does not grant a timestamp";
                return null;
            }

            if (!sequence.HasData)
            {
                failure = "the timestamp response holds no token";
                return null;
            }

            var token = sequence.ReadEncodedValue().ToArray();
            if (sequence.HasData)
            {
                failure = "the timestamp response has trailing data";
                return null;
            }

            return token;
        }
        catch (AsnContentException e)
        {
            failure = $"the timestamp is not DER ({e.Message})";
            return null;
        }
    }
}
