using Coffer.Registry.Auth;

namespace Coffer.Tests.Registry.Auth;

public class ScopesTests
{
    [Fact]
    public void Pull_And_PullPush_FollowTheTokenScopeFormat()
    {
        Assert.Equal("repository:team/app:pull", Scopes.Pull("team/app"));
        Assert.Equal("repository:team/app:pull,push", Scopes.PullPush("team/app"));
    }

    [Fact]
    public void Merge_SameResource_UnitesAndSortsActions()
    {
        var merged = Scopes.Merge(["repository:app:push", "repository:app:pull", "repository:app:delete,pull"]);

        Assert.Equal(["repository:app:delete,pull,push"], merged);
    }

    [Fact]
    public void Merge_Wildcard_SwallowsOtherActions()
    {
        var merged = Scopes.Merge(["repository:app:pull", "repository:app:*", "repository:app:push"]);

        Assert.Equal(["repository:app:*"], merged);
    }

    [Fact]
    public void Merge_WildcardOnOneResource_LeavesOthersAlone()
    {
        var merged = Scopes.Merge(["repository:a:*", "repository:b:pull,push"]);

        Assert.Equal(["repository:a:*", "repository:b:pull,push"], merged);
    }

    [Fact]
    public void Merge_Resources_AreSortedOrdinally()
    {
        var merged = Scopes.Merge(["repository:zeta:pull", "registry:catalog:*", "repository:alpha:pull"]);

        Assert.Equal(["registry:catalog:*", "repository:alpha:pull", "repository:zeta:pull"], merged);
    }

    [Fact]
    public void Merge_SpaceSeparatedScopes_AreSplit()
    {
        var merged = Scopes.Merge(["repository:b:pull  repository:a:push", " repository:a:pull "]);

        Assert.Equal(["repository:a:pull,push", "repository:b:pull"], merged);
    }

    [Fact]
    public void Merge_RepositoryNameWithHostPort_SplitsAtLastColon()
    {
        var merged = Scopes.Merge(["repository:localhost:5000/app:push", "repository:localhost:5000/app:pull"]);

        Assert.Equal(["repository:localhost:5000/app:pull,push"], merged);
    }

    [Fact]
    public void Merge_DuplicateActions_AppearOnce()
    {
        var merged = Scopes.Merge(["repository:app:pull,pull", "repository:app:pull"]);

        Assert.Equal(["repository:app:pull"], merged);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("nocolon")]
    [InlineData(":pull")]
    public void Merge_MalformedScope_IsDropped(string scope)
    {
        Assert.Empty(Scopes.Merge([scope]));
    }

    [Fact]
    public void Key_EqualSetsInAnyOrder_GiveEqualKeys()
    {
        var one = Scopes.Key(["repository:b:push", "repository:a:pull", "repository:b:pull"]);
        var two = Scopes.Key(["repository:a:pull repository:b:pull,push"]);

        Assert.Equal(one, two);
        Assert.Equal("repository:a:pull repository:b:pull,push", one);
    }

    [Fact]
    public void Key_DifferentActions_GiveDifferentKeys()
    {
        Assert.NotEqual(Scopes.Key([Scopes.Pull("app")]), Scopes.Key([Scopes.PullPush("app")]));
    }

    [Fact]
    public void Key_NoScopes_IsEmpty()
    {
        Assert.Equal("", Scopes.Key([]));
    }
}
