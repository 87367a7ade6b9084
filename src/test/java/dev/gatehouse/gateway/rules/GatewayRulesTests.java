package dev.gatehouse.gateway.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.arm.ArmJsonConfiguration;
import dev.gatehouse.gateway.model.ApplicationGateway;
import dev.gatehouse.gateway.model.GatewayKey;
import dev.gatehouse.testing.TestCertificates;
import dev.gatehouse.testing.TestGateway;
import jakarta.validation.Validation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** One test per document rule: the violation's code and the JSON path it points at. */
class GatewayRulesTests {

    private static final JsonMapper JSON = ArmJsonConfiguration.mapper();
    private static final GatewayRules RULES = new GatewayRules(Validation.byDefaultProvider()
            .configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory()
            .getValidator());

    private static TestCertificates ca;
    private static String pfx;

    @BeforeAll
    static void certificates() {
        ca = TestCertificates.newAuthority();
        pfx = ca.server("gw.example.com").pfxBase64("pw");
    }

    @AfterAll
    static void removeCertificates() {
        ca.close();
    }

    private ObjectNode addCertificate(String name, String data, String password) {
        ObjectNode cert = addChild("sslCertificates", name).put("data", data);
        if (password != null) {
            cert.put("password", password);
        }
        return cert;
    }

    private final TestGateway gw = TestGateway.named("rules")
            .listen("127.0.0.1", 5000)
            .backends(6000, "10.0.0.4")
            .probe(null);
    private final ObjectNode doc = gw.json();

    private List<String> violations() {
        ApplicationGateway parsed = JSON.treeToValue(doc, ApplicationGateway.class);
        GatewayKey key = new GatewayKey(TestGateway.SUBSCRIPTION, TestGateway.RESOURCE_GROUP, gw.name());
        return RULES.check(key, parsed).stream()
                .map(e -> e.code() + "@" + e.target())
                .toList();
    }

    private ArrayNode collection(String name) {
        ObjectNode p = (ObjectNode) doc.path("properties");
        return p.has(name) ? (ArrayNode) p.get(name) : p.putArray(name);
    }

    private ObjectNode props(String collection, int index) {
        return (ObjectNode) collection(collection).get(index).path("properties");
    }

    private ObjectNode addChild(String collection, String name) {
        ObjectNode child = collection(collection).addObject();
        child.put("name", name);
        return child.putObject("properties");
    }

    private ObjectNode ref(String collection, String name) {
        return JSON.createObjectNode().put("id", gw.childId(collection, name));
    }

    /** A second Tcp listener with its own frontend port and rule, to test rules between listeners. */
    private ObjectNode addListener(String name, String fip, int port) {
        addChild("frontendPorts", name + "-port").put("port", port);
        ObjectNode l = addChild("listeners", name).put("protocol", "Tcp");
        l.set("frontendIPConfiguration", ref("frontendIPConfigurations", fip));
        l.set("frontendPort", ref("frontendPorts", name + "-port"));
        return l;
    }

    @Test
    void theBaseDocumentIsValid() {
        assertThat(violations()).isEmpty();
    }

    @Test
    void requiredPropertiesAreReportedWithTheirPath() {
        doc.remove("location");
        props("listeners", 0).remove("protocol");
        props("backendSettingsCollection", 0).remove("port");
        assertThat(violations())
                .containsExactlyInAnyOrder(
                        "MissingRequiredProperty@location",
                        "MissingRequiredProperty@properties.listeners[0].properties.protocol",
                        "MissingRequiredProperty@properties.backendSettingsCollection[0].properties.port");
    }

