using Coffer.Artifacts;
using Coffer.Errors;

namespace Coffer.Tests.Artifacts;

public sealed class PathSafetyTests : IDisposable
{
    private readonly string _base;
    private readonly string _root;
    private readonly string _outside;

    public PathSafetyTests()
    {
        _base = Directory.CreateTempSubdirectory("coffer-paths-").FullName;
        _root = Path.Combine(_base, "out");
        _outside = Path.Combine(_base, "elsewhere");
        Directory.CreateDirectory(_root);
        Directory.CreateDirectory(_outside);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_base, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean from temp.
        }
    }

    [Theory]
    [InlineData("file.txt", "file.txt")]
    [InlineData("a/b/c.txt", "a/b/c.txt")]
    [InlineData("./a/./b.txt", "a/b.txt")]
    [InlineData("a//b.txt", "a/b.txt")]
    [InlineData("..hidden", "..hidden")]
    [InlineData("a/..b/c", "a/..b/c")]
    public void Resolve_PlainTitle_LandsUnderRoot(string title, string expected)
    {
        var path = PathSafety.Resolve(_root, title, allowTraversal: false);

        Assert.Equal(Path.Combine(_root, expected.Replace('/', Path.DirectorySeparatorChar)), path);
    }

    [Fact]
    public void Resolve_ExistingRealFolders_AreWalked()
    {
        Directory.CreateDirectory(Path.Combine(_root, "real", "deeper"));
        File.WriteAllText(Path.Combine(_root, "real", "deeper", "old.txt"), "old");

        var path = PathSafety.Resolve(_root, "real/deeper/old.txt", allowTraversal: false);

        Assert.Equal(Path.Combine(_root, "real", "deeper", "old.txt"), path);
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("/")]
    [InlineData(@"\windows\system32")]
    [InlineData(@"C:\Windows")]
    [InlineData("C:relative")]
    [InlineData("c:/x")]
    public void Resolve_AbsoluteTitle_IsRefused(string title)
    {
        var error = Assert.Throws<CofferException>(() => PathSafety.Resolve(_root, title, allowTraversal: false));

        Assert.Contains("absolute path", error.Message, StringComparison.Ordinal);
        Assert.Contains("--allow-path-traversal", error.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("a/b/..")]
    public void Resolve_DotDotComponent_IsRefused(string title)
    {
        var error = Assert.Throws<CofferException>(() => PathSafety.Resolve(_root, title, allowTraversal: false));

        Assert.Contains("'..'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_BackslashOnUnix_IsPartOfTheFileName()
    {
        var path = PathSafety.Resolve(_root, @"a\..\..\x", allowTraversal: false);

        Assert.Equal(Path.Combine(Path.GetFullPath(_root), @"a\..\..\x"), path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\0b")]
    public void Resolve_EmptyOrNul_IsRefused(string title)
    {
        var error = Assert.Throws<CofferException>(() => PathSafety.Resolve(_root, title, allowTraversal: true));

        Assert.Contains("empty or holds a NUL", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("--allow-path-traversal", error.Hint ?? "", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("./")]
    [InlineData("./.")]
    public void Resolve_TitleNamingTheRoot_IsRefused(string title)
    {
        var error = Assert.Throws<CofferException>(() => PathSafety.Resolve(_root, title, allowTraversal: false));

        Assert.Contains("output folder itself", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_SymlinkedFolderPointingOutside_IsRefused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "link"), _outside);

        var error = Assert.Throws<CofferException>(() =>
            PathSafety.Resolve(_root, "link/payload.txt", allowTraversal: false));

        Assert.Contains("'link' is a symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_outside));
    }

    [Fact]
    public void Resolve_NestedSymlinkComponent_NamesItsRelativePath()
    {
        Directory.CreateDirectory(Path.Combine(_root, "a"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "a", "b"), _outside);

        var error = Assert.Throws<CofferException>(() =>
            PathSafety.Resolve(_root, "a/b/c/d.txt", allowTraversal: false));

        Assert.Contains($"'{Path.Combine("a", "b")}' is a symbolic link", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_FinalComponentIsFileSymlink_IsRefused()
    {
        var target = Path.Combine(_outside, "victim.txt");
        File.WriteAllText(target, "keep me");
        File.CreateSymbolicLink(Path.Combine(_root, "out.txt"), target);

        var error = Assert.Throws<CofferException>(() => PathSafety.Resolve(_root, "out.txt", allowTraversal: false));

        Assert.Contains("'out.txt' is a symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Contains("move that entry away or pull into another folder with -o", error.Hint,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_DanglingSymlink_IsRefused()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "dangling"), Path.Combine(_outside, "missing", "file"));

        Assert.Throws<CofferException>(() => PathSafety.Resolve(_root, "dangling", allowTraversal: false));
    }

    [Fact]
    public void Resolve_SymlinkToFolderInsideRoot_IsStillRefused()
    {
        Directory.CreateDirectory(Path.Combine(_root, "inside"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "alias"), Path.Combine(_root, "inside"));

        Assert.Throws<CofferException>(() => PathSafety.Resolve(_root, "alias/x", allowTraversal: false));
    }

    [Fact]
    public void Resolve_RootItselfReachedThroughSymlink_IsAllowed()
    {
        var linkedRoot = Path.Combine(_base, "root-link");
        Directory.CreateSymbolicLink(linkedRoot, _root);

        var path = PathSafety.Resolve(linkedRoot, "f.txt", allowTraversal: false);

        Assert.Equal(Path.Combine(linkedRoot, "f.txt"), path);
    }

    [Fact]
    public void Resolve_FileUsedAsFolder_IsRefused()
    {
        File.WriteAllText(Path.Combine(_root, "plain"), "x");

        var error = Assert.Throws<CofferException>(() =>
            PathSafety.Resolve(_root, "plain/child.txt", allowTraversal: false));

        Assert.Contains("'plain' is a file, not a folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ExistingFileAsLastComponent_IsAllowed()
    {
        File.WriteAllText(Path.Combine(_root, "plain"), "x");

        Assert.Equal(Path.Combine(_root, "plain"), PathSafety.Resolve(_root, "plain", allowTraversal: false));
    }

    [Fact]
    public void Resolve_RelativeRoot_IsMadeFull()
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, _root);

        var path = PathSafety.Resolve(relative, "f", allowTraversal: false);

        Assert.Equal(Path.Combine(_root, "f"), path);
    }

    [Theory]
    [InlineData("../escaped.txt", "escaped.txt")]
    [InlineData("../elsewhere/x", "elsewhere/x")]
    public void Resolve_AllowTraversal_ReturnsTheFullPathOutside(string title, string underBase)
    {
        var path = PathSafety.Resolve(_root, title, allowTraversal: true);

        Assert.Equal(Path.Combine(_base, underBase.Replace('/', Path.DirectorySeparatorChar)), path);
    }

    [Fact]
    public void Resolve_AllowTraversal_AcceptsAbsoluteAndSymlinks()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "link"), _outside);
        var absolute = Path.Combine(_outside, "abs.txt");

        Assert.Equal(absolute, PathSafety.Resolve(_root, absolute, allowTraversal: true));
        Assert.Equal(
            Path.Combine(_root, "link", "y"),
            PathSafety.Resolve(_root, "link/y", allowTraversal: true));
    }

    [Fact]
    public void Resolve_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => PathSafety.Resolve(null!, "x", allowTraversal: false));
        Assert.Throws<ArgumentNullException>(() => PathSafety.Resolve(_root, null!, allowTraversal: false));
    }
}
