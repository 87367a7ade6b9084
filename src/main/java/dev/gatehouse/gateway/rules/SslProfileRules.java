package dev.gatehouse.gateway.rules;

import static dev.gatehouse.gateway.rules.Check.prop;
import static dev.gatehouse.gateway.rules.RuleCodes.*;

import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.ListenerProperties;
import dev.gatehouse.gateway.model.Protocol;
import dev.gatehouse.gateway.model.Reference;
import dev.gatehouse.gateway.model.SslPolicy;
import dev.gatehouse.gateway.model.SslProfileProperties;
import dev.gatehouse.gateway.model.TrustedClientCertificateProperties;
import java.util.List;

/**
 * TLS policies and SSL profiles: every {@code sslPolicy} names what Azure knows and this JVM can serve, SSL
 * profiles resolve their trusted client certificates and are used by Tls listeners only, and trusted client
 * certificates are readable. Part of {@link GatewayRules}.
 */
final class SslProfileRules {

    private SslProfileRules() {}

    static void check(Check c) {
        var p = c.document();
        if (p.sslPolicy() != null) {
            SslPolicyRules.check(c, p.sslPolicy(), "properties.sslPolicy");
        }
        var profiles = ChildCollection.SSL_PROFILES;
        var items = profiles.items(p);
        for (int i = 0; i < items.size(); i++) {
            SslProfileProperties profile = items.get(i).properties();
            if (profile == null) {
                continue;
            }
            if (profile.sslPolicy() != null) {
                SslPolicyRules.check(c, profile.sslPolicy(), prop(profiles, i, "sslPolicy"));
            }
            List<Reference> trusted =
                    profile.trustedClientCertificates() == null ? List.of() : profile.trustedClientCertificates();
            for (int j = 0; j < trusted.size(); j++) {
                c.resolve(
                        trusted.get(j),
                        ChildCollection.TRUSTED_CLIENT_CERTIFICATES,
                        prop(profiles, i, "trustedClientCertificates[" + j + "]"));
            }
            clientAuth(c, profile.clientAuthConfiguration(), prop(profiles, i, "clientAuthConfiguration"));
        }
        var listeners = ChildCollection.LISTENERS;
        var listenerItems = listeners.items(p);
        for (int i = 0; i < listenerItems.size(); i++) {
            ListenerProperties l = listenerItems.get(i).properties();
            if (l == null || l.sslProfile() == null) {
                continue;
            }
            if (l.protocol() != Protocol.Tls) {
                c.add(
                        SSL_PROFILE_REQUIRES_TLS_LISTENER,
                        "An sslProfile configures TLS termination and needs protocol Tls.",
                        prop(listeners, i, "sslProfile"));
            }
            c.resolve(l.sslProfile(), profiles, prop(listeners, i, "sslProfile"));
        }
        trustedClientCertificates(c);
    }

    private static void clientAuth(Check c, SslProfileProperties.ClientAuthConfiguration auth, String path) {
        if (auth == null) {
            return;
        }
        if (auth.verifyClientRevocation() != null && !"None".equalsIgnoreCase(auth.verifyClientRevocation())) {
            c.add(
                    CLIENT_REVOCATION_CHECK_NOT_SUPPORTED,
                    "Gatehouse does not check the revocation of client certificates (OCSP); use 'None' or leave "
                            + "verifyClientRevocation out, and remove revoked certificates' CA instead.",
                    path + ".verifyClientRevocation");
        }
        if (auth.verifyClientAuthMode() != null && !"Strict".equalsIgnoreCase(auth.verifyClientAuthMode())) {
            c.add(
                    INVALID_PROPERTY_VALUE,
                    "Only 'Strict' is served: a Tls listener verifies client certificates itself. 'Passthrough' "
                            + "hands them to the backend in HTTP headers, which a Layer-4 gateway has not.",
                    path + ".verifyClientAuthMode");
        }
    }

    private static void trustedClientCertificates(Check c) {
        var col = ChildCollection.TRUSTED_CLIENT_CERTIFICATES;
        var items = col.items(c.document());
        for (int i = 0; i < items.size(); i++) {
            TrustedClientCertificateProperties cert = items.get(i).properties();
            if (cert == null) {
                continue;
            }
            if (cert.data() == null || cert.data().isBlank()) {
                c.add(
                        MISSING_REQUIRED_PROPERTY,
                        "A trusted client certificate needs 'data' (PEM, or base64 DER of a CA certificate).",
                        prop(col, i, "data"));
                continue;
            }
            try {
                Certificates.readCertificates(cert.data());
            } catch (Certificates.Unusable e) {
                c.add(e.code(), e.getMessage(), prop(col, i, "data"));
            }
        }
    }

    /** One {@code sslPolicy}: its type, name, protocols and suites. */
    static final class SslPolicyRules {

        private SslPolicyRules() {}

