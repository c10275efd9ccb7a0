using Coffer.Registry;
using Coffer.Targets;

namespace Coffer.Cli.Hosting;

/// <summary>An opened <see cref="TargetArgument"/>: the repository or layout, disposed with this.</summary>
internal sealed class CommandTarget : IDisposable
{
    private readonly RegistryClient? _client;
    private readonly OciLayout? _layout;

    public CommandTarget(TargetArgument argument, RegistryClient client)
    {
        Argument = argument;
        _client = client;
        Target = client.Repository!;
    }

    public CommandTarget(TargetArgument argument, OciLayout layout)
    {
        Argument = argument;
        _layout = layout;
        Target = layout;
    }

    /// <summary>What the command line said.</summary>
    public TargetArgument Argument { get; }

    /// <summary>The repository or layout.</summary>
    public ITarget Target { get; }

    /// <inheritdoc/>
    public void Dispose()
    {
        _client?.Dispose();
        _layout?.Dispose();
    }
}
