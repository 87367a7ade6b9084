package dev.gatehouse.gateway.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.arm.ArmJsonConfiguration;
import dev.gatehouse.gateway.model.ApplicationGateway;
import dev.gatehouse.gateway.model.GatewayKey;
import dev.gatehouse.testing.TestCertificates;
import dev.gatehouse.testing.TestGateway;
import jakarta.validation.Validation;
import java.util.List;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The listener extensions gatehouseProxyProtocol and gatehouseClientAccess: each violation's code and path. */
class ClientAddressRulesTests {

    private static final JsonMapper JSON = ArmJsonConfiguration.mapper();
    private static final GatewayRules RULES = new GatewayRules(Validation.byDefaultProvider()
            .configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory()
            .getValidator());
    private static final String LISTENER = "properties.listeners[0].properties.";

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

    private final TestGateway gw = TestGateway.named("rules")
            .listen("127.0.0.1", 5000)
            .backends(6000, "10.0.0.4")
            .probe(null);
    private final ObjectNode doc = gw.json();
    private final ObjectNode listener =
            (ObjectNode) doc.path("properties").path("listeners").get(0).path("properties");

    private List<ApiError> errors() {
        ApplicationGateway parsed = JSON.treeToValue(doc, ApplicationGateway.class);
        return RULES.check(new GatewayKey(TestGateway.SUBSCRIPTION, TestGateway.RESOURCE_GROUP, gw.name()), parsed);
    }

    private List<String> violations() {
        return errors().stream().map(e -> e.code() + "@" + e.target()).toList();
    }

    @Test
    void rangesOfBothFamiliesIncludingIpv4MappedOnesAreValid() {
        listener.putObject("gatehouseProxyProtocol")
                .put("headerTimeoutInSec", 5)
                .putArray("trustedSources")
                .add("10.0.0.0/8")
                .add("::1/128")
                .add("192.0.2.7")
                .add("::ffff:192.168.0.0/112");
        ObjectNode access = listener.putObject("gatehouseClientAccess");
        access.putArray("allow").add("0.0.0.0/0").add("::/0");
        access.putArray("deny").add("2001:db8::/32");
        assertThat(violations()).isEmpty();
    }

    @Test
    void eachBadRangeIsReportedAtItsIndexWithWhatIsWrong() {
        listener.putObject("gatehouseProxyProtocol")
                .putArray("trustedSources")
                .add("10.0.0.0/33")
                .add("10.0.0.1/8")
                .add("lb.example.com")
                .add("010.0.0.0/8")
                .add("fe80::1%eth0/64")
                .add("::ffff:10.0.0.0/64")
                .add("10.0.0.0/")
                .add("10.0.0.0/08");
        List<ApiError> errors = errors();
        assertThat(errors.stream().map(e -> e.code() + "@" + e.target()))
                .containsExactly(
                        "InvalidAddressRange@" + LISTENER + "gatehouseProxyProtocol.trustedSources[0]",
                        "InvalidAddressRange@" + LISTENER + "gatehouseProxyProtocol.trustedSources[1]",
                        "InvalidAddressRange@" + LISTENER + "gatehouseProxyProtocol.trustedSources[2]",
                        "InvalidAddressRange@" + LISTENER + "gatehouseProxyProtocol.trustedSources[3]",
                        "InvalidAddressRange@" + LISTENER + "gatehouseProxyProtocol.trustedSources[4]",
                        "InvalidAddressRange@" + LISTENER + "gatehouseProxyProtocol.trustedSources[5]",
                        "InvalidAddressRange@" + LISTENER + "gatehouseProxyProtocol.trustedSources[6]",
                        "InvalidAddressRange@" + LISTENER + "gatehouseProxyProtocol.trustedSources[7]");
        assertThat(errors.get(1).message()).contains("did you mean 10.0.0.0/8");
        assertThat(errors.get(0).message()).contains("0-32");
    }