    @Test
    void numbersOutsideTheirRangeAreReported() {
        props("frontendPorts", 0).put("port", 0);
        props("backendSettingsCollection", 0).put("timeout", 86401);
        props("routingRules", 0).put("priority", 20001);
        addChild("probes", "p")
                .put("protocol", "Tcp")
                .put("unhealthyThreshold", 21)
                .put("interval", 0);
        assertThat(violations())
                .containsExactlyInAnyOrder(
                        "ValueOutOfRange@properties.frontendPorts[0].properties.port",
                        "ValueOutOfRange@properties.backendSettingsCollection[0].properties.timeout",
                        "ValueOutOfRange@properties.routingRules[0].properties.priority",
                        "ValueOutOfRange@properties.probes[0].properties.unhealthyThreshold",
                        "ValueOutOfRange@properties.probes[0].properties.interval");
    }

    @Test
    void childNamesFollowArmNamingRules() {
        addChild("probes", "-bad").put("protocol", "Tcp");
        assertThat(violations()).containsExactly("InvalidResourceName@properties.probes[0].name");
    }

    @Test
    void aBodyNameDifferentFromTheUrlIsRefused() {
        doc.put("name", "other");
        assertThat(violations()).containsExactly("ResourceNameMismatch@name");
    }

    @Test
    void namesAreUniquePerCollectionIgnoringCase() {
        addChild("backendAddressPools", "POOL");
        assertThat(violations()).containsExactly("DuplicateResourceName@properties.backendAddressPools[1].name");
    }

    @Test
    void aReferenceMustBeAnIdOfTheRightCollection() {
        props("listeners", 0).set("frontendPort", JSON.createObjectNode().put("id", "port"));
        props("routingRules", 0).set("listener", ref("frontendPorts", "port"));
        assertThat(violations())
                .containsExactlyInAnyOrder(
                        "InvalidReference@properties.listeners[0].properties.frontendPort.id",
                        "InvalidReference@properties.routingRules[0].properties.listener.id");
    }

    @Test
    void aReferenceMustStayInsideTheGateway() {
        String elsewhere = TestGateway.path("other") + "/frontendPorts/port";
        props("listeners", 0).set("frontendPort", JSON.createObjectNode().put("id", elsewhere));
        assertThat(violations())
                .containsExactly("ReferenceOutsideGateway@properties.listeners[0].properties.frontendPort.id");
    }

    @Test
    void referencesAreComparedCaseInsensitivelyAndMustResolve() {
        props("listeners", 0)
                .set(
                        "frontendPort",
                        JSON.createObjectNode()
                                .put("id", gw.childId("frontendPorts", "port").toUpperCase()));
        props("routingRules", 0).set("backendAddressPool", ref("backendAddressPools", "missing"));
        assertThat(violations())
                .containsExactly(
                        "ReferencedResourceNotFound@properties.routingRules[0].properties.backendAddressPool.id");
    }

    @Test
    void frontendAddressesAreStrictIpLiterals() {
        for (String bad : new String[] {"localhost", "010.0.0.1", "fe80::1%eth0", "1.2.3"}) {
            props("frontendIPConfigurations", 0).put("privateIPAddress", bad);
            assertThat(violations())
                    .as(bad)
                    .containsExactly(
                            "InvalidIPAddress@properties.frontendIPConfigurations[0].properties.privateIPAddress");
        }
        for (String good : new String[] {"::1", "0.0.0.0", "::", "2001:db8::7", "10.1.2.3"}) {
            props("frontendIPConfigurations", 0).put("privateIPAddress", good);
            assertThat(violations()).as(good).isEmpty();
        }
    }

    @Test
    void backendAddressesHaveExactlyOneValidIpAddressOrFqdn() {
        ArrayNode addresses = (ArrayNode) props("backendAddressPools", 0).path("backendAddresses");
        addresses.addObject().put("ipAddress", "10.0.0.5").put("fqdn", "db.example");
        addresses.addObject();
        addresses.addObject().put("fqdn", "bad host");
        addresses.addObject().put("ipAddress", "10.0.0.256");
        addresses.addObject().put("fqdn", "db-1.internal.example");
        assertThat(violations())
                .containsExactly(
                        "InvalidBackendAddress@properties.backendAddressPools[0].properties.backendAddresses[1]",
                        "InvalidBackendAddress@properties.backendAddressPools[0].properties.backendAddresses[2]",
                        "InvalidBackendAddress@properties.backendAddressPools[0].properties.backendAddresses[3].fqdn",
                        "InvalidIPAddress@properties.backendAddressPools[0].properties.backendAddresses[4].ipAddress");
    }

