using Coffer.Errors;
using Coffer.Registry;

namespace Coffer.Cli.Commands;

/// <summary>Parses reference arguments into usage errors that name the wrong part.</summary>
internal static class ReferenceArguments
{
    public static Reference Parse(string text)
    {
        if (!Reference.TryParse(text, out var reference, out var error))
        {
            throw new UsageException(error);
        }

        return reference;
    }

    /// <summary>Parses <c>registry/repo:t1,t2,t3</c>: the first tag is the reference's, the rest are extra.</summary>
    public static (Reference Reference, IReadOnlyList<string> Tags) WithTags(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var head = at < 0 ? text : text[..at];
        var lastSlash = head.LastIndexOf('/');
        var comma = head.IndexOf(',', Math.Max(lastSlash, 0));
        if (comma < 0)
        {
            var single = Parse(text);
            return (single, single.Tag is null ? [] : [single.Tag]);
        }

        var extra = head[(comma + 1)..].Split(',');
        var reference = Parse(head[..comma] + (at < 0 ? "" : text[at..]));
        foreach (var tag in extra)
        {
            if (!Reference.IsValidTag(tag))
            {
                throw new UsageException($"invalid reference '{text}': extra tag '{tag}' is not a valid tag");
            }
        }

        var tags = new List<string>();
        if (reference.Tag is not null)
        {
            tags.Add(reference.Tag);
        }

        tags.AddRange(extra.Where(t => !tags.Contains(t)));
        return (reference, tags);
    }
}