    @Test
    void trustedSourcesAreRequiredAndNotEmpty() {
        listener.putObject("gatehouseProxyProtocol").put("headerTimeoutInSec", 3);
        assertThat(violations())
                .containsExactly("MissingRequiredProperty@" + LISTENER + "gatehouseProxyProtocol.trustedSources");
        ((ObjectNode) listener.get("gatehouseProxyProtocol")).putArray("trustedSources");
        assertThat(violations())
                .containsExactly("EmptyAddressList@" + LISTENER + "gatehouseProxyProtocol.trustedSources");
    }

    @Test
    void theHeaderTimeoutIsOneToSixtySeconds() {
        ObjectNode proxy = listener.putObject("gatehouseProxyProtocol").put("headerTimeoutInSec", 0);
        proxy.putArray("trustedSources").add("10.0.0.0/8");
        assertThat(violations())
                .containsExactly("ValueOutOfRange@" + LISTENER + "gatehouseProxyProtocol.headerTimeoutInSec");
        proxy.put("headerTimeoutInSec", 61);
        assertThat(violations())
                .containsExactly("ValueOutOfRange@" + LISTENER + "gatehouseProxyProtocol.headerTimeoutInSec");
    }

    @Test
    void clientAccessNeedsAListAndNoListThatIsEmpty() {
        ObjectNode access = listener.putObject("gatehouseClientAccess");
        assertThat(violations()).containsExactly("EmptyAddressList@" + LISTENER + "gatehouseClientAccess");
        access.putArray("allow");
        access.putArray("deny").add("10.0.0.0/8").add("bad");
        assertThat(violations())
                .containsExactly(
                        "EmptyAddressList@" + LISTENER + "gatehouseClientAccess.allow",
                        "InvalidAddressRange@" + LISTENER + "gatehouseClientAccess.deny[1]");
    }

    @Test
    void aListOfMoreThanTheMaximumIsRefused() {
        ArrayNode deny = listener.putObject("gatehouseClientAccess").putArray("deny");
        for (int i = 0; i <= ClientAddressRules.MAX_RANGES; i++) {
            deny.add("10.0." + (i / 256) + "." + (i % 256));
        }
        assertThat(violations()).containsExactly("TooManyItems@" + LISTENER + "gatehouseClientAccess.deny");
    }

    @Test
    void listenersSharingASocketBySniMustAgreeOnBothExtensions() {
        ObjectNode p = (ObjectNode) doc.path("properties");
        ObjectNode cert =
                ((ArrayNode) p.putArray("sslCertificates")).addObject().put("name", "cert");
        cert.putObject("properties").put("data", pfx).put("password", "pw");
        listener.put("protocol", "Tls").set("sslCertificate", ref("sslCertificates", "cert"));
        listener.putArray("hostNames").add("a.example.com");
        ObjectNode second = ((ArrayNode) p.get("listeners")).addObject().put("name", "b");
        ObjectNode b = second.putObject("properties").put("protocol", "Tls");
        b.set("sslCertificate", ref("sslCertificates", "cert"));
        b.set("frontendIPConfiguration", listener.get("frontendIPConfiguration"));
        b.set("frontendPort", listener.get("frontendPort"));
        b.putArray("hostNames").add("b.example.com");
        listener.putObject("gatehouseProxyProtocol").putArray("trustedSources").add("10.0.0.0/8");
        listener.putObject("gatehouseClientAccess").putArray("deny").add("192.0.2.0/24");
        assertThat(violations())
                .containsExactly(
                        "ListenersOnSocketDisagree@properties.listeners[1].properties.gatehouseProxyProtocol",
                        "ListenersOnSocketDisagree@properties.listeners[1].properties.gatehouseClientAccess");
        b.set("gatehouseProxyProtocol", listener.get("gatehouseProxyProtocol").deepCopy());
        b.set("gatehouseClientAccess", listener.get("gatehouseClientAccess").deepCopy());
        assertThat(violations()).isEmpty();
    }

    private ObjectNode ref(String collection, String name) {
        return JSON.createObjectNode().put("id", gw.childId(collection, name));
    }
}
