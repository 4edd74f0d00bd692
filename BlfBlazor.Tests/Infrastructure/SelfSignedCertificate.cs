using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace BlfBlazor.Tests.Infrastructure;

/// <summary>A certificate like a PBX's own: self-signed, for 127.0.0.1, trusted by nobody.</summary>
public static class SelfSignedCertificate
{
    public static X509Certificate2 Create(string commonName = "127.0.0.1")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        // Through PKCS#12, so Kestrel on Linux gets a certificate with a usable private key.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), password: null);
    }

    public static string Sha256Thumbprint(this X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);
}
