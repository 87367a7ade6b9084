package dev.gatehouse.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.ApiIntegrationTest;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseApi.Response;
import dev.gatehouse.testing.TestGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Every child collection addressed one child at a time, each validated against its whole gateway. */
class ChildResourceApiIntegrationTests extends ApiIntegrationTest {

    TestGateway gw;

    private void create(String name) {
        gw = TestGateway.named(name).listen("127.0.0.1", FreePorts.next()).backends(9, "127.0.0.1");
        assertThat(api.put(gw.path(), gw.json()).status()).isEqualTo(201);
    }

    @Test
    void backendSettingsAreCreatedReadListedReplacedAndDeleted() {
        create("child-settings");
        String path = gw.path() + "/backendSettingsCollection/extra";
        Response created = api.put(path, "{\"properties\": {\"protocol\": \"Tcp\", \"port\": 6000}}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("id").asString()).isEqualTo(gw.childId("backendSettingsCollection", "extra"));
        assertThat(created.etag()).isEqualTo(created.json().path("etag").asString());

        Response read = api.get(path);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("properties").path("port").asInt()).isEqualTo(6000);

        Response list = api.get(gw.path() + "/backendSettingsCollection");
        assertThat(list.json()
                        .path("value")
                        .valueStream()
                        .map(v -> v.path("name").asString()))
                .containsExactly("settings", "extra");

        Response replaced =
                api.put(path, "{\"name\": \"extra\", \"properties\": {\"protocol\": \"Tcp\", \"port\": 6001}}");
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.etag()).isNotEqualTo(created.etag());

