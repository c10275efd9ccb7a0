using Coffer.Content;
using Coffer.Errors;

namespace Coffer.Artifacts;

/// <summary>
/// A file argument of push, <c>path[:mediaType]</c>. The text after the last colon is a media
/// type only when it matches the RFC 6838 grammar, which has no colons, so a path that contains
/// colons still parses; a trailing colon means "no media type".
/// </summary>
/// <param name="Path">The file path as given.</param>
/// <param name="MediaType">The layer media type, or null for the default.</param>
public sealed record FileReference(string Path, string? MediaType)
{
    /// <summary>Parses a file argument.</summary>
    /// <exception cref="UsageException">The argument is empty or names an invalid media type.</exception>
    public static FileReference Parse(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (argument.Length == 0)
        {
            throw new UsageException("a file argument is empty");
        }

        var colon = argument.LastIndexOf(':');
        if (colon < 0)
        {
            return new FileReference(argument, null);
        }

        var path = argument[..colon];
        var mediaType = argument[(colon + 1)..];
        if (mediaType.Length == 0)
        {
            return new FileReference(path, null);
        }

        // A Windows drive letter (C:\x) or a media type without a slash is part of the path.
        if (!mediaType.Contains('/', StringComparison.Ordinal) || (colon == 1 && char.IsAsciiLetter(argument[0])))
        {
            return new FileReference(argument, null);
        }

        if (!MediaTypes.IsValid(mediaType))
        {
            throw new UsageException(
                $"'{mediaType}' in file argument '{argument}' is not a valid media type (type/subtype); " +
                "end the argument with ':' if the colon belongs to the file name");
        }

        return path.Length == 0
            ? throw new UsageException($"file argument '{argument}' has a media type but no path")
            : new FileReference(path, mediaType);
    }
}
