package dev.gatehouse.gateway.rules;

import dev.gatehouse.gateway.model.SslPolicy;
import dev.gatehouse.net.TlsDefaults;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * What an Azure {@code sslPolicy} means: the protocols and cipher suites it enables, in JSSE's names. The
 * predefined policies are Azure's table (learn.microsoft.com, "Application Gateway TLS policy overview"):
 * their minimum protocol and suites, in Azure's order. Azure's cipher names are the IANA names, which JSSE
 * uses too; Azure's protocol names map {@code TLSv1_2} to {@code TLSv1.2}. Which of them this JVM can serve
 * is read once from its default TLS parameters (what {@code jdk.tls.disabledAlgorithms} leaves). Thread-safe.
 */
public final class SslPolicies {

    /** Azure's policy types. */
    public static final String PREDEFINED = "Predefined";

    public static final String CUSTOM = "Custom";
    public static final String CUSTOM_V2 = "CustomV2";

    /** Azure's protocol names, lowest first, with JSSE's. */
    static final Map<String, String> PROTOCOLS = Map.of(
            "TLSv1_0", "TLSv1",
            "TLSv1_1", "TLSv1.1",
            "TLSv1_2", "TLSv1.2",
            "TLSv1_3", "TLSv1.3");

    static final List<String> PROTOCOL_ORDER = List.of("TLSv1_0", "TLSv1_1", "TLSv1_2", "TLSv1_3");

    /** The TLS 1.3 suites Azure offers; CustomV2 enables both whenever TLS 1.3 is enabled. */
    static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384");

    /**
     * Azure's table of predefined policies, row by row: a suite Azure allows in a policy (every suite of its
     * schema, in the table's order, which is also the order Gatehouse prefers them in), then one mark per
     * policy of {@link #PREDEFINED_NAMES}: {@code Y} when that policy enables the suite.
     */
    private static final List<String> TABLE = List.of(
            "TLS_AES_128_GCM_SHA256                     ---YY",
            "TLS_AES_256_GCM_SHA384                     ---YY",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384      YYYYY",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256      YYYYY",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384      Y--Y-",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256      Y--Y-",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA         YYY--",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA         YYY--",
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384        Y----",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256        Y----",
            "TLS_DHE_RSA_WITH_AES_256_CBC_SHA           Y----",
            "TLS_DHE_RSA_WITH_AES_128_CBC_SHA           Y----",
            "TLS_RSA_WITH_AES_256_GCM_SHA384            YYY--",
            "TLS_RSA_WITH_AES_128_GCM_SHA256            YYY--",
            "TLS_RSA_WITH_AES_256_CBC_SHA256            YYY--",
            "TLS_RSA_WITH_AES_128_CBC_SHA256            YYY--",
            "TLS_RSA_WITH_AES_256_CBC_SHA               YYY--",
            "TLS_RSA_WITH_AES_128_CBC_SHA               YYY--",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384    YYYYY",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256    YYYYY",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384    YYYY-",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256    YYYY-",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA       YYY--",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA       YYY--",
            "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256        Y----",
            "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256        Y----",
            "TLS_DHE_DSS_WITH_AES_256_CBC_SHA           Y----",
            "TLS_DHE_DSS_WITH_AES_128_CBC_SHA           Y----",
            "TLS_RSA_WITH_3DES_EDE_CBC_SHA              Y----",
            "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA          Y----");

    /** The predefined policies, in the table's column order, with their lowest and highest protocol. */
    static final List<String> PREDEFINED_NAMES = List.of(
            "AppGwSslPolicy20150501",
            "AppGwSslPolicy20170401",
            "AppGwSslPolicy20170401S",
            "AppGwSslPolicy20220101",
            "AppGwSslPolicy20220101S");

    private static final Map<String, List<String>> PREDEFINED_PROTOCOLS = Map.of(
            "AppGwSslPolicy20150501", List.of("TLSv1_0", "TLSv1_2"),
            "AppGwSslPolicy20170401", List.of("TLSv1_1", "TLSv1_2"),
            "AppGwSslPolicy20170401S", List.of("TLSv1_2", "TLSv1_2"),
            "AppGwSslPolicy20220101", List.of("TLSv1_2", "TLSv1_3"),
            "AppGwSslPolicy20220101S", List.of("TLSv1_2", "TLSv1_3"));

    /** Every cipher suite name Azure allows in a policy, in the table's order. */
    static final List<String> AZURE_SUITES =
            TABLE.stream().map(row -> row.substring(0, row.indexOf(' '))).toList();

    /** The suites of a predefined policy, in the table's order; empty for an unknown name. */
    static List<String> predefinedSuites(String policyName) {
        int column = PREDEFINED_NAMES.indexOf(policyName);
        if (column < 0) {
            return List.of();
        }
        return TABLE.stream()
                .filter(row -> row.strip().charAt(row.strip().length() - PREDEFINED_NAMES.size() + column) == 'Y')
                .map(row -> row.substring(0, row.indexOf(' ')))
                .toList();
    }

