using Coffer.Cli.Hosting;
using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Errors;
using Coffer.Registry;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer repo ls</c>: the registry's catalog, optionally under one namespace.</summary>
internal static class RepoListCommand
{
    public static CommandSpec Spec { get; } = new()
    {
        Name = "repo ls",
        Aliases = ["list"],
        Summary = "List the repositories of a registry",
        Usage = "repo ls [flags] <registry>[/<namespace>]",
        Description =
            "Reads the registry's catalog (GET /v2/_catalog), page by page. With a namespace, only the\n" +
            "repositories under it are listed, with the namespace left off their names. Next-page links\n" +
            $"are followed only on the registry's own origin, for at most {RegistryLimits.MaxListPages} pages.",
        Examples =
        [
            "coffer repo ls localhost:5000",
            "coffer repo ls --last app/a localhost:5000/team --format json",
        ],
        MinArguments = 1,
        MaxArguments = 1,
        Options = CommonOptions.With(CommonOptions.Remote,
        [
            new("last", null, "name", "list only repositories after this one"),
            new("oci-layout", null, null, "refused: a layout holds one repository; use repo tags --oci-layout"),
            CommonOptions.Format,
        ]),
        Run = RunAsync,
    };

    private static async Task<int> RunAsync(CliContext context, ParsedCommand parsed)
    {
        if (parsed.Flag("oci-layout"))
        {
            throw new UsageException(
                "repo ls lists the repositories of a registry, and an OCI layout is a single repository; " +
                "list its tags with coffer repo tags --oci-layout <dir-or-tar>");
        }

        var session = new Session(context, parsed);
        var (registry, space) = Target(parsed.Arguments[0]);
        var last = parsed.Value("last");
        var prefix = space is null ? "" : space + "/";
        if (last is not null)
        {
            last = prefix + last;
        }

        using var client = new RegistryClient(registry, session.ClientOptions());
        var operation = $"list repositories of {parsed.Arguments[0]}";
        var names = (await client.CatalogAsync(last, operation, context.Cancellation).ConfigureAwait(false))
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Select(n => n[prefix.Length..])
            .ToList();

        if (session.Json)
        {
            new RepositoriesDocument { Repositories = names }.WriteTo(context.Stdout);
            return ExitCodes.Success;
        }

        foreach (var name in names)
        {
            context.Stdout.WriteLine(name);
        }

        return ExitCodes.Success;
    }

    private static (string Registry, string? Namespace) Target(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var probe = slash < 0 || slash == text.Length - 1 ? text.TrimEnd('/') + "/namespace" : text;
        var reference = ReferenceArguments.Parse(probe);
        if (reference.ManifestReference is not null)
        {
            throw new UsageException($"'{text}' names a tag or digest; give <registry>[/<namespace>]");
        }

        return (reference.Registry, probe == text ? reference.Repository : null);
    }
}
