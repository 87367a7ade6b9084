package dev.gatehouse.gateway.rules.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.arm.ArmException;
import dev.gatehouse.arm.ArmJsonConfiguration;
import dev.gatehouse.gateway.model.ApplicationGateway;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class DocumentScreenTests {

    private static final JsonMapper JSON = ArmJsonConfiguration.mapper();
    private static final String GW =
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/applicationGateways/gw";

    /** A Tcp gateway written the way Azure's documentation and templates write one. */
    static ObjectNode azureTcpDocument() {
        return (ObjectNode) JSON.readTree("""
                {"location": "westeurope", "zones": ["1", "2"],
                 "identity": {"type": "UserAssigned", "userAssignedIdentities": {"/subscriptions/s/id1": {}}},
                 "properties": {
                   "sku": {"name": "Standard_v2", "tier": "Standard_v2", "family": "Generation_2"},
                   "autoscaleConfiguration": {"minCapacity": 1, "maxCapacity": 3},
                   "enableHttp2": false, "enableFips": false,
                   "sslPolicy": {"policyType": "Predefined", "policyName": "AppGwSslPolicy20220101"},
                   "gatewayIPConfigurations": [{"name": "gwip",
                     "properties": {"subnet": {"id": "/subscriptions/s/x"}}}],
                   "frontendIPConfigurations": [{"name": "fip", "properties": {"privateIPAddress": "127.0.0.1",
                     "privateIPAllocationMethod": "Static", "subnet": {"id": "/subscriptions/s/x"}}}],
                   "frontendPorts": [{"name": "port", "properties": {"port": 15432}}],
                   "listeners": [{"name": "l", "properties": {"protocol": "Tcp",
                     "frontendIPConfiguration": {"id": "GW/frontendIPConfigurations/fip"},
                     "frontendPort": {"id": "GW/frontendPorts/port"}}}],
                   "backendAddressPools": [{"name": "pool",
                     "properties": {"backendAddresses": [{"ipAddress": "10.0.0.4"}]}}],
                   "backendSettingsCollection": [{"name": "s",
                     "properties": {"protocol": "Tcp", "port": 5432, "timeout": 60}}],
                   "probes": [{"name": "p", "properties": {"protocol": "Tcp", "interval": 30, "timeout": 30,
                     "unhealthyThreshold": 3, "minServers": 0}}],
                   "routingRules": [{"name": "r", "properties": {"ruleType": "Basic", "priority": 100,
                     "listener": {"id": "GW/listeners/l"}, "backendAddressPool": {"id": "GW/backendAddressPools/pool"},
                     "backendSettings": {"id": "GW/backendSettingsCollection/s"}}}]
                 }}""".replace("GW/", GW + "/"));
    }

    @Test
    void aDocumentWrittenForAzureIsAcceptedAndItsKeptPropertiesAreStoredAndReturned() {
        ObjectNode doc = azureTcpDocument();
        DocumentScreen.screen(doc, "");
        ApplicationGateway bound = JSON.treeToValue(doc, ApplicationGateway.class);
        JsonNode written = JSON.valueToTree(bound.spec("gw"));

        assertThat(written.path("zones").get(1).asString()).isEqualTo("2");
        assertThat(written.path("identity").path("type").asString()).isEqualTo("UserAssigned");
        JsonNode p = written.path("properties");
        assertThat(p.path("autoscaleConfiguration").path("maxCapacity").asInt()).isEqualTo(3);
        assertThat(p.path("gatewayIPConfigurations").get(0).path("name").asString())
                .isEqualTo("gwip");
        assertThat(p.path("sslPolicy").path("policyName").asString()).isEqualTo("AppGwSslPolicy20220101");
        assertThat(p.path("enableHttp2").isBoolean()).isTrue();
        assertThat(p.path("sku").path("family").asString()).isEqualTo("Generation_2");
        assertThat(p.path("frontendIPConfigurations")
                        .get(0)
                        .path("properties")
                        .path("subnet")
                        .path("id")
                        .asString())
                .isEqualTo("/subscriptions/s/x");
        assertThat(p.path("probes").get(0).path("properties").path("minServers").asInt())
                .isZero();
        assertThat(written.has("kept")).isFalse();
        assertThat(JSON.treeToValue(written, ApplicationGateway.class)).isEqualTo(bound.spec("gw"));
    }

    @Test
    void readOnlyPropertiesThatClientsEchoAreIgnoredAsArmIgnoresThem() {
        ObjectNode doc = azureTcpDocument();
        doc.put("etag", "W/\"1\"")
                .put("type", "Microsoft.Network/applicationGateways")
                .put("id", GW);
        ObjectNode p = (ObjectNode) doc.path("properties");
        p.put("resourceGuid", "0000").put("provisioningState", "Succeeded").put("operationalState", "Running");
        p.putObject("defaultPredefinedSslPolicy");
        p.putArray("privateEndpointConnections").addObject().put("name", "pe");
        ObjectNode fip = (ObjectNode) p.path("frontendIPConfigurations").get(0);
        fip.put("etag", "W/\"2\"").put("type", "Microsoft.Network/applicationGateways/frontendIPConfigurations");
        ((ObjectNode) fip.path("properties")).put("provisioningState", "Succeeded");
        ((ObjectNode) p.path("backendAddressPools").get(0).path("properties")).putArray("backendIPConfigurations");

        DocumentScreen.screen(doc, "");

        assertThat(doc.has("etag")).isFalse();
        assertThat(p.has("resourceGuid")).isFalse();
        assertThat(p.has("privateEndpointConnections")).isFalse();
        assertThat(fip.has("etag")).isFalse();
        assertThat(JSON.treeToValue(doc, ApplicationGateway.class).spec("gw"))
                .isEqualTo(JSON.treeToValue(azureTcpDocument(), ApplicationGateway.class)
                        .spec("gw"));
    }

    @Test
    void everyElementThatIsNotServedIsNamedInOne400WithItsPath() {
        ObjectNode doc = azureTcpDocument();
        ObjectNode p = (ObjectNode) doc.path("properties");
        p.putArray("httpListeners").addObject().put("name", "http");
        p.putArray("requestRoutingRules").addObject().put("name", "rr");
        p.putObject("webApplicationFirewallConfiguration").put("enabled", true);
        p.put("enableFips", true);
        ((ObjectNode) p.path("frontendIPConfigurations").get(0).path("properties"))
                .putObject("privateLinkConfiguration")
                .put("id", "x");

        ArmException e = catchThrowableOfType(ArmException.class, () -> DocumentScreen.screen(doc, ""));

        assertThat(e.status().value()).isEqualTo(400);
        assertThat(e.error().code()).isEqualTo("FeatureNotServed");
        assertThat(e.error().details()).extracting(ApiError::code).containsOnly("FeatureNotServed");
        assertThat(e.error().details())
                .extracting(ApiError::target)
                .containsExactlyInAnyOrder(
                        "properties.httpListeners",
                        "properties.requestRoutingRules",
                        "properties.webApplicationFirewallConfiguration",
                        "properties.enableFips",
                        "properties.frontendIPConfigurations[0].properties.privateLinkConfiguration");
        assertThat(e.error().details().get(0).message()).contains("not served");
    }

    @Test
    void anSslPolicyAndSslProfilesPassTheScreenWithTlsListeners() {
        ObjectNode doc = azureTcpDocument();
        ObjectNode listener =
                (ObjectNode) doc.path("properties").path("listeners").get(0).path("properties");
        listener.put("protocol", "Tls").putObject("sslProfile").put("id", "x");
        ((ObjectNode) doc.path("properties"))
                .putArray("sslProfiles")
                .addObject()
                .put("name", "mtls")
                .putObject("properties")
                .putObject("clientAuthConfiguration")
                .put("verifyClientCertIssuerDN", true);
        ((ObjectNode) doc.path("properties"))
                .putArray("trustedClientCertificates")
                .addObject()
                .put("name", "ca")
                .putObject("properties")
                .put("data", "x")
                .put("clientCertIssuerDN", "CN=echoed");

        DocumentScreen.screen(doc, "");

        assertThat(doc.path("properties").path("sslPolicy").path("policyName").asString())
                .isEqualTo("AppGwSslPolicy20220101");
        assertThat(doc.path("properties")
                        .path("trustedClientCertificates")
                        .get(0)
                        .path("properties")
                        .has("clientCertIssuerDN"))
                .as("read-only, dropped")
                .isFalse();
    }

    @Test
    void typosAreRefusedAllAtOnceEachWithTheClosestKnownName() {
        ObjectNode doc = azureTcpDocument();
        doc.put("locaton", "westeurope");
        ((ObjectNode) doc.path("properties").path("frontendPorts").get(0).path("properties")).put("prot", 1);
        ((ObjectNode) doc.path("properties")
                        .path("backendSettingsCollection")
                        .get(0)
                        .path("properties"))
                .put("enableL4ClientIpPreservatoin", true);

        ArmException e = catchThrowableOfType(ArmException.class, () -> DocumentScreen.screen(doc, ""));

        assertThat(e.error().code()).isEqualTo("UnknownProperty");
        assertThat(e.error().details())
                .extracting(ApiError::target)
                .containsExactlyInAnyOrder(
                        "locaton",
                        "properties.frontendPorts[0].properties.prot",
                        "properties.backendSettingsCollection[0].properties.enableL4ClientIpPreservatoin");
        assertThat(e.error().details())
                .extracting(ApiError::message)
                .anySatisfy(m -> assertThat(m).contains("Did you mean 'location'?"))
                .anySatisfy(m -> assertThat(m).contains("Did you mean 'enableL4ClientIpPreservation'?"));
    }

    @Test
    void aChildIsScreenedFromItsCollectionsElement() {
        ObjectNode frontend = (ObjectNode) JSON.readTree("""
                {"name": "f", "etag": "W/\\"1\\"", "properties": {"privateIPAddress": "127.0.0.1",
                 "provisioningState": "Succeeded", "privateLinkConfiguration": {"id": "x"}}}""");

        ArmException e = catchThrowableOfType(
                ArmException.class, () -> DocumentScreen.screen(frontend, "properties.frontendIPConfigurations[]"));

        assertThat(e.error().details())
                .extracting(ApiError::target)
                .containsExactly("properties.privateLinkConfiguration");
        assertThat(frontend.has("etag")).isFalse();
    }

    @Test
    void namesAreMatchedCaseInsensitivelyAndRespeltAsTheSchemaSpellsThem() {
        ObjectNode doc = azureTcpDocument();
        doc.set("Zones", doc.remove("zones"));
        DocumentScreen.screen(doc, "");
        assertThat(doc.has("zones")).isTrue();
    }
}
