package dev.gatehouse.gateway.rules;

import static dev.gatehouse.gateway.rules.Check.prop;
import static dev.gatehouse.gateway.rules.RuleCodes.CERTIFICATE_PASSWORD_INCORRECT;
import static dev.gatehouse.gateway.rules.RuleCodes.KEY_VAULT_NOT_SUPPORTED;
import static dev.gatehouse.gateway.rules.RuleCodes.MISSING_REQUIRED_PROPERTY;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.gateway.model.ApplicationGatewayProperties;
import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.ChildResource;
import dev.gatehouse.gateway.model.SslCertificateProperties;
import dev.gatehouse.gateway.model.TrustedRootCertificateProperties;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The certificates a document carries must be usable: a listener PFX opens with its password and holds a
 * key that belongs to its certificate, which has not expired (unless it was stored before and is unchanged);
 * a trusted root is a certificate. Part of {@link GatewayRules}.
 */
final class CertificateRules {

    private CertificateRules() {}

    static List<ApiError> check(ApplicationGatewayProperties p, ApplicationGatewayProperties stored, Clock clock) {
        List<ApiError> out = new ArrayList<>();
        var ssl = ChildCollection.SSL_CERTIFICATES;
        var certs = ssl.items(p);
        for (int i = 0; i < certs.size(); i++) {
            SslCertificateProperties cert = certs.get(i).properties();
            if (cert == null) {
                continue;
            }
            if (cert.keyVaultSecretId() != null) {
                out.add(ApiError.of(
                        KEY_VAULT_NOT_SUPPORTED,
                        "Gatehouse has no Key Vault; give the certificate as 'data' " + "(base64 PFX) and 'password'.",
                        prop(ssl, i, "keyVaultSecretId")));
            } else if (cert.data() == null || cert.data().isBlank()) {
                out.add(ApiError.of(
                        MISSING_REQUIRED_PROPERTY,
                        "A certificate needs 'data' (base64 PKCS#12) and its 'password'.",
                        prop(ssl, i, "data")));
            } else {
                String name = certs.get(i).name();
                var previous = stored == null
                        ? null
                        : ChildCollection.SSL_CERTIFICATES
                                .find(stored, name)
                                .map(ChildResource::properties)
                                .filter(s -> cert.data().equals(s.data()))
                                .orElse(null);
                if (previous != null && Objects.equals(previous.password(), cert.password())) {
                    continue; // stored before, so it opened then; it may have expired since, which is the operator's
                    // move
                }
                try {
                    Certificates.openPfx(
                            cert.data(), cert.password(), previous != null ? Instant.MIN : clock.instant());
                } catch (Certificates.Unusable e) {
                    String at = e.code().equals(CERTIFICATE_PASSWORD_INCORRECT) ? "password" : "data";
                    out.add(ApiError.of(e.code(), e.getMessage(), prop(ssl, i, at)));
                }
            }
        }
        var roots = ChildCollection.TRUSTED_ROOT_CERTIFICATES;
        var rootItems = roots.items(p);
        for (int i = 0; i < rootItems.size(); i++) {
            TrustedRootCertificateProperties root = rootItems.get(i).properties();
            if (root == null) {
                continue;
            }
            if (root.keyVaultSecretId() != null) {
                out.add(ApiError.of(
                        KEY_VAULT_NOT_SUPPORTED,
                        "Gatehouse has no Key Vault; give the certificate as 'data'.",
                        prop(roots, i, "keyVaultSecretId")));
            } else if (root.data() == null || root.data().isBlank()) {
                out.add(ApiError.of(
                        MISSING_REQUIRED_PROPERTY,
                        "A trusted root certificate needs 'data' (base64 DER or PEM).",
                        prop(roots, i, "data")));
            } else {
                try {
                    Certificates.readCertificate(root.data());
                } catch (Certificates.Unusable e) {
                    out.add(ApiError.of(e.code(), e.getMessage(), prop(roots, i, "data")));
                }
            }
        }
        return out;
    }
}
