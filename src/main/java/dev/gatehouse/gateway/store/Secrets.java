package dev.gatehouse.gateway.store;

import dev.gatehouse.gateway.model.ApplicationGateway;
import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.ChildResource;
import dev.gatehouse.gateway.model.SslCertificateProperties;
import dev.gatehouse.gateway.rules.Certificates;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Write-only secrets survive a GET-modify-PUT: a GET never returns a certificate's {@code data} or
 * {@code password}, so a PUT that names an existing certificate without them keeps the stored ones
 * (as ARM does). Giving {@code data} replaces both. {@code publicCertData} is computed here from the PFX
 * (never taken from the caller), so it is stored with the document and costs nothing on a GET.
 */
final class Secrets {

    private Secrets() {}

    static ApplicationGateway keepStored(ApplicationGateway proposed, ApplicationGateway current) {
        if (proposed.properties() == null) {
            return proposed;
        }
        var c = ChildCollection.SSL_CERTIFICATES;
        List<ChildResource<SslCertificateProperties>> certs = c.items(proposed.properties());
        if (certs.isEmpty()) {
            return proposed;
        }
        List<ChildResource<SslCertificateProperties>> merged = certs.stream()
                .map(cert -> {
                    SslCertificateProperties p = cert.properties();
                    if (p == null) {
                        return cert;
                    }
                    SslCertificateProperties previous = current == null
                            ? null
                            : c.find(current.properties(), cert.name())
                                    .map(ChildResource::properties)
                                    .orElse(null);
                    SslCertificateProperties stored = p.data() != null ? null : previous;
                    String data = stored == null ? p.data() : stored.data();
                    String password = stored == null ? p.password() : stored.password();
                    // The PFX is opened only when it changed: an unchanged one keeps the publicCertData computed
                    // before.
                    boolean unchanged = previous != null
                            && data != null
                            && data.equals(previous.data())
                            && Objects.equals(password, previous.password())
                            && previous.publicCertData() != null;
                    SslCertificateProperties kept = new SslCertificateProperties(
                            data,
                            password,
                            unchanged ? previous.publicCertData() : publicCertData(data, password),
                            p.keyVaultSecretId());
                    return new ChildResource<>(cert.id(), cert.name(), cert.etag(), cert.type(), kept);
                })
                .toList();
        return proposed.withProperties(proposed.properties().with(c, merged));
    }

    /** The document with {@code f} applied to every certificate's {@code data} and {@code password}. */
    static ApplicationGateway mapSecrets(ApplicationGateway g, UnaryOperator<String> f) {
        var c = ChildCollection.SSL_CERTIFICATES;
        if (g.properties() == null || c.items(g.properties()).isEmpty()) {
            return g;
        }
        List<ChildResource<SslCertificateProperties>> mapped = c.items(g.properties()).stream()
                .map(cert -> {
                    SslCertificateProperties p = cert.properties();
                    return p == null
                            ? cert
                            : new ChildResource<>(
                                    cert.id(),
                                    cert.name(),
                                    cert.etag(),
                                    cert.type(),
                                    new SslCertificateProperties(
                                            f.apply(p.data()),
                                            f.apply(p.password()),
                                            p.publicCertData(),
                                            p.keyVaultSecretId()));
                })
                .toList();
        return g.withProperties(g.properties().with(c, mapped));
    }

    /** The chain of a PFX that opens, or {@code null}: the rules report why one does not. */
    private static String publicCertData(String data, String password) {
        if (data == null) {
            return null;
        }
        try {
            return Certificates.publicCertData(Certificates.openPfx(data, password, Instant.MIN));
        } catch (Certificates.Unusable e) {
            return null;
        }
    }
}
