namespace Coffer.Signing.Keys;

/// <summary>Why a key file was refused.</summary>
public enum KeyFileProblem
{
    /// <summary>The file could not be opened or read.</summary>
    Unreadable,

    /// <summary>The input is larger than any key file Coffer accepts.</summary>
    TooLarge,

    /// <summary>The input holds no PEM block.</summary>
    NotPem,

    /// <summary>The PEM block has a label other than the one expected.</summary>
    WrongLabel,

    /// <summary>The PEM body, its JSON envelope or the DER inside is damaged.</summary>
    Malformed,

    /// <summary>The key is encrypted with a key derivation or cipher Coffer does not accept.</summary>
    UnsupportedEncryption,

    /// <summary>The key could not be decrypted: the password is wrong or the file was changed.</summary>
    WrongPassword,

    /// <summary>The decrypted key is not PKCS#8 (for example a SEC1 <c>EC PRIVATE KEY</c>).</summary>
    NotPkcs8,

    /// <summary>The key uses an algorithm or curve Coffer does not support.</summary>
    UnsupportedAlgorithm,
}