    @Test
    void listenersAreLayer4Only() {
        props("listeners", 0).put("protocol", "Http");
        assertThat(violations())
                .containsExactly("UnsupportedListenerProtocol@properties.listeners[0].properties.protocol");
    }

    @Test
    void aTlsListenerNeedsACertificateAndATcpListenerHasNone() {
        addCertificate("cert", pfx, "pw");
        props("listeners", 0).put("protocol", "Tls");
        assertThat(violations())
                .containsExactly("TlsListenerRequiresCertificate@properties.listeners[0].properties.sslCertificate");
        props("listeners", 0).put("protocol", "Tcp").set("sslCertificate", ref("sslCertificates", "cert"));
        assertThat(violations())
                .containsExactly(
                        "CertificateNotAllowedOnTcpListener@properties.listeners[0].properties.sslCertificate");
    }

    @Test
    void hostNamesNeedATlsListener() {
        props("listeners", 0).putArray("hostNames").add("db.example.com");
        assertThat(violations())
                .containsExactly("HostNamesRequireTlsListener@properties.listeners[0].properties.hostNames");
    }

    @Test
    void twoListenersCannotShareAnAddressAndPort() {
        addListener("second", "fip", 5000);
        assertThat(violations()).containsExactly("ListenerAddressConflict@properties.listeners[1]");
    }

    @Test
    void aWildcardListenerConflictsWithEverySpecificAddressOnTheSamePortIpv6Included() {
        addChild("frontendIPConfigurations", "any4").put("privateIPAddress", "0.0.0.0");
        addChild("frontendIPConfigurations", "v6").put("privateIPAddress", "::1");
        addListener("wild", "any4", 5000);
        addListener("six", "v6", 5000);
        addListener("other-port", "any4", 5001);
        // The JDK and Netty bind 0.0.0.0 dual-stack, as "::": the kernel refuses [::1]:5000 next to it.
        assertThat(violations())
                .containsExactly(
                        "ListenerAddressConflict@properties.listeners[1]",
                        "ListenerAddressConflict@properties.listeners[2]");
    }

    @Test
    void tlsListenersMayShareAPortWhenTheirHostNamesDiffer() {
        addCertificate("cert", pfx, "pw");
        ObjectNode a = props("listeners", 0).put("protocol", "Tls");
        a.set("sslCertificate", ref("sslCertificates", "cert"));
        a.putArray("hostNames").add("a.example.com");
        ObjectNode b = addListener("b", "fip", 5000).put("protocol", "Tls");
        b.set("sslCertificate", ref("sslCertificates", "cert"));
        b.putArray("hostNames").add("b.example.com");
        assertThat(violations()).isEmpty();
        ((ArrayNode) b.path("hostNames")).removeAll().add("A.example.com");
        assertThat(violations()).containsExactly("ListenerAddressConflict@properties.listeners[1]");
    }

    @Test
    void aListenerBelongsToAtMostOneRule() {
        ObjectNode rule =
                addChild("routingRules", "again").put("ruleType", "Basic").put("priority", 200);
        rule.set("listener", ref("listeners", "listener"));
        rule.set("backendAddressPool", ref("backendAddressPools", "pool"));
        rule.set("backendSettings", ref("backendSettingsCollection", "settings"));
        assertThat(violations())
                .containsExactly("ListenerUsedByMultipleRules@properties.routingRules[1].properties.listener");
    }

