package dev.gatehouse.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.ApiIntegrationTest;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseApi.Response;
import dev.gatehouse.testing.TestGateway;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The REST contract as an ARM client sees it, over a real HTTP socket against the whole application. */
class GatewayApiIntegrationTests extends ApiIntegrationTest {

    private static TestGateway gateway(String name) {
        return TestGateway.named(name).listen("127.0.0.1", FreePorts.next()).backends(9, "127.0.0.1");
    }

    @Test
    void putCreatesWith201ThenReplacesWith200AndAnUnchangedDocumentKeepsItsEtag() {
        TestGateway gw = gateway("api-create");
        Response created = api.put(gw.path(), gw.json());
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.etag()).startsWith("W/\"");
        assertThat(created.json().path("etag").asString()).isEqualTo(created.etag());

        Response same = api.put(gw.path(), gw.json());
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.etag()).isEqualTo(created.etag());

        ObjectNode changed = gw.json();
        changed.putObject("tags").put("env", "prod");
        Response replaced = api.put(gw.path(), changed);
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.etag()).isNotEqualTo(created.etag());
        assertThat(replaced.json().path("tags").path("env").asString()).isEqualTo("prod");
    }

    @Test
    void getReturnsWhatWasPutPlusTheArmEnvelopeAndReadOnlyFields() {
        TestGateway gw = gateway("api-get");
        api.put(gw.path(), gw.json());
        Response r = api.get(gw.path());
        assertThat(r.status()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.path("id").asString()).isEqualTo(gw.path());
        assertThat(body.path("name").asString()).isEqualTo("api-get");
        assertThat(body.path("type").asString()).isEqualTo("Microsoft.Network/applicationGateways");
        assertThat(body.path("location").asString()).isEqualTo("westeurope");
        assertThat(body.path("properties").path("provisioningState").asString()).isEqualTo("Succeeded");
        assertThat(body.path("properties").path("operationalState").asString()).isEqualTo("Running");
        JsonNode settings =
                body.path("properties").path("backendSettingsCollection").get(0);
        assertThat(settings.path("id").asString()).isEqualTo(gw.childId("backendSettingsCollection", "settings"));
        assertThat(settings.path("type").asString())
                .isEqualTo("Microsoft.Network/applicationGateways/backendSettingsCollection");
        assertThat(settings.path("etag").asString()).startsWith("W/\"");
        assertThat(settings.path("properties").path("port").asInt()).isEqualTo(9);
        assertThat(r.header("x-ms-request-id")).isPresent();
    }

    @Test
    void aGetCanBeEditedAndPutBackAsAzureClientsDo() {
        TestGateway gw = gateway("api-roundtrip");
        Response created = api.put(gw.path(), gw.json());
        Response again = api.put(gw.path(), created.raw());
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.etag()).isEqualTo(created.etag());
    }

    @Test
    void listsByResourceGroupAndBySubscription() {
        TestGateway a = gateway("api-list-a");
        TestGateway b = gateway("api-list-b");
        api.put(a.path(), a.json());
        api.put(b.path(), b.json());
        String group = "/subscriptions/" + TestGateway.SUBSCRIPTION + "/resourceGroups/" + TestGateway.RESOURCE_GROUP
                + "/providers/Microsoft.Network/applicationGateways";
        String subscription =
                "/subscriptions/" + TestGateway.SUBSCRIPTION + "/providers/Microsoft.Network/applicationGateways";
        for (String path : new String[] {group, subscription}) {
            Response r = api.get(path);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json()
                            .path("value")
                            .valueStream()
                            .map(g -> g.path("name").asString()))
                    .contains("api-list-a", "api-list-b");
        }
    }

    @Test
    void deleteAnswers200ThenNoContentAndTheGatewayIsGone() {
        TestGateway gw = gateway("api-delete");
        api.put(gw.path(), gw.json());
        assertThat(api.delete(gw.path()).status()).isEqualTo(200);
        assertThat(api.delete(gw.path()).status()).isEqualTo(204);
        Response missing = api.get(gw.path());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("ResourceNotFound");
        assertThat(missing.header("x-ms-error-code")).contains("ResourceNotFound");
    }

    @Test
    void ifMatchAndIfNoneMatchGuardWrites() {
        TestGateway gw = gateway("api-etag");
        Response created = api.put(gw.path(), gw.json(), "If-None-Match", "*");
        assertThat(created.status()).isEqualTo(201);
        Response again = api.put(gw.path(), gw.json(), "If-None-Match", "*");
        assertThat(again.status()).isEqualTo(412);
        assertThat(again.errorCode()).isEqualTo("PreconditionFailed");

        ObjectNode changed = gw.json();
        changed.putObject("tags").put("v", "2");
        Response stale = api.put(gw.path(), changed, "If-Match", "W/\"0000\"");
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.json().path("error").path("target").asString()).isEqualTo("If-Match");
        assertThat(api.get(gw.path()).etag()).isEqualTo(created.etag());

        Response fresh = api.put(gw.path(), changed, "If-Match", created.etag());
        assertThat(fresh.status()).isEqualTo(200);
        assertThat(api.delete(gw.path(), "If-Match", created.etag()).status()).isEqualTo(412);
        assertThat(api.delete(gw.path(), "If-Match", fresh.etag()).status()).isEqualTo(200);
    }

    @Test
    void aRejectedWriteChangesNothingStored() {
        TestGateway gw = gateway("api-rejected");
        Response created = api.put(gw.path(), gw.json());
        ObjectNode bad = gw.json();
        ((ObjectNode) bad.path("properties").path("frontendPorts").get(0).path("properties")).put("port", 0);
        Response rejected = api.put(gw.path(), bad);
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(api.put(gw.path(), "{\"location\": ").status()).isEqualTo(400);
        Response after = api.get(gw.path());
        assertThat(after.etag()).isEqualTo(created.etag());
        assertThat(after.stored()).isEqualTo(api.get(gw.path()).stored());
        assertThat(after.json()
                        .path("properties")
                        .path("frontendPorts")
                        .get(0)
                        .path("properties")
                        .path("port")
                        .asInt())
                .isPositive();
    }

    @Test
    void malformedJsonAndWrongTypesAre400WithCodeAndPath() {
        TestGateway gw = gateway("api-malformed");
        Response broken = api.put(gw.path(), "{\"location\": \"x\", \"properties\": {");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.errorCode()).isEqualTo("InvalidJson");

        ObjectNode wrongType = gw.json();
        ((ObjectNode) wrongType.path("properties").path("frontendPorts").get(0).path("properties")).put("port", "80");
        Response typed = api.put(gw.path(), wrongType);
        assertThat(typed.errorCode()).isEqualTo("InvalidPropertyType");
        assertThat(typed.json().path("error").path("target").asString())
                .isEqualTo("properties.frontendPorts[0].properties.port");

        ObjectNode unknown = gw.json();
        ((ObjectNode) unknown.path("properties")
                        .path("backendSettingsCollection")
                        .get(0)
                        .path("properties"))
                .put("enableL4ClientIpPreservatoin", true);
        Response misspelt = api.put(gw.path(), unknown);
        assertThat(misspelt.errorCode()).isEqualTo("UnknownProperty");
        assertThat(misspelt.json().path("error").path("target").asString())
                .isEqualTo("properties.backendSettingsCollection[0].properties.enableL4ClientIpPreservatoin");

        assertThat(api.put(gw.path(), "").errorCode()).isEqualTo("InvalidRequestContent");
        assertThat(api.put(gw.path(), "[]").errorCode()).isEqualTo("InvalidPropertyType");
    }

    @Test
    void anInvalidDocumentIs400WithEveryViolationAndNothingIsStored() {
        TestGateway gw = gateway("api-violations");
        ObjectNode doc = gw.json();
        doc.remove("location");
        ObjectNode settings = (ObjectNode)
                doc.path("properties").path("backendSettingsCollection").get(0).path("properties");
        settings.put("protocol", "Http");
        settings.put("port", 70000);
        settings.put("enableL4ClientIpPreservation", true);
        Response r = api.put(gw.path(), doc);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("InvalidApplicationGateway");
        assertThat(r.json()
                        .path("error")
                        .path("details")
                        .valueStream()
                        .map(d -> d.path("code").asString() + "@"
                                + d.path("target").asString()))
                .contains(
                        "MissingRequiredProperty@location",
                        "ValueOutOfRange@properties.backendSettingsCollection[0].properties.port",
                        "ClientIpPreservationRequiresTcpOrTls@properties.backendSettingsCollection[0].properties"
                                + ".enableL4ClientIpPreservation",
                        "RoutingRuleRequiresTcpOrTlsSettings@properties.routingRules[0].properties.backendSettings");
        assertThat(api.get(gw.path()).status()).isEqualTo(404);
    }

    @Test
    void armSpellingsAreAcceptedCaseInsensitivelyWithTheDocumentedAlias() {
        TestGateway gw = gateway("api-spelling");
        String doc = TestGateway.text(gw.json())
                .replace("\"enableL4ClientIpPreservation\":false", "\"EnableClientIpPreservation\":true")
                .replace("\"protocol\":\"Tcp\"", "\"protocol\":\"tcp\"");
        Response r = api.put(gw.path(), doc);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json()
                        .path("properties")
                        .path("backendSettingsCollection")
                        .get(0)
                        .path("properties")
                        .path("enableL4ClientIpPreservation")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void apiVersionIsRequiredAndChecked() {
        TestGateway gw = gateway("api-version");
        Response missing = api.getRaw(gw.path());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.errorCode()).isEqualTo("MissingApiVersionParameter");
        Response unknown = api.getRaw(gw.path() + "?api-version=2019-01-01");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.errorCode()).isEqualTo("InvalidApiVersionParameter");
        assertThat(api.getRaw(gw.path() + "?api-version=2024-05-01").status()).isEqualTo(404);
    }

    @Test
    void idsAreCheckedBeforeAnythingIsRead() {
        Response r = api.get(
                "/subscriptions/not-a-guid/resourceGroups/rg/providers/Microsoft.Network/applicationGateways/gw");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("InvalidSubscriptionId");
        Response name = api.get(TestGateway.path("-bad-"));
        assertThat(name.errorCode()).isEqualTo("InvalidResourceName");
    }

    private static Map<String, String> changes(Response r) {
        Map<String, String> out = new TreeMap<>();
        r.json().path("changes").forEach(c -> {
            String id = c.path("resourceId").asString();
            out.put(
                    id.substring(id.indexOf("applicationGateways/") + "applicationGateways/".length()),
                    c.path("changeType").asString());
        });
        return out;
    }

    @Test
    void validateListsTheChangesAPutWouldMakeAndStoresNothing() {
        TestGateway gw = gateway("api-whatif");
        Response preview = api.post(gw.path() + "/validate", TestGateway.text(gw.json()));
        assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
        assertThat(changes(preview))
                .containsEntry("api-whatif", "Create")
                .containsEntry("api-whatif/listeners/listener", "Create");
        assertThat(api.get(gw.path()).status()).isEqualTo(404);

        Response created = api.put(gw.path(), gw.json());
        assertThat(changes(api.post(gw.path() + "/validate", TestGateway.text(gw.json())))
                        .values())
                .containsOnly("NoChange");

        ObjectNode changed = gw.json();
        ObjectNode p = (ObjectNode) changed.path("properties");
        ((ObjectNode) p.path("backendSettingsCollection").get(0).path("properties")).put("timeout", 99);
        p.remove("probes");
        ((ObjectNode) p.path("backendSettingsCollection").get(0).path("properties")).remove("probe");
        p.putArray("trustedRootCertificates");
        Response whatIf = api.post(gw.path() + "/validate", TestGateway.text(changed));
        assertThat(changes(whatIf))
                .containsEntry("api-whatif", "Modify")
                .containsEntry("api-whatif/backendSettingsCollection/settings", "Modify")
                .containsEntry("api-whatif/probes/probe", "Delete")
                .containsEntry("api-whatif/listeners/listener", "NoChange");
        assertThat(api.get(gw.path()).etag()).isEqualTo(created.etag());

        ((ObjectNode) p.path("frontendPorts").get(0).path("properties")).put("port", 0);
        Response invalid = api.post(gw.path() + "/validate", TestGateway.text(changed));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json()
                        .path("error")
                        .path("details")
                        .get(0)
                        .path("target")
                        .asString())
                .isEqualTo("properties.frontendPorts[0].properties.port");
    }
}
