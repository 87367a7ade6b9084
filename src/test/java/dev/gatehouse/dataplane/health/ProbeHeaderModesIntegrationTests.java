package dev.gatehouse.dataplane.health;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.ApiIntegrationTest;
import dev.gatehouse.testing.CaptureBackend;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.RealReceivers;
import dev.gatehouse.testing.RealReceivers.RealReceiver;
import dev.gatehouse.testing.TestGateway;
import io.netty.buffer.ByteBufUtil;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The PROXY header each probe mode sends, byte for byte ({@code gatehouseProxyProtocolHeader}: None, V1, V2Local;
 * the default probe of v2 backend settings: V2Local), and HAProxy's {@code accept-proxy} taking a v2 LOCAL probe
 * as a healthy server.
 */
class ProbeHeaderModesIntegrationTests extends ApiIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String V2_LOCAL = "0d0a0d0a000d0a515549540a" + "20" + "00" + "0000";

    private static ObjectNode probe(String header) {
        return JSON.createObjectNode()
                .put("protocol", "Tcp")
                .put("interval", 1)
                .put("timeout", 2)
                .put("unhealthyThreshold", 2)
                .put("gatehouseProxyProtocolHeader", header);
    }

    private void apply(TestGateway gw, boolean v2) {
        deleteAfterwards(gw); // its probes run every second
        ObjectNode doc = gw.json();
        if (v2) {
            ((ObjectNode) doc.path("properties")
                            .path("backendSettingsCollection")
                            .get(0)
                            .path("properties"))
                    .putObject("gatehouseProxyProtocol")
                    .put("version", "V2");
        }
        var r = api.put(gw.path(), doc);
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
    }

    private byte[] firstProbe(String name, ObjectNode probe, boolean v2) throws Exception {
        try (CaptureBackend backend = CaptureBackend.start("127.0.0.1")) {
            TestGateway gw = TestGateway.named(name)
                    .listen("127.0.0.1", FreePorts.next())
                    .backends(backend.port(), "127.0.0.1")
                    .enableL4ClientIpPreservation(true)
                    .probe(probe);
            apply(gw, v2);
            return CaptureBackend.readToEnd(backend.accept());
        }
    }

    @Test
    void v2LocalSendsTheSixteenBytesOfAV2LocalHeader() throws Exception {
        assertThat(ByteBufUtil.hexDump(firstProbe("probe-mode-v2local", probe("V2Local"), false)))
                .isEqualTo(V2_LOCAL);
    }

    @Test
    void v1SendsProxyUnknownEvenToV2Settings() throws Exception {
        assertThat(new String(firstProbe("probe-mode-v1", probe("V1"), true), US_ASCII))
                .isEqualTo("PROXY UNKNOWN\r\n");
    }

    @Test
    void noneSendsNothingEvenToSettingsThatPreserveTheClientIp() throws Exception {
        assertThat(firstProbe("probe-mode-none", probe("None"), true)).isEmpty();
    }

    @Test
    void theDefaultProbeOfV2SettingsSendsV2Local() throws Exception {
        assertThat(ByteBufUtil.hexDump(firstProbe("probe-mode-default-v2", null, true)))
                .isEqualTo(V2_LOCAL);
    }

    @Test
    void haproxyAcceptsAV2LocalProbe() throws Exception {
        RealReceivers.assumeAvailable("haproxy");
        RealReceiver haproxy = RealReceivers.startHaproxy("127.0.0.1");
        try (haproxy) {
            TestGateway gw = TestGateway.named("probe-mode-haproxy")
                    .listen("127.0.0.1", FreePorts.next())
                    .backends(haproxy.port(), "127.0.0.1")
                    .enableL4ClientIpPreservation(true)
                    .probe(probe("V2Local"));
            apply(gw, true);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(health(gw)).isEqualTo("Healthy"));
        }
        assertThat(haproxy.log()).doesNotContain("invalid PROXY").doesNotContain("does not look like a PROXY");
    }

    private String health(TestGateway gw) {
        var r = api.post(gw.path() + "/backendhealth", "");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode server = r.json()
                .path("backendAddressPools")
                .get(0)
                .path("backendHttpSettingsCollection")
                .get(0)
                .path("servers")
                .get(0);
        return server.path("health").asString();
    }
}