    @Test
    void rulePrioritiesAreUnique() {
        addListener("second", "fip", 5001);
        ObjectNode rule =
                addChild("routingRules", "again").put("ruleType", "Basic").put("priority", 100);
        rule.set("listener", ref("listeners", "second"));
        rule.set("backendAddressPool", ref("backendAddressPools", "pool"));
        rule.set("backendSettings", ref("backendSettingsCollection", "settings"));
        assertThat(violations()).containsExactly("DuplicatePriority@properties.routingRules[1].properties.priority");
    }

    @Test
    void rulesAreBasic() {
        props("routingRules", 0).put("ruleType", "PathBasedRouting");
        assertThat(violations()).containsExactly("UnsupportedRuleType@properties.routingRules[0].properties.ruleType");
    }

    @Test
    void layer4RulesRouteToTcpOrTlsSettingsOnly() {
        props("backendSettingsCollection", 0).put("protocol", "Https");
        assertThat(violations())
                .containsExactly(
                        "RoutingRuleRequiresTcpOrTlsSettings@properties.routingRules[0].properties.backendSettings");
    }

    @Test
    void clientIpPreservationNeedsTcpOrTlsSettings() {
        addChild("backendSettingsCollection", "web")
                .put("protocol", "Http")
                .put("port", 80)
                .put("enableL4ClientIpPreservation", true);
        assertThat(violations())
                .containsExactly("ClientIpPreservationRequiresTcpOrTls"
                        + "@properties.backendSettingsCollection[1].properties.enableL4ClientIpPreservation");
        props("backendSettingsCollection", 1).put("protocol", "Tls");
        assertThat(violations()).isEmpty();
    }

    @Test
    void theProbeProxyHeaderNeedsATcpOrTlsProbe() {
        addChild("probes", "web").put("protocol", "Http").put("enableProbeProxyProtocolHeader", true);
        assertThat(violations())
                .containsExactly(
                        "ProbeProxyProtocolHeaderRequiresTcpOrTls@properties.probes[0].properties.enableProbeProxyProtocolHeader");
    }

    @Test
    void theProxyProtocolExtensionNeedsClientIpPreservation() {
        ObjectNode settings = props("backendSettingsCollection", 0).put("enableL4ClientIpPreservation", false);
        settings.putObject("gatehouseProxyProtocol").put("version", "V2");
        assertThat(violations())
                .containsExactly("ProxyProtocolRequiresClientIpPreservation"
                        + "@properties.backendSettingsCollection[0].properties.gatehouseProxyProtocol");
        settings.put("enableL4ClientIpPreservation", true);
        assertThat(violations()).isEmpty();
    }

    @Test
    void proxyProtocolTlvsNeedVersion2() {
        ObjectNode pp = props("backendSettingsCollection", 0)
                .put("enableL4ClientIpPreservation", true)
                .putObject("gatehouseProxyProtocol")
                .put("version", "V1");
        pp.putArray("tlvs").add("Authority");
        pp.putArray("passThroughTlvTypes").add(234);
        assertThat(violations())
                .containsExactlyInAnyOrder(
                        "ProxyProtocolTlvsRequireV2"
                                + "@properties.backendSettingsCollection[0].properties.gatehouseProxyProtocol.tlvs",
                        "ProxyProtocolTlvsRequireV2@properties.backendSettingsCollection[0].properties"
                                + ".gatehouseProxyProtocol.passThroughTlvTypes");
        pp.put("version", "V2");
        assertThat(violations()).isEmpty();
    }

    @Test
    void proxyProtocolNeedsAVersionAndPassesThroughApplicationTlvTypesOnly() {
        ObjectNode pp = props("backendSettingsCollection", 0)
                .put("enableL4ClientIpPreservation", true)
                .putObject("gatehouseProxyProtocol");
        pp.putArray("passThroughTlvTypes").add(224).add(3).add(248);
        assertThat(violations())
                .containsExactlyInAnyOrder(
                        "MissingRequiredProperty"
                                + "@properties.backendSettingsCollection[0].properties.gatehouseProxyProtocol.version",
                        "ValueOutOfRange@properties.backendSettingsCollection[0].properties"
                                + ".gatehouseProxyProtocol.passThroughTlvTypes[1]",
                        "ValueOutOfRange@properties.backendSettingsCollection[0].properties"
                                + ".gatehouseProxyProtocol.passThroughTlvTypes[2]");
    }

