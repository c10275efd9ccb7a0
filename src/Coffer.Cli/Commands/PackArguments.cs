using System.Text.Json;
using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Content;
using Coffer.Errors;

namespace Coffer.Cli.Commands;

/// <summary>The arguments push and attach share: artifact type and annotations.</summary>
internal static class PackArguments
{
    public static string? ArtifactType(string? value)
    {
        if (value is not null && !MediaTypes.IsValid(value))
        {
            throw new UsageException($"--artifact-type '{value}' is not a valid media type (type/subtype)");
        }

        return value;
    }

    public static Dictionary<string, string> Annotations(IReadOnlyList<string> values)
    {
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in values)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"annotation '{pair}' must be key=value");
            }

            if (!annotations.TryAdd(pair[..equals], pair[(equals + 1)..]))
            {
                throw new UsageException($"annotation key '{pair[..equals]}' is given twice");
            }
        }

        return annotations;
    }

    public static Dictionary<string, Dictionary<string, string>> AnnotationFile(string? path, CliContext context)
    {
        if (path is null)
        {
            return [];
        }

        var full = Path.GetFullPath(path, context.WorkingDirectory);
        try
        {
            using var stream = File.OpenRead(full);
            if (stream.Length > 4 * 1024 * 1024)
            {
                throw new UsageException($"--annotation-file {path} is larger than 4 MiB");
            }

            return JsonSerializer.Deserialize(stream, CliJsonContext.Default.DictionaryStringDictionaryStringString)
                ?? throw new UsageException($"--annotation-file {path} holds JSON null");
        }
        catch (JsonException e)
        {
            throw new UsageException(
                $"--annotation-file {path} is not a JSON object of objects of strings: {e.Message}");
        }
        catch (IOException e)
        {
            throw new UsageException($"--annotation-file {path} could not be read: {e.Message}");
        }
    }
}
