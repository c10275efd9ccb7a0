namespace Coffer.Registry.Auth;

/// <summary>
/// Token scopes (<c>repository:name:pull,push</c>) from the Docker token specification: building,
/// merging and the canonical key a token is cached under.
/// </summary>
public static class Scopes
{
    /// <summary>The scope to read a repository.</summary>
    public static string Pull(string repository) => $"repository:{repository}:pull";

    /// <summary>The scope to read and write a repository.</summary>
    public static string PullPush(string repository) => $"repository:{repository}:pull,push";

    /// <summary>
    /// Merges scopes: actions of the same resource are united and sorted, and resources are
    /// sorted, so equal sets give equal keys.
    /// </summary>
    public static IReadOnlyList<string> Merge(IEnumerable<string> scopes)
    {
        var resources = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var scope in scopes)
        {
            // A challenge may carry several scopes separated by spaces.
            foreach (var one in scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var lastColon = one.LastIndexOf(':');
                if (lastColon <= 0)
                {
                    continue;
                }

                var resource = one[..lastColon];
                if (!resources.TryGetValue(resource, out var actions))
                {
                    actions = new SortedSet<string>(StringComparer.Ordinal);
                    resources[resource] = actions;
                }

                foreach (var action in one[(lastColon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    actions.Add(action);
                }
            }
        }

        var merged = new List<string>();
        foreach (var (resource, actions) in resources)
        {
            merged.Add(actions.Contains("*") ? $"{resource}:*" : $"{resource}:{string.Join(',', actions)}");
        }

        return merged;
    }

    /// <summary>The cache key of a scope set.</summary>
    public static string Key(IEnumerable<string> scopes) => string.Join(' ', Merge(scopes));
}