    @Test
    void theProbeHeaderExtensionNeedsATcpOrTlsProbeUnlessItIsNone() {
        addChild("probes", "web").put("protocol", "Http").put("gatehouseProxyProtocolHeader", "V2Local");
        addChild("probes", "quiet").put("protocol", "Https").put("gatehouseProxyProtocolHeader", "None");
        assertThat(violations())
                .containsExactly("ProbeProxyProtocolHeaderRequiresTcpOrTls"
                        + "@properties.probes[0].properties.gatehouseProxyProtocolHeader");
    }

    @Test
    void anExplicitProbeHeaderFlagThatContradictsTheExtensionIsRefused() {
        addChild("probes", "off")
                .put("protocol", "Tcp")
                .put("enableProbeProxyProtocolHeader", true)
                .put("gatehouseProxyProtocolHeader", "None");
        addChild("probes", "on")
                .put("protocol", "Tcp")
                .put("enableProbeProxyProtocolHeader", false)
                .put("gatehouseProxyProtocolHeader", "V1");
        addChild("probes", "agreed")
                .put("protocol", "Tcp")
                .put("enableProbeProxyProtocolHeader", true)
                .put("gatehouseProxyProtocolHeader", "V2Local");
        addChild("probes", "alone").put("protocol", "Tls").put("gatehouseProxyProtocolHeader", "V2Local");
        assertThat(violations())
                .containsExactlyInAnyOrder(
                        "ProbeProxyProtocolHeaderConflict@properties.probes[0].properties.enableProbeProxyProtocolHeader",
                        "ProbeProxyProtocolHeaderConflict@properties.probes[1].properties.enableProbeProxyProtocolHeader");
    }

    @Test
    void sniSettingsNeedTlsSettings() {
        props("backendSettingsCollection", 0).put("hostName", "db.example.com");
        addChild("backendSettingsCollection", "pick")
                .put("protocol", "Tcp")
                .put("port", 1)
                .put("pickHostNameFromBackendAddress", true);
        assertThat(violations())
                .containsExactlyInAnyOrder(
                        "HostNameRequiresTls@properties.backendSettingsCollection[0].properties.hostName",
                        "HostNameRequiresTls@properties.backendSettingsCollection[1].properties.pickHostNameFromBackendAddress");
    }

    @Test
    void hostNameAndPickHostNameFromBackendAddressExcludeEachOther() {
        props("backendSettingsCollection", 0)
                .put("protocol", "Tls")
                .put("hostName", "db.example.com")
                .put("pickHostNameFromBackendAddress", true);
        assertThat(violations())
                .containsExactly("InvalidPropertyValue@properties.backendSettingsCollection[0].properties.hostName");
    }

    @Test
    void trustedRootsNeedTlsSettings() {
        addChild("trustedRootCertificates", "root").put("data", ca.caDerBase64());
        props("backendSettingsCollection", 0)
                .putArray("trustedRootCertificates")
                .add(ref("trustedRootCertificates", "root"));
        assertThat(violations())
                .containsExactly(
                        "TrustedRootCertificatesRequireTls@properties.backendSettingsCollection[0].properties.trustedRootCertificates");
    }

    @Test
    void aSettingsProbeMustSpeakTheSettingsProtocol() {
        addChild("probes", "tls-probe").put("protocol", "Tls");
        props("backendSettingsCollection", 0).set("probe", ref("probes", "tls-probe"));
        assertThat(violations())
                .containsExactly("IncompatibleProbeProtocol@properties.backendSettingsCollection[0].properties.probe");
    }

