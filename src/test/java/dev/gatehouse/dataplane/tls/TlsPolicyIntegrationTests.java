package dev.gatehouse.dataplane.tls;

import static dev.gatehouse.testing.CaptureBackend.readN;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testing.ApiIntegrationTest;
import dev.gatehouse.testing.CaptureBackend;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseApi.Response;
import dev.gatehouse.testing.TestCertificates;
import dev.gatehouse.testing.TestGateway;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Azure's sslPolicy and sslProfiles on Tls listeners, with real handshakes: a protocol or cipher suite the
 * policy leaves out fails the handshake, one it allows succeeds; an SSL profile's policy replaces the
 * gateway's; client certificates are required and verified against the profile's trusted client
 * certificates; what this JVM cannot serve is refused with its JSON path.
 */
class TlsPolicyIntegrationTests extends ApiIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static TestCertificates ca;
    static TestCertificates clientCa;
    static TestCertificates otherClientCa;

    @BeforeAll
    static void authorities() {
        ca = TestCertificates.newAuthority();
        clientCa = TestCertificates.newAuthority("Client CA");
        otherClientCa = TestCertificates.newAuthority("Other client CA");
    }

    @AfterAll
    static void removeAuthorities() {
        ca.close();
        clientCa.close();
        otherClientCa.close();
    }

    private static TestGateway tlsGateway(String name, int listenPort, int backendPort) {
        return TestGateway.named(name)
                .listen("127.0.0.1", listenPort)
                .backends(backendPort, "127.0.0.1")
                .tlsListener(ca.server("policy.test").pfxBase64("pw"), "pw");
    }

    /** A handshake with only {@code protocol} and, when given, only {@code suite} offered; the suite agreed. */
    private static String handshake(SSLContext context, int port, String protocol, String suite) throws IOException {
        try (Socket plain = new Socket("127.0.0.1", port);
                SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "policy.test", port, true)) {
            tls.setSoTimeout(10_000);
            tls.setEnabledProtocols(new String[] {protocol});
            if (suite != null) {
                tls.setEnabledCipherSuites(new String[] {suite});
            }
            tls.startHandshake();
            assertThat(tls.getSession().getProtocol()).isEqualTo(protocol);
            return tls.getSession().getCipherSuite();
        }
    }

    /**
     * Adds the client CA as trusted client certificate "clients" and an SSL profile "mtls" trusting it, used by the
     * first listener; returns the profile's properties, for the caller's policy or client authentication settings.
     */
    private static ObjectNode clientCertificateProfile(TestGateway gw, ObjectNode doc) {
        ObjectNode p = (ObjectNode) doc.path("properties");
        p.putArray("trustedClientCertificates")
                .addObject()
                .put("name", "clients")
                .putObject("properties")
                .put("data", clientCa.caPemText());
        ObjectNode profile =
                p.putArray("sslProfiles").addObject().put("name", "mtls").putObject("properties");
        profile.putArray("trustedClientCertificates").add(ref(gw, "trustedClientCertificates", "clients"));
        ((ObjectNode) p.path("listeners").get(0).path("properties")).set("sslProfile", ref(gw, "sslProfiles", "mtls"));
        return profile;
    }

    private static ObjectNode ref(TestGateway gw, String collection, String name) {
        return JSON.createObjectNode().put("id", gw.path() + "/" + collection + "/" + name);
    }

    @Test
    void aCustomPolicyServesItsProtocolAndCipherSuitesAndNothingElse() throws Exception {
        int port = FreePorts.next();
        TestGateway gw = tlsGateway("tls-custom-policy", port, 9);
        ObjectNode doc = gw.json();
        ObjectNode policy = ((ObjectNode) doc.path("properties")).putObject("sslPolicy");
        policy.put("policyType", "Custom").put("minProtocolVersion", "TLSv1_2");
        policy.putArray("cipherSuites").add("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
        api.apply(gw.path(), doc);

        // Gatehouse's own policy refuses CBC suites (TlsEndToEndIntegrationTests); this policy asks for one
        // (one that BoringSSL has too: it lacks the CBC suites with SHA-256 and SHA-384).
        assertThat(handshake(ca.clientContext(), port, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"))
                .isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
        assertThatThrownBy(
                        () -> handshake(ca.clientContext(), port, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"))
                .isInstanceOf(SSLException.class);
        assertThatThrownBy(() -> handshake(ca.clientContext(), port, "TLSv1.3", null))
                .isInstanceOf(SSLException.class);
    }

    @Test
    void anSslProfilesPolicyReplacesTheGatewaysPolicyOnItsListener() throws Exception {
        int port = FreePorts.next();
        TestGateway gw = tlsGateway("tls-profile-policy", port, 9);
        ObjectNode doc = gw.json();
        ObjectNode p = (ObjectNode) doc.path("properties");
        p.putObject("sslPolicy").put("policyType", "Predefined").put("policyName", "AppGwSslPolicy20170401S");
        api.apply(gw.path(), doc);
        assertThat(handshake(ca.clientContext(), port, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"))
                .as("AppGwSslPolicy20170401S has ECDHE CBC suites")
                .isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA");
        assertThatThrownBy(() -> handshake(ca.clientContext(), port, "TLSv1.3", null))
                .as("AppGwSslPolicy20170401S is TLS 1.2 only")
                .isInstanceOf(SSLException.class);

        p.putArray("sslProfiles")
                .addObject()
                .put("name", "modern")
                .putObject("properties")
                .putObject("sslPolicy")
                .put("policyType", "CustomV2")
                .put("minProtocolVersion", "TLSv1_3");
        ((ObjectNode) p.path("listeners").get(0).path("properties"))
                .set("sslProfile", ref(gw, "sslProfiles", "modern"));
        api.apply(gw.path(), doc);

        assertThatThrownBy(() -> handshake(ca.clientContext(), port, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"))
                .isInstanceOf(SSLException.class);
        assertThat(handshake(ca.clientContext(), port, "TLSv1.3", null))
                .isIn(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"));
    }

    @Test
    void whatThisJvmCannotServeIsRefusedAllAtOnceWithItsPath() {
        TestGateway gw = tlsGateway("tls-policy-refused", FreePorts.next(), 9);
        ObjectNode doc = gw.json();
        ObjectNode p = (ObjectNode) doc.path("properties");
        ObjectNode policy = p.putObject("sslPolicy").put("policyType", "Custom").put("minProtocolVersion", "TLSv1_0");
        policy.putArray("cipherSuites").add("TLS_RSA_WITH_3DES_EDE_CBC_SHA").add("TLS_ECDHE_RSA_WITH_NOTHING");
        p.putArray("sslProfiles")
                .addObject()
                .put("name", "ocsp")
                .putObject("properties")
                .putObject("clientAuthConfiguration")
                .put("verifyClientRevocation", "OCSP");

        Response r = api.put(gw.path(), doc);

        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        List<String> details = r.json()
                .path("error")
                .path("details")
                .valueStream()
                .map(d -> d.path("code").asString() + " " + d.path("target").asString())
                .toList();
        assertThat(details)
                .containsExactlyInAnyOrder(
                        "UnsupportedTlsProtocol properties.sslPolicy.minProtocolVersion",
                        "UnsupportedCipherSuite properties.sslPolicy.cipherSuites[0]",
                        "InvalidPropertyValue properties.sslPolicy.cipherSuites[1]",
                        "ClientRevocationCheckNotSupported "
                                + "properties.sslProfiles[0].properties.clientAuthConfiguration.verifyClientRevocation");
        assertThat(api.get(gw.path()).status()).isEqualTo(404);
    }

    @Test
    void aGetWithSslProfilesAndTrustedClientCertificatesCanBeEditedAndPutBackEchoingAzuresReadOnlyProperties() {
        TestGateway gw = tlsGateway("tls-profile-roundtrip", FreePorts.next(), 9);
        ObjectNode doc = gw.json();
        ObjectNode profile = clientCertificateProfile(gw, doc);
        profile.putObject("sslPolicy").put("policyType", "Predefined").put("policyName", "AppGwSslPolicy20220101S");
        api.apply(gw.path(), doc);
        JsonNode read = api.get(gw.path()).json();

        ObjectNode edited = (ObjectNode) read.deepCopy();
        ObjectNode trusted = (ObjectNode) edited.path("properties")
                .path("trustedClientCertificates")
                .get(0)
                .path("properties");
        // What Azure returns for these and clients echo.
        trusted.put("clientCertIssuerDN", "CN=Client CA")
                .put("validatedCertData", "MIIB")
                .put("provisioningState", "Succeeded");
        ObjectNode editedProfile = (ObjectNode)
                edited.path("properties").path("sslProfiles").get(0).path("properties");
        editedProfile.put("provisioningState", "Succeeded");
        ((ObjectNode) editedProfile.path("sslPolicy")).put("policyName", "AppGwSslPolicy20220101");

        Response replaced = api.put(gw.path(), edited);

        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        JsonNode after = api.get(gw.path()).json();
        assertThat(after.path("properties")
                        .path("sslProfiles")
                        .get(0)
                        .path("properties")
                        .path("sslPolicy")
                        .path("policyName")
                        .asString())
                .isEqualTo("AppGwSslPolicy20220101");
        assertThat(after.path("properties")
                        .path("trustedClientCertificates")
                        .get(0)
                        .path("etag"))
                .isEqualTo(read.path("properties")
                        .path("trustedClientCertificates")
                        .get(0)
                        .path("etag"));
    }

    @Test
    void onlyClientsWithACertificateFromTheTrustedCaAreRelayed() throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            int port = FreePorts.next();
            TestGateway gw = tlsGateway("tls-client-certificates", port, backend.port());
            ObjectNode doc = gw.json();
            clientCertificateProfile(gw, doc)
                    .putObject("clientAuthConfiguration")
                    .put("verifyClientCertIssuerDN", true);
            api.apply(gw.path(), doc);

            // TLS 1.2: the server verifies the client's certificate before the handshake completes. The
            // client sees the server's alert or, when the server has closed first, a reset or broken pipe.
            assertThatThrownBy(() -> handshake(ca.clientContext(), port, "TLSv1.2", null))
                    .as("no client certificate")
                    .isInstanceOf(IOException.class);
            assertThatThrownBy(
                            () -> handshake(otherClientCa.client("mallory").clientContext(ca), port, "TLSv1.2", null))
                    .as("a client certificate from another CA")
                    .isInstanceOf(IOException.class);

            for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
                try (Socket plain = new Socket("127.0.0.1", port);
                        SSLSocket tls = (SSLSocket) clientCa.client("alice")
                                .clientContext(ca)
                                .getSocketFactory()
                                .createSocket(plain, "policy.test", port, true)) {
                    tls.setSoTimeout(10_000);
                    tls.setEnabledProtocols(new String[] {protocol});
                    tls.getOutputStream().write("hello".getBytes(US_ASCII));
                    tls.getOutputStream().flush();
                    Socket upstream = backend.accept();
                    assertThat(new String(readN(upstream, 5), US_ASCII)).isEqualTo("hello");
                    upstream.getOutputStream().write("world".getBytes(US_ASCII));
                    assertThat(new String(tls.getInputStream().readNBytes(5), US_ASCII))
                            .isEqualTo("world");
                    upstream.close();
                }
            }
            JsonNode read = api.get(gw.path()).json();
            assertThat(read.path("properties")
                            .path("sslProfiles")
                            .get(0)
                            .path("id")
                            .asString())
                    .isEqualTo(gw.path() + "/sslProfiles/mtls");
        }
    }
}