        assertThat(api.delete(path).status()).isEqualTo(200);
        assertThat(api.delete(path).status()).isEqualTo(204);
        assertThat(api.get(path).errorCode()).isEqualTo("ResourceNotFound");
    }

    @Test
    void aChildWriteKeepsTheRestOfTheGatewayAndChangesItsEtag() {
        create("child-keeps");
        String before = api.get(gw.path()).etag();
        api.put(
                gw.path() + "/probes/tcp-probe",
                "{\"properties\": {\"protocol\": \"Tcp\", \"interval\": 5, "
                        + "\"timeout\": 5, \"unhealthyThreshold\": 2, \"enableProbeProxyProtocolHeader\": true}}");
        Response gateway = api.get(gw.path());
        assertThat(gateway.etag()).isNotEqualTo(before);
        assertThat(gateway.json()
                        .path("properties")
                        .path("probes")
                        .valueStream()
                        .map(v -> v.path("name").asString()))
                .contains("tcp-probe");
        assertThat(gateway.json().path("properties").path("listeners").size()).isEqualTo(1);
    }

    @Test
    void childViolationsAreReportedRelativeToTheChildBody() {
        create("child-invalid");
        Response r = api.put(
                gw.path() + "/probes/p",
                "{\"properties\": {\"protocol\": \"Tcp\", \"path\": \"/health\", " + "\"unhealthyThreshold\": 50}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()
                        .path("error")
                        .path("details")
                        .valueStream()
                        .map(d -> d.path("code").asString() + "@"
                                + d.path("target").asString()))
                .containsExactlyInAnyOrder(
                        "ProbePathNotAllowed@properties.path", "ValueOutOfRange@properties.unhealthyThreshold");
    }

    @Test
    void aChildThatOthersReferenceCannotBeDeletedAndTheReferrersAreNamed() {
        create("child-referenced");
        Response r = api.delete(gw.path() + "/backendSettingsCollection/settings");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").path("details").get(0).path("code").asString())
                .isEqualTo("ReferencedResourceNotFound");
        assertThat(r.json().path("error").path("details").get(0).path("target").asString())
                .isEqualTo("properties.routingRules[0].properties.backendSettings.id");
        assertThat(api.get(gw.path() + "/backendSettingsCollection/settings").status())
                .isEqualTo(200);
    }

    @Test
    void childEtagsGuardChildWrites() {
        create("child-etag");
        String path = gw.path() + "/probes/p";
        String body = "{\"properties\": {\"protocol\": \"Tcp\"}}";
        Response created = api.put(path, body, "If-None-Match", "*");
        assertThat(created.status()).isEqualTo(201);
        assertThat(api.put(path, body, "If-None-Match", "*").status()).isEqualTo(412);
        String changed = "{\"properties\": {\"protocol\": \"Tcp\", \"interval\": 7}}";
        assertThat(api.put(path, changed, "If-Match", "W/\"stale\"").status()).isEqualTo(412);
        assertThat(api.put(path, changed, "If-Match", created.etag()).status()).isEqualTo(200);
    }

    @Test
    void childrenOfAMissingGatewayAre404ParentResourceNotFound() {
        String path = TestGateway.path("child-nogateway") + "/probes/p";
        Response r = api.put(path, "{\"properties\": {\"protocol\": \"Tcp\"}}");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errorCode()).isEqualTo("ParentResourceNotFound");
        assertThat(api.get(path).errorCode()).isEqualTo("ParentResourceNotFound");
    }

    @Test
    void aNameInTheBodyMustMatchTheUrl() {
        create("child-name");
        Response r = api.put(gw.path() + "/probes/p", "{\"name\": \"q\", \"properties\": {\"protocol\": \"Tcp\"}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").path("details").get(0).path("code").asString())
                .isEqualTo("ResourceNameMismatch");
        assertThat(r.json().path("error").path("details").get(0).path("target").asString())
                .isEqualTo("name");
    }

    @Test
    void sixteenConcurrentPutsOfDifferentChildrenAllLand() throws Exception {
        create("child-concurrent");
        var pool = Executors.newFixedThreadPool(16);
        var results = new ArrayList<Future<Response>>();
        for (int i = 0; i < 16; i++) {
            String path = gw.path() + "/probes/p" + i;
            results.add(
                    pool.submit(() -> api.put(path, "{\"properties\": {\"protocol\": \"Tcp\", \"interval\": 60}}")));
        }
        for (var r : results) {
            assertThat(r.get().status()).isEqualTo(201);
        }
        pool.shutdown();
        assertThat(api.get(gw.path() + "/probes").json().path("value").size()).isEqualTo(16 + 1);
    }

    @Test
    void twoPutsOfTheSameChildWithTheSameIfMatchRaceAndOneGets412() throws Exception {
        create("child-race");
        String path = gw.path() + "/frontendPorts/port";
        String etag = api.get(path).etag();
        var pool = Executors.newFixedThreadPool(2);
        var a = pool.submit(
                () -> api.put(path, "{\"properties\": {\"port\": " + FreePorts.next() + "}}", "If-Match", etag));
        var b = pool.submit(
                () -> api.put(path, "{\"properties\": {\"port\": " + FreePorts.next() + "}}", "If-Match", etag));
        assertThat(List.of(a.get().status(), b.get().status())).containsExactlyInAnyOrder(200, 412);
        pool.shutdown();
    }

    @Test
    void everyCollectionIsAddressableAndCertificateSecretsStayHidden() {
        create("child-all");
        for (String collection : new String[] {
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
            assertThat(api.get(gw.path() + "/" + collection).status())
                    .as(collection)
                    .isEqualTo(200);
        }
        Response listener = api.get(gw.path() + "/listeners/listener");
        assertThat(listener.json().path("properties").path("protocol").asString())
                .isEqualTo("Tcp");
        Response moved = api.put(
                gw.path() + "/frontendPorts/port",
                "{\"properties\": {\"port\": " + FreePorts.next() + "}}",
                "If-Match",
                api.get(gw.path() + "/frontendPorts/port").etag());
        assertThat(moved.status()).isEqualTo(200);
        assertThat(api.get(gw.path())
                        .json()
                        .path("properties")
                        .path("provisioningState")
                        .asString())
                .isEqualTo("Succeeded");
    }
}