        static void check(Check c, SslPolicy policy, String path) {
            String type = SslPolicies.type(policy);
            if (type != null
                    && !List.of(SslPolicies.PREDEFINED, SslPolicies.CUSTOM, SslPolicies.CUSTOM_V2)
                            .contains(type)) {
                c.add(
                        INVALID_PROPERTY_VALUE,
                        "policyType must be Predefined, Custom or CustomV2, not '" + type + "'.",
                        path + ".policyType");
                return;
            }
            if (SslPolicies.PREDEFINED.equals(type)) {
                predefined(c, policy, path);
            } else if (type != null) {
                custom(c, policy, type, path);
            } else if (policy.cipherSuites() != null || policy.minProtocolVersion() != null) {
                c.add(
                        MISSING_REQUIRED_PROPERTY,
                        "An sslPolicy with cipherSuites or minProtocolVersion needs policyType Custom or CustomV2.",
                        path + ".policyType");
                return;
            }
            disabled(c, policy, path);
            if (SslPolicies.azureProtocols(policy).stream().noneMatch(SslPolicies::servesProtocol)) {
                c.add(
                        UNSUPPORTED_TLS_PROTOCOL,
                        "This policy leaves no protocol that Gatehouse can serve (TLSv1_2 or TLSv1_3).",
                        path);
            }
        }

        private static void predefined(Check c, SslPolicy policy, String path) {
            if (!SslPolicies.PREDEFINED_NAMES.contains(policy.policyName())) {
                c.add(
                        policy.policyName() == null ? MISSING_REQUIRED_PROPERTY : INVALID_PROPERTY_VALUE,
                        "A Predefined policy needs policyName, one of " + SslPolicies.PREDEFINED_NAMES + ".",
                        path + ".policyName");
            }
            if (policy.cipherSuites() != null || policy.minProtocolVersion() != null) {
                c.add(
                        INVALID_PROPERTY_VALUE,
                        "A Predefined policy takes its protocols and cipher suites from policyName; remove "
                                + "cipherSuites and minProtocolVersion, or use policyType CustomV2.",
                        path + (policy.cipherSuites() != null ? ".cipherSuites" : ".minProtocolVersion"));
            }
        }

        private static void custom(Check c, SslPolicy policy, String type, String path) {
            if (policy.policyName() != null) {
                c.add(
                        INVALID_PROPERTY_VALUE,
                        "policyName names a Predefined policy; a " + type + " policy has none.",
                        path + ".policyName");
            }
            String min = policy.minProtocolVersion();
            if (min != null && !SslPolicies.PROTOCOLS.containsKey(min)) {
                c.add(
                        INVALID_PROPERTY_VALUE,
                        "minProtocolVersion must be one of " + SslPolicies.PROTOCOL_ORDER + ", not '" + min + "'.",
                        path + ".minProtocolVersion");
            } else if (min != null && !SslPolicies.servesProtocol(min)) {
                c.add(
                        UNSUPPORTED_TLS_PROTOCOL,
                        min + " cannot be served: this JVM disables it (jdk.tls.disabledAlgorithms), and Azure "
                                + "retired TLS 1.0 and 1.1 on 2025-08-31. Use TLSv1_2 or TLSv1_3.",
                        path + ".minProtocolVersion");
            } else if ("TLSv1_3".equals(min) && SslPolicies.CUSTOM.equals(type)) {
                c.add(
                        INVALID_PROPERTY_VALUE,
                        "TLSv1_3 needs policyType CustomV2; Custom policies end at TLSv1_2.",
                        path + ".minProtocolVersion");
            }
            List<String> suites = policy.cipherSuites() == null ? List.of() : policy.cipherSuites();
            if (suites.isEmpty() && SslPolicies.azureProtocols(policy).contains("TLSv1_2")) {
                c.add(
                        MISSING_REQUIRED_PROPERTY,
                        "A " + type + " policy that allows TLSv1_2 needs cipherSuites.",
                        path + ".cipherSuites");
            }
            for (int j = 0; j < suites.size(); j++) {
                String suite = suites.get(j);
                String at = path + ".cipherSuites[" + j + "]";
                if (!SslPolicies.AZURE_SUITES.contains(suite)) {
                    c.add(
                            INVALID_PROPERTY_VALUE,
                            "'" + suite + "' is not a cipher suite of Azure's policies (docs/tls.md lists them).",
                            at);
                } else if (SslPolicies.TLS13_SUITES.contains(suite) && SslPolicies.CUSTOM.equals(type)) {
                    c.add(
                            INVALID_PROPERTY_VALUE,
                            "'" + suite + "' is a TLS 1.3 suite and needs policyType CustomV2.",
                            at);
                } else if (!SslPolicies.servesSuite(suite)) {
                    c.add(
                            UNSUPPORTED_CIPHER_SUITE,
                            "'" + suite + "' cannot be served: this JVM disables it (jdk.tls.disabledAlgorithms).",
                            at);
                }
            }
        }

        private static void disabled(Check c, SslPolicy policy, String path) {
            List<String> disabled = policy.disabledSslProtocols() == null ? List.of() : policy.disabledSslProtocols();
            for (int j = 0; j < disabled.size(); j++) {
                if (!SslPolicies.PROTOCOLS.containsKey(disabled.get(j))) {
                    c.add(
                            INVALID_PROPERTY_VALUE,
                            "disabledSslProtocols takes " + SslPolicies.PROTOCOL_ORDER + ", not '" + disabled.get(j)
                                    + "'.",
                            path + ".disabledSslProtocols[" + j + "]");
                }
            }
        }
    }
}
