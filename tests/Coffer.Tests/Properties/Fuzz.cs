using System.Diagnostics;
using System.Text;
using CsCheck;
using Xunit.Abstractions;

namespace Coffer.Tests.Properties;

/// <summary>
/// Input generators and the runner the property tests share: valid samples mutated at random,
/// plus plain random text, each fed to a parser that must either succeed or throw one of its
/// documented exception types, quickly.
/// </summary>
internal static class Fuzz
{
    /// <summary>Longest any single parse may take before the test fails.</summary>
    /// <remarks>
    /// Wall time, so it has to allow for a busy machine: one scrypt key derivation at the largest cost
    /// a key file may ask for takes a tenth of a second alone and seconds when every core is taken.
    /// What this catches is a parser that hangs or whose work grows with a number in its input.
    /// </remarks>
    public static readonly TimeSpan PerInputLimit = TimeSpan.FromSeconds(10);

    /// <summary>Pieces that tend to matter to parsers of text and JSON.</summary>
    private static readonly string[] Tokens =
    [
        "\"", "'", "\\", "{", "}", "[", "]", ":", ",", ";", "=", "@", "/", "<", ">", " ", "\t", "\r\n", "\0",
        "null", "true", "false", "0", "-1", "1e309", "-0", "9223372036854775808", "1.5", "\"\"", "{}", "[]",
        "\\u0000", "\\ud800", "é", "\u202e", "😀", "\uFFFD", "sha256:", "sha512:", "http://", "https://",
        "-----BEGIN ", "-----END ", "-----", "==", "%00", "%2F", "..", "//",
    ];

    /// <summary>A valid sample mutated 0 to 8 times, or (one time in five) random text.</summary>
    public static Gen<string> Mutated(params string[] samples) =>
        Gen.Frequency(
            (4, Gen.Select(Gen.Int[0, samples.Length - 1], Gen.Int[0, 8], Gen.Int,
                (index, count, seed) => Mutate(samples[index], count, new Random(seed)))),
            (1, Gen.String));