    @Test
    void layer4ProbesHaveNoPathAndNoMatch() {
        ObjectNode probe = addChild("probes", "p").put("protocol", "Tcp").put("path", "/health");
        probe.putObject("match").putArray("statusCodes").add("200");
        assertThat(violations())
                .containsExactlyInAnyOrder(
                        "ProbePathNotAllowed@properties.probes[0].properties.path",
                        "ProbeMatchNotAllowed@properties.probes[0].properties.match");
    }

    @Test
    void keyVaultReferencesAreRefusedRatherThanIgnored() {
        addChild("sslCertificates", "kv").put("keyVaultSecretId", "https://vault.example/secrets/cert");
        addChild("trustedRootCertificates", "kv").put("keyVaultSecretId", "https://vault.example/secrets/root");
        assertThat(violations())
                .containsExactlyInAnyOrder(
                        "KeyVaultNotSupported@properties.sslCertificates[0].properties.keyVaultSecretId",
                        "KeyVaultNotSupported@properties.trustedRootCertificates[0].properties.keyVaultSecretId");
    }

    @Test
    void everyViolationIsReportedInOneRun() {
        doc.remove("location");
        props("frontendPorts", 0).put("port", 70000);
        props("listeners", 0).put("protocol", "Http");
        props("routingRules", 0).put("ruleType", "Other");
        assertThat(violations()).hasSize(4);
    }

    @Test
    void aListenerCertificateIsAPfxThatOpensWithItsPasswordAndHoldsAKey() {
        addCertificate("good", pfx, "pw");
        addCertificate("wrong-password", pfx, "nope");
        addCertificate("not-base64", "%%%", "pw");
        addCertificate("not-pfx", Base64.getEncoder().encodeToString("hello".getBytes()), "pw");
        addCertificate("no-key", ca.server("nokey.example.com").pfxBase64WithoutKey("pw"), "pw");
        addChild("sslCertificates", "no-data").put("password", "pw");
        assertThat(violations())
                .containsExactly(
                        "CertificatePasswordIncorrect@properties.sslCertificates[1].properties.password",
                        "InvalidCertificateData@properties.sslCertificates[2].properties.data",
                        "InvalidCertificateData@properties.sslCertificates[3].properties.data",
                        "CertificateHasNoPrivateKey@properties.sslCertificates[4].properties.data",
                        "MissingRequiredProperty@properties.sslCertificates[5].properties.data");
    }

    @Test
    void anExpiredListenerCertificateIsRefused() {
        addCertificate("old", ca.expiredServer("old.example.com").pfxBase64("pw"), "pw");
        assertThat(violations()).containsExactly("CertificateExpired@properties.sslCertificates[0].properties.data");
    }

    @Test
    void trustedRootsAreDerOrPemCertificates() {
        addChild("trustedRootCertificates", "der").put("data", ca.caDerBase64());
        addChild("trustedRootCertificates", "pem").put("data", ca.caPemText());
        addChild("trustedRootCertificates", "pem-base64")
                .put("data", Base64.getEncoder().encodeToString(ca.caPemText().getBytes()));
        addChild("trustedRootCertificates", "junk").put("data", "bm90IGEgY2VydA==");
        assertThat(violations())
                .containsExactly("InvalidCertificateData@properties.trustedRootCertificates[3].properties.data");
    }

    @Test
    void sniHostNamesAreHostNamesOrOneLabelWildcards() {
        addCertificate("cert", pfx, "pw");
        ObjectNode l = props("listeners", 0).put("protocol", "Tls");
        l.set("sslCertificate", ref("sslCertificates", "cert"));
        l.putArray("hostNames")
                .add("db.example.com")
                .add("*.example.com")
                .add("bad name")
                .add("a.*.example.com");
        assertThat(violations())
                .containsExactly(
                        "InvalidHostName@properties.listeners[0].properties.hostNames[2]",
                        "InvalidHostName@properties.listeners[0].properties.hostNames[3]");
    }