    private SslPolicies() {}

    /** What a policy enables, in JSSE's names, most preferred first. */
    public record Enabled(List<String> protocols, List<String> cipherSuites) {}

    /**
     * The protocols and suites {@code policy} enables, in JSSE's names; {@code null} for no policy (Gatehouse's
     * own default, docs/tls.md). Protocols and suites this JVM cannot serve are left out: for a predefined
     * policy that is Azure's own behaviour (TLS 1.0 and 1.1 retired, DHE suites not used by v2 gateways); for a
     * custom policy validation has refused them already. Only for a validated policy.
     */
    public static Enabled enabled(SslPolicy policy) {
        if (policy == null) {
            return null;
        }
        List<String> protocols = new ArrayList<>();
        for (String azure : azureProtocols(policy)) {
            if (servesProtocol(azure)) {
                protocols.add(PROTOCOLS.get(azure));
            }
        }
        List<String> suites = new ArrayList<>();
        for (String suite : azureSuites(policy)) {
            if (servesSuite(suite)) {
                suites.add(suite);
            }
        }
        // Highest protocol first, as TlsContexts lists its own.
        Collections.reverse(protocols);
        return new Enabled(List.copyOf(protocols), List.copyOf(suites));
    }

    /** The protocols (Azure's names, lowest first) a policy enables before disabledSslProtocols; empty if none. */
    static List<String> azureProtocols(SslPolicy policy) {
        String min;
        String max;
        String type = type(policy);
        if (PREDEFINED.equals(type)) {
            List<String> range = PREDEFINED_PROTOCOLS.get(policy.policyName());
            min = range == null ? null : range.get(0);
            max = range == null ? null : range.get(1);
        } else if (CUSTOM.equals(type) || CUSTOM_V2.equals(type)) {
            min = policy.minProtocolVersion() == null ? "TLSv1_2" : policy.minProtocolVersion();
            max = CUSTOM_V2.equals(type) ? "TLSv1_3" : "TLSv1_2";
        } else {
            // Only disabledSslProtocols: Gatehouse's own protocols, less the disabled ones.
            min = "TLSv1_2";
            max = "TLSv1_3";
        }
        int from = PROTOCOL_ORDER.indexOf(min);
        int to = PROTOCOL_ORDER.indexOf(max);
        if (from < 0 || to < 0) {
            return List.of();
        }
        List<String> out = from > to ? new ArrayList<>() : new ArrayList<>(PROTOCOL_ORDER.subList(from, to + 1));
        if (policy.disabledSslProtocols() != null) {
            out.removeAll(policy.disabledSslProtocols());
        }
        return out;
    }

    /** The suites (Azure's names) a policy enables, most preferred first. */
    static List<String> azureSuites(SslPolicy policy) {
        String type = type(policy);
        Set<String> suites = new LinkedHashSet<>();
        if (PREDEFINED.equals(type)) {
            suites.addAll(predefinedSuites(policy.policyName()));
        } else if (CUSTOM.equals(type) || CUSTOM_V2.equals(type)) {
            if (CUSTOM_V2.equals(type) && azureProtocols(policy).contains("TLSv1_3")) {
                suites.addAll(TLS13_SUITES);
            }
            if (policy.cipherSuites() != null) {
                suites.addAll(policy.cipherSuites());
            }
        } else {
            suites.addAll(TlsDefaults.CIPHER_SUITES);
        }
        return List.copyOf(suites);
    }

    /** The policy's type; without one, Predefined when it names a policy (as Azure reads it). */
    static String type(SslPolicy policy) {
        if (policy.policyType() != null) {
            return policy.policyType();
        }
        return policy.policyName() != null ? PREDEFINED : null;
    }

    /** Whether this JVM serves the protocol (Azure's name). */
    static boolean servesProtocol(String azureName) {
        String jsse = PROTOCOLS.get(azureName);
        return jsse != null && JvmDefaults.PROTOCOLS.contains(jsse);
    }

    /** Whether this JVM serves the cipher suite. */
    static boolean servesSuite(String name) {
        return JvmDefaults.SUITES.contains(name);
    }

    /**
     * What this JVM's default TLS context serves, read on first use: initialising it loads the trust store, which
     * a document without a policy (and a start-up restoring one) need not pay for.
     */
    private static final class JvmDefaults {

        static final Set<String> PROTOCOLS;
        static final Set<String> SUITES;

        static {
            try {
                SSLParameters defaults = SSLContext.getDefault().getDefaultSSLParameters();
                PROTOCOLS = Set.of(defaults.getProtocols());
                SUITES = Set.of(defaults.getCipherSuites());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JVM has no default TLS context", e);
            }
        }
    }
}