    /// <summary>As <see cref="Mutated"/>, as UTF-8 bytes, sometimes with a few raw bytes flipped.</summary>
    public static Gen<byte[]> MutatedUtf8(params string[] samples) =>
        Gen.Select(Mutated(samples), Gen.Int[0, 3], Gen.Int, (text, flips, seed) =>
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            var random = new Random(seed);
            for (var i = 0; i < flips && bytes.Length > 0; i++)
            {
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
            }

            return bytes;
        });

    /// <summary>
    /// A binary sample (DER, tar) mutated 0 to 8 times: bits flipped, bytes set to values that
    /// matter to length and tag fields, runs deleted or repeated, random bytes inserted, or cut.
    /// </summary>
    public static Gen<byte[]> MutatedBytes(params byte[][] samples) =>
        Gen.Select(Gen.Int[0, samples.Length - 1], Gen.Int[0, 8], Gen.Int,
            (index, count, seed) => MutateBytes(samples[index], count, new Random(seed)));

    /// <summary>
    /// A DER sample mutated 0 to 8 times: as <see cref="MutatedBytes"/>, plus edits of the length
    /// fields of its TLVs at any depth (off by one, zero, indefinite, non-minimal, longer than the
    /// input, more length octets than any reader takes) and of big-endian 16-bit fields, which is
    /// how TLS structures such as an SCT list carry their lengths.
    /// </summary>
    public static Gen<byte[]> MutatedDer(params byte[][] samples) =>
        Gen.Select(Gen.Int[0, samples.Length - 1], Gen.Int[0, 8], Gen.Int,
            (index, count, seed) => MutateDer(samples[index], count, new Random(seed)));

    public static byte[] MutateDer(byte[] sample, int count, Random random)
    {
        var bytes = sample;
        for (var i = 0; i < count && bytes.Length > 0; i++)
        {
            bytes = random.Next(3) switch
            {
                0 => EditDerLength(bytes, random),
                1 => EditUInt16(bytes, random),
                _ => MutateBytes(bytes, 1, random),
            };
        }

        return bytes;
    }

    public static byte[] MutateBytes(byte[] sample, int count, Random random)
    {
        byte[] interesting = [0x00, 0x01, 0x7F, 0x80, 0x81, 0x82, 0x84, 0xFF, 0x30, 0xA0, 0x04, 0x06];
        var bytes = new List<byte>(sample);
        for (var i = 0; i < count && bytes.Count > 0; i++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes[at] = interesting[random.Next(interesting.Length)];
                    break;
                case 2:
                    bytes.RemoveRange(at, random.Next(1, Math.Min(16, bytes.Count - at) + 1));
                    break;
                case 3:
                    var slice = bytes.GetRange(at, random.Next(1, Math.Min(32, bytes.Count - at) + 1));
                    for (var j = random.Next(1, 8); j > 0; j--)
                    {
                        bytes.InsertRange(at, slice);
                    }

                    break;
                case 4:
                    var noise = new byte[random.Next(1, 8)];
                    random.NextBytes(noise);
                    bytes.InsertRange(at, noise);
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }

    // Rewrites the length field of one TLV found anywhere in the sample.
    private static byte[] EditDerLength(byte[] sample, Random random)
    {
        var lengths = new List<(int At, int Size, int Length)>();
        DerLengths(sample, 0, sample.Length, 0, lengths);
        if (lengths.Count == 0)
        {
            return MutateBytes(sample, 1, random);
        }

        var (at, size, length) = lengths[random.Next(lengths.Count)];
        byte[] replacement = random.Next(10) switch
        {
            0 => DerLength(length + 1),
            1 => DerLength(Math.Max(0, length - 1)),
            2 => [0x00],
            3 => [0x80],
            4 => [0x82, (byte)(length >> 8), (byte)length],
            5 => [0x84, 0xFF, 0xFF, 0xFF, 0xFF],
            6 => [0x84, 0x7F, 0xFF, 0xFF, 0xFF],
            7 => [0x88, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
            8 => [0xFF],
            _ => DerLength(length + random.Next(2, 1 << 16)),
        };
        return [.. sample.AsSpan(0, at), .. replacement, .. sample.AsSpan(at + size)];
    }

    // Sets two bytes at a random offset to a big-endian value that matters to a length.
    private static byte[] EditUInt16(byte[] sample, Random random)
    {
        if (sample.Length < 2)
        {
            return MutateBytes(sample, 1, random);
        }

        var bytes = (byte[])sample.Clone();
        var at = random.Next(bytes.Length - 1);
        var current = (bytes[at] << 8) | bytes[at + 1];
        int[] values = [0, 1, 0x7FFF, 0x8000, 0xFFFF, current + 1, current - 1, bytes.Length - at, bytes.Length];
        var value = values[random.Next(values.Length)] & 0xFFFF;
        bytes[at] = (byte)(value >> 8);
        bytes[at + 1] = (byte)value;
        return bytes;
    }

    private static byte[] DerLength(int length) => length switch
    {
        < 0x80 => [(byte)length],
        < 0x100 => [0x81, (byte)length],
        < 0x10000 => [0x82, (byte)(length >> 8), (byte)length],
        _ => [0x83, (byte)(length >> 16), (byte)(length >> 8), (byte)length],
    };

    // Records where each well-formed TLV between start and end keeps its length, descending into
    // constructed values and into OCTET and BIT STRINGs, where X.509 keeps extension values.
    private static void DerLengths(byte[] data, int start, int end, int depth,
        List<(int At, int Size, int Length)> found)
    {
        var position = start;
        while (position < end && depth < 32)
        {
            var tag = data[position++];
            if ((tag & 0x1F) == 0x1F)
            {
                while (position < end && (data[position] & 0x80) != 0)
                {
                    position++;
                }

                position++;
            }

            if (position >= end)
            {
                return;
            }

            var at = position;
            int size, length;
            if (data[at] < 0x80)
            {
                (size, length) = (1, data[at]);
            }
            else
            {
                var octets = data[at] & 0x7F;
                if (octets is 0 or > 3 || at + octets >= end)
                {
                    return;
                }

                length = 0;
                for (var i = 1; i <= octets; i++)
                {
                    length = (length << 8) | data[at + i];
                }

                size = 1 + octets;
            }

            var content = at + size;
            if (length > end - content)
            {
                return;
            }

            found.Add((at, size, length));
            if ((tag & 0x20) != 0 || tag == 0x04)
            {
                DerLengths(data, content, content + length, depth + 1, found);
            }
            else if (tag == 0x03 && length > 1)
            {
                DerLengths(data, content + 1, content + length, depth + 1, found);
            }

            position = content + length;
        }
    }

    public static string Mutate(string sample, int count, Random random)
    {
        var text = new StringBuilder(sample);
        for (var i = 0; i < count; i++)
        {
            var at = text.Length == 0 ? 0 : random.Next(text.Length + 1);
            switch (random.Next(7))
            {
                case 0: // insert a token
                    text.Insert(at, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 1: // insert a random character
                    text.Insert(at, (char)random.Next(0, 0x3000));
                    break;
                case 2: // delete a run
                    if (at < text.Length)
                    {
                        text.Remove(at, random.Next(1, Math.Min(16, text.Length - at) + 1));
                    }

                    break;
                case 3: // replace one character
                    if (at < text.Length)
                    {
                        text[at] = Tokens[random.Next(Tokens.Length)][0];
                    }

                    break;
                case 4: // duplicate a slice, sometimes many times
                    if (at < text.Length)
                    {
                        var slice = text.ToString(at, random.Next(1, Math.Min(32, text.Length - at) + 1));
                        text.Insert(at, string.Concat(Enumerable.Repeat(slice, random.Next(1, 64))));
                    }

                    break;
                case 5: // truncate
                    text.Length = at;
                    break;
                default: // swap the case of a run
                    for (var j = at; j < Math.Min(text.Length, at + 8); j++)
                    {
                        text[j] = char.IsUpper(text[j])
                            ? char.ToLowerInvariant(text[j])
                            : char.ToUpperInvariant(text[j]);
                    }

                    break;
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Feeds <paramref name="iterations"/> inputs to <paramref name="parse"/>, which returns whether
    /// the parser accepted the input. Each must return or
    /// throw an exception that <paramref name="allowed"/> accepts, within <see cref="PerInputLimit"/>.
    /// Reports the number of inputs run, and how many were accepted, to the test output, and
    /// returns the number accepted.
    /// </summary>
    public static long Run<T>(
        ITestOutputHelper output,
        string parser,
        Gen<T> gen,
        Func<T, bool> parse,
        Func<Exception, bool> allowed,
        long iterations)
    {
        long inputs = 0, accepted = 0;
        var total = Stopwatch.StartNew();
        gen.Sample(
            input =>
            {
                Interlocked.Increment(ref inputs);
                var watch = Stopwatch.StartNew();
                try
                {
                    if (parse(input))
                    {
                        Interlocked.Increment(ref accepted);
                    }
                }
                catch (Exception e) when (allowed(e))
                {
                }
                catch (Exception e)
                {
                    throw new Xunit.Sdk.XunitException(
                        $"{parser} threw an undocumented {e.GetType().FullName}: {e.Message}", e);
                }

                if (watch.Elapsed > PerInputLimit)
                {
                    throw new Xunit.Sdk.XunitException(
                        $"{parser} took {watch.Elapsed.TotalMilliseconds:F0} ms for one input");
                }
            },
            iter: iterations,
            threads: 1);
        output.WriteLine(
            $"{parser}: {inputs} inputs run ({accepted} accepted, {inputs - accepted} refused) in " +
            $"{total.Elapsed.TotalMilliseconds:F0} ms");
        return accepted;
    }
}