    @Test
    void theDualStackWildcardConflictsWithIpv4ListenersOnItsPort() {
        addChild("frontendIPConfigurations", "any6").put("privateIPAddress", "::");
        addListener("dual", "any6", 5000);
        assertThat(violations()).containsExactly("ListenerAddressConflict@properties.listeners[1]");
    }

    @Test
    void aPfxWhoseKeyIsNotTheCertificatesOwnIsRefused() throws Exception {
        KeyStore a = load(ca.server("a.example.com").pfxBase64("pw"));
        KeyStore b = load(ca.server("b.example.com").pfxBase64("pw"));
        KeyStore mixed = KeyStore.getInstance("PKCS12");
        mixed.load(null, null);
        mixed.setKeyEntry(
                "server", a.getKey("server", "pw".toCharArray()), "pw".toCharArray(), b.getCertificateChain("server"));
        var out = new ByteArrayOutputStream();
        mixed.store(out, "pw".toCharArray());
        addCertificate("mixed", Base64.getEncoder().encodeToString(out.toByteArray()), "pw");
        assertThat(violations())
                .containsExactly("CertificateKeyMismatch@properties.sslCertificates[0].properties.data");
    }

    private static KeyStore load(String pfx) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new ByteArrayInputStream(Base64.getDecoder().decode(pfx)), "pw".toCharArray());
        return store;
    }

    @Test
    void anExpiredCertificateAlreadyStoredDoesNotBlockOtherWrites() {
        String expired = ca.expiredServer("old.example.com").pfxBase64("pw");
        addCertificate("old", expired, "pw");
        ApplicationGateway stored = JSON.treeToValue(doc, ApplicationGateway.class);
        props("frontendPorts", 0).put("port", 5001);
        GatewayKey key = new GatewayKey(TestGateway.SUBSCRIPTION, TestGateway.RESOURCE_GROUP, gw.name());
        assertThat(RULES.check(key, JSON.treeToValue(doc, ApplicationGateway.class), stored))
                .isEmpty();
        assertThat(violations()).containsExactly("CertificateExpired@properties.sslCertificates[0].properties.data");
    }

    @Test
    void sniHostNamesAreUniquePerListenerAndNeverNull() {
        addCertificate("cert", pfx, "pw");
        ObjectNode l = props("listeners", 0).put("protocol", "Tls");
        l.set("sslCertificate", ref("sslCertificates", "cert"));
        l.putArray("hostNames").add("db.example.com").add("DB.example.com").addNull();
        ObjectNode other = addListener("other", "fip", 5000).put("protocol", "Tls");
        other.set("sslCertificate", ref("sslCertificates", "cert"));
        other.putArray("hostNames").add("other.example.com");
        assertThat(violations())
                .containsExactly(
                        "InvalidHostName@properties.listeners[0].properties.hostNames[1]",
                        "InvalidHostName@properties.listeners[0].properties.hostNames[2]");
    }

    @Test
    void sniSharingNeedsTheVerySameAddress() {
        addCertificate("cert", pfx, "pw");
        addChild("frontendIPConfigurations", "any").put("privateIPAddress", "0.0.0.0");
        ObjectNode a = props("listeners", 0).put("protocol", "Tls");
        a.set("sslCertificate", ref("sslCertificates", "cert"));
        a.putArray("hostNames").add("a.example.com");
        ObjectNode b = addListener("b", "any", 5000).put("protocol", "Tls");
        b.set("sslCertificate", ref("sslCertificates", "cert"));
        b.putArray("hostNames").add("b.example.com");
        assertThat(violations()).containsExactly("ListenerAddressConflict@properties.listeners[1]");
    }

    @Test
    void aNullChildIsReportedNotAnError() {
        collection("probes").addNull();
        assertThat(violations()).containsExactly("InvalidPropertyValue@properties.probes[0]");
    }
}
