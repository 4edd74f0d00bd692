using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BlfBlazor.Pbx.Connection;

/// <summary>
/// Decides whether to trust the PBX's TLS certificate: normal validation, or exactly the one
/// certificate pinned by its SHA-256 thumbprint (PBXs often run self-signed certificates). There
/// is deliberately no way to accept every certificate.
/// </summary>
internal sealed class PbxCertificatePolicy(string? pinnedThumbprint)
{
    private readonly string? _pinned = PbxOptions.NormalizeThumbprint(pinnedThumbprint);

    /// <summary>Why the last certificate was refused, in words for the board and the log.</summary>
    public string? Refusal { get; private set; }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            Refusal = "The PBX presented no TLS certificate.";
            return false;
        }

        var thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        if (_pinned is not null)
        {
            if (string.Equals(thumbprint, _pinned, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            Refusal = $"The PBX's TLS certificate has the SHA-256 thumbprint {thumbprint}, but Pbx:CertificateThumbprint is {_pinned}.";
            return false;
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        Refusal = $"The PBX's TLS certificate is not trusted ({errors}). If the PBX uses a self-signed certificate, check that this is it and set Pbx:CertificateThumbprint to {thumbprint}.";
        return false;
    }
}

/// <summary>The PBX's TLS certificate was refused; the message says why and what to configure.</summary>
public sealed class PbxCertificateException : Exception
{
    public PbxCertificateException()
    {
    }

    public PbxCertificateException(string message)
        : base(message)
    {
    }

    public PbxCertificateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
