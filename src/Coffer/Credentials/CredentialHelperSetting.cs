namespace Coffer.Credentials;

/// <summary>A credential helper named by a docker config file, and the setting that named it.</summary>
/// <param name="Name">
/// The helper's suffix: <c>pass</c> stands for the executable <c>docker-credential-pass</c>.
/// </param>
/// <param name="Setting">
/// The setting that chose it, for messages: <c>credsStore</c> or <c>credHelpers["ghcr.io"]</c>.
/// </param>
public sealed record CredentialHelperSetting(string Name, string Setting);
