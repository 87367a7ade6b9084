package dev.gatehouse.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.ApiIntegrationTest;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseApi.Response;
import dev.gatehouse.testing.TestCertificates;
import dev.gatehouse.testing.TestGateway;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a client written for Azure sends (api-versions, UpdateTags, documents with Azure's whole schema, read-only
 * properties echoed back), over a real socket against the whole application.
 */
class AzureFidelityIntegrationTests extends ApiIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static TestGateway gateway(String name) {
        return TestGateway.named(name).listen("127.0.0.1", FreePorts.next()).backends(9, "127.0.0.1");
    }

    @Test
    void theApiVersionOfMicrosoftsCurrentSdksIsAccepted() {
        TestGateway gw = gateway("azure-newest-version");
        Response created = api.put(gw.path() + "?api-version=2026-01-01", gw.json());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(api.getRaw(gw.path() + "?api-version=2023-02-01").status()).isEqualTo(200);
    }

    @Test
    void everyApiVersionThatTheErrorListsIsAcceptedByAGatewayPutAndGet() {
        String message = api.getRaw(gateway("azure-versions").path() + "?api-version=2022-01-01")
                .json()
                .path("error")
                .path("message")
                .asString();
        String listed = message.substring(message.indexOf("are '") + 5, message.lastIndexOf('\''));
        List<String> versions = List.of(listed.split(","));
        assertThat(versions).hasSize(18).contains("2023-02-01", "2024-05-01", "2026-01-01");
        TestGateway gw = gateway("azure-every-version");
        for (String version : versions) {
            Response put = api.put(gw.path() + "?api-version=" + version, gw.json());
            assertThat(put.status()).as(version + ": " + put).isIn(200, 201);
            assertThat(api.getRaw(gw.path() + "?api-version=" + version).status())
                    .as(version)
                    .isEqualTo(200);
        }
    }

    @Test
    void anUnsupportedApiVersionGetsArmsErrorListingTheSupportedOnesNewestFirst() {
        Response r = api.getRaw(gateway("azure-old-version").path() + "?api-version=2022-01-01");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("InvalidApiVersionParameter");
        assertThat(r.json().path("error").path("message").asString())
                .startsWith(
                        "The api-version '2022-01-01' is invalid. The supported versions are '2026-01-01,2025-12-01,")
                .contains(",2023-02-01'.");
    }

    @Test
    void patchReplacesTheTagsOnlyAndAnswers200WithTheGateway() {
        TestGateway gw = gateway("azure-update-tags");
        Response created = api.apply(gw);

        Response patched = api.patch(gw.path(), "{\"tags\":{\"env\":\"prod\",\"team\":\"net\"}}");

        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().path("tags").path("env").asString()).isEqualTo("prod");
        assertThat(patched.json().path("id").asString()).isEqualTo(gw.path());
        assertThat(patched.etag()).isNotEqualTo(created.etag());
        Response read = api.get(gw.path());
        assertThat(read.json().path("tags").size()).isEqualTo(2);
        assertThat(read.json().path("properties").path("listeners"))
                .isEqualTo(created.json().path("properties").path("listeners"));

        Response cleared = api.patch(gw.path(), "{\"tags\":{}}");
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.json().has("tags")).isFalse();
    }

    @Test
    void patchOnAMissingGatewayIs404AndATypoInItsBodyIs400() {
        TestGateway gw = gateway("azure-update-tags-missing");
        Response missing = api.patch(gw.path(), "{\"tags\":{\"env\":\"prod\"}}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("ResourceNotFound");

        api.apply(gw);
        Response typo = api.patch(gw.path(), "{\"tag\":{\"env\":\"prod\"}}");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.errorCode()).isEqualTo("UnknownProperty");
    }

    @Test
    void aGetWithEveryChildKindCanBeChangedInOnePropertyAndPutBack() throws Exception {
        try (TestCertificates ca = TestCertificates.newAuthority()) {
            TestGateway gw = gateway("azure-roundtrip")
                    .tlsListener(ca.server("gw.test").pfxBase64("pw"), "pw")
                    .tlsBackend(ca.caDerBase64(), "backend.test")
                    .drain(5);
            ObjectNode withKept = gw.json();
            withKept.putArray("zones").add("1");
            ((ObjectNode) withKept.path("properties"))
                    .putObject("autoscaleConfiguration")
                    .put("minCapacity", 1);
            api.apply(gw.path(), withKept);
            JsonNode read = api.get(gw.path()).json();
            for (String kind : new String[] {
                "frontendIPConfigurations",
                "frontendPorts",
                "listeners",
                "backendAddressPools",
                "backendSettingsCollection",
                "probes",
                "routingRules",
                "sslCertificates",
                "trustedRootCertificates"
            }) {
                assertThat(read.path("properties").path(kind).size()).as(kind).isPositive();
            }
            ObjectNode edited = (ObjectNode) read.deepCopy();
            // What Azure returns and clients echo, on top of what Gatehouse returns.
            ObjectNode p = (ObjectNode) edited.path("properties");
            p.put("resourceGuid", "c8b2a1f0-0000-0000-0000-000000000000");
            ((ObjectNode) p.path("backendAddressPools").get(0).path("properties")).putArray("backendIPConfigurations");
            ((ObjectNode) p.path("listeners").get(0).path("properties")).put("provisioningState", "Succeeded");
            ((ObjectNode) p.path("backendSettingsCollection").get(0).path("properties")).put("timeout", 42);

            Response replaced = api.put(gw.path(), edited);

            assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
            JsonNode after = api.get(gw.path()).json();
            assertThat(after.path("properties")
                            .path("backendSettingsCollection")
                            .get(0)
                            .path("properties")
                            .path("timeout")
                            .asInt())
                    .isEqualTo(42);
            assertThat(after.path("zones").get(0).asString()).isEqualTo("1");
            assertThat(after.path("properties")
                            .path("autoscaleConfiguration")
                            .path("minCapacity")
                            .asInt())
                    .isEqualTo(1);
            assertThat(after.path("properties").has("resourceGuid")).isFalse();
            assertThat(after.path("properties").path("sslCertificates").get(0).path("etag"))
                    .isEqualTo(read.path("properties")
                            .path("sslCertificates")
                            .get(0)
                            .path("etag"));
        }
    }

    @Test
    void aTcpGatewayWrittenAsAzuresDocsWriteOneIsServed() {
        TestGateway gw = gateway("azure-docs-tcp");
        ObjectNode doc = gw.json();
        doc.putArray("zones").add("1").add("2").add("3");
        doc.putObject("identity")
                .put("type", "UserAssigned")
                .putObject("userAssignedIdentities")
                .putObject(
                        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id");
        ObjectNode p = (ObjectNode) doc.path("properties");
        p.putObject("sku").put("name", "Standard_v2").put("tier", "Standard_v2");
        p.putObject("autoscaleConfiguration").put("minCapacity", 2).put("maxCapacity", 10);
        p.putArray("gatewayIPConfigurations")
                .addObject()
                .put("name", "appGatewayIpConfig")
                .putObject("properties")
                .putObject("subnet")
                .put(
                        "id",
                        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/"
                                + "virtualNetworks/vnet/subnets/appgw");
        p.put("enableHttp2", false);
        p.putObject("sslPolicy").put("policyType", "Predefined").put("policyName", "AppGwSslPolicy20220101");
        ((ObjectNode) p.path("frontendIPConfigurations").get(0).path("properties"))
                .put("privateIPAllocationMethod", "Static")
                .putObject("subnet")
                .put("id", "/subscriptions/s/x");

        Response created = api.put(gw.path(), doc, "Prefer", "wait=10");

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("properties").path("provisioningState").asString())
                .isEqualTo("Succeeded");
        JsonNode read = api.get(gw.path()).json();
        assertThat(read.path("identity").path("type").asString()).isEqualTo("UserAssigned");
        assertThat(read.path("properties")
                        .path("gatewayIPConfigurations")
                        .get(0)
                        .path("name")
                        .asString())
                .isEqualTo("appGatewayIpConfig");
    }

    @Test
    void aDocumentWithHttpListenersGetsOne400NamingEveryElementThatIsNotServedAndNothingIsStored() {
        TestGateway gw = gateway("azure-http");
        ObjectNode doc = gw.json();
        ObjectNode p = (ObjectNode) doc.path("properties");
        p.putArray("httpListeners").addObject().put("name", "http");
        p.putArray("backendHttpSettingsCollection").addObject().put("name", "settings");
        p.putArray("requestRoutingRules").addObject().put("name", "rule");
        p.putObject("colour");

        Response refused = api.put(gw.path(), doc);

        assertThat(refused.status()).isEqualTo(400);
        JsonNode details = refused.json().path("error").path("details");
        assertThat(details.size()).as(refused.toString()).isEqualTo(4);
        assertThat(details.toString())
                .contains(
                        "\"FeatureNotServed\"",
                        "properties.httpListeners",
                        "properties.backendHttpSettingsCollection",
                        "properties.requestRoutingRules",
                        "UnknownProperty",
                        "properties.colour");
        assertThat(api.get(gw.path()).status()).isEqualTo(404);
    }

    @Test
    void aFrontendWithAPublicIpAddressBindsTheConfiguredPublicAddressAndADynamicOneTheDefaultPrivateOne()
            throws Exception {
        // The public frontend binds the wildcard: the port must be free on every address, not only on 127.0.0.1.
        int publicPort = FreePorts.next("0.0.0.0");
        TestGateway gw = gateway("azure-frontends")
                .listen("127.0.0.1", publicPort)
                .extraListener("dynamic", FreePorts.next(), 9);
        ObjectNode doc = gw.json();
        ObjectNode fip = (ObjectNode)
                doc.path("properties").path("frontendIPConfigurations").get(0);
        ObjectNode publicFrontend = (ObjectNode) fip.path("properties");
        publicFrontend.remove("privateIPAddress");
        publicFrontend
                .putObject("publicIPAddress")
                .put("id", "/subscriptions/s/resourceGroups/rg/providers/" + "Microsoft.Network/publicIPAddresses/pip");
        ObjectNode dynamic = JSON.createObjectNode().put("name", "private");
        dynamic.putObject("properties").put("privateIPAllocationMethod", "Dynamic");
        ((ArrayNode) doc.path("properties").path("frontendIPConfigurations")).add(dynamic);
        ObjectNode dynamicListener =
                (ObjectNode) doc.path("properties").path("listeners").get(1).path("properties");
        dynamicListener
                .putObject("frontendIPConfiguration")
                .put("id", gw.childId("frontendIPConfigurations", "private"));

        Response created = api.apply(gw.path(), doc);

        JsonNode frontends = created.json().path("properties").path("frontendIPConfigurations");
        assertThat(frontends.get(0).path("properties").path("privateIPAddress").asString())
                .isEqualTo("0.0.0.0");
        assertThat(frontends
                        .get(0)
                        .path("properties")
                        .path("publicIPAddress")
                        .path("id")
                        .asString())
                .endsWith("/pip");
        assertThat(frontends.get(1).path("properties").path("privateIPAddress").asString())
                .isEqualTo("127.0.0.1");
        try (Socket s = new Socket("127.0.0.1", publicPort)) {
            assertThat(s.isConnected()).isTrue();
        }
        Response again = api.put(gw.path(), api.get(gw.path()).raw());
        assertThat(again.etag()).isEqualTo(created.etag());
    }
}
