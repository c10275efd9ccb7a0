namespace Coffer.Testing.Internal;

/// <summary>A parsed <c>type:name:actions</c> scope, e.g. <c>repository:test/art:pull,push</c>.</summary>
internal sealed record TokenScope(string Type, string Name, IReadOnlyList<string> Actions)
{
    /// <summary>Splits scope parameters (each may hold several space-separated scopes).</summary>
    public static IReadOnlyList<string> Split(IEnumerable<string?> values) =>
        values
            .SelectMany(v => (v ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToList();

    /// <summary>Parses one scope; the name may contain colons, the type and actions may not.</summary>
    public static TokenScope? TryParse(string scope)
    {
        var first = scope.IndexOf(':', StringComparison.Ordinal);
        var last = scope.LastIndexOf(':');
        if (first <= 0 || last <= first + 1)
        {
            return null;
        }

        var actions = scope[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries);
        return new TokenScope(scope[..first], scope[(first + 1)..last], actions);
    }
}
