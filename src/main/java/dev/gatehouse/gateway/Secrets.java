package dev.gatehouse.gateway;

import java.util.List;

/**
 * Write-only secrets survive a GET-modify-PUT: a GET never returns a certificate's {@code data} or
 * {@code password}, so a PUT that names an existing certificate without them keeps the stored ones
 * (as ARM does). Giving {@code data} replaces both.
 */
final class Secrets {

    private Secrets() {
    }

    static ApplicationGateway keepStored(ApplicationGateway proposed, ApplicationGateway current) {
        var c = ChildCollection.SSL_CERTIFICATES;
        List<ChildResource<SslCertificateProperties>> certs = c.items(proposed.properties());
        if (certs.isEmpty()) {
            return proposed;
        }
        List<ChildResource<SslCertificateProperties>> merged = certs.stream().map(cert -> {
            SslCertificateProperties p = cert.properties();
            SslCertificateProperties stored = current == null || p.data() != null ? null
                    : c.find(current.properties(), cert.name()).map(ChildResource::properties).orElse(null);
            // publicCertData is computed from data, never taken from the caller.
            SslCertificateProperties kept = stored == null
                    ? new SslCertificateProperties(p.data(), p.password(), null, p.keyVaultSecretId())
                    : new SslCertificateProperties(stored.data(), stored.password(), null, p.keyVaultSecretId());
            return new ChildResource<>(null, cert.name(), null, null, kept);
        }).toList();
        return proposed.withProperties(proposed.properties().with(c, merged));
    }
}
