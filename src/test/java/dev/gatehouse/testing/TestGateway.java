package dev.gatehouse.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds ApplicationGateway documents for tests: one Tcp listener routed to a pool, with ids that point
 * into the gateway. {@link #json()} gives the document as a tree the test can still change.
 */
public final class TestGateway {

    public static final String SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
    public static final String RESOURCE_GROUP = "rg-test";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String name;
    private String listenAddress = "127.0.0.1";
    private int listenPort;
    private final List<String> backends = new ArrayList<>();
    private int backendPort;
    private boolean enableL4ClientIpPreservation;
    private Integer timeout;
    private String listenerPfx;
    private String listenerPassword;
    private List<String> hostNames = List.of();
    private boolean backendTls;
    private String backendRoot;
    private String backendHostName;
    private ObjectNode probe = quietProbe();
    private Integer drainSeconds;
    private final Map<String, int[]> extraListeners = new LinkedHashMap<>();

    private TestGateway(String name) {
        this.name = name;
    }

    public static TestGateway named(String name) {
        return new TestGateway(name);
    }

    public TestGateway listen(String address, int port) {
        this.listenAddress = address;
        this.listenPort = port;
        return this;
    }

    public TestGateway backends(int port, String... addresses) {
        this.backendPort = port;
        this.backends.clear();
        this.backends.addAll(List.of(addresses));
        return this;
    }

    public TestGateway enableL4ClientIpPreservation(boolean on) {
        this.enableL4ClientIpPreservation = on;
        return this;
    }

    public TestGateway timeout(int seconds) {
        this.timeout = seconds;
        return this;
    }

    /** Terminate TLS on the listener with this PFX; SNI {@code hostNames} optional. */
    public TestGateway tlsListener(String pfxBase64, String password, String... hostNames) {
        this.listenerPfx = pfxBase64;
        this.listenerPassword = password;
        this.hostNames = List.of(hostNames);
        return this;
    }

    /**
     * Open TLS to the backends, trusting {@code rootDerBase64} (or the JDK's roots when null), with SNI
     * {@code hostName}.
     */
    public TestGateway tlsBackend(String rootDerBase64, String hostName) {
        this.backendTls = true;
        this.backendRoot = rootDerBase64;
        this.backendHostName = hostName;
        return this;
    }

    /**
     * Tests that count backend connections must not see probe connections, so by default the settings use
     * a custom probe aimed at port 1 (refused at once) with a day's interval and the highest threshold:
     * servers stay Unknown, hence routable, and the backends under test see only proxied connections.
     */
    private static ObjectNode quietProbe() {
        return JSON.createObjectNode()
                .put("protocol", "Tcp")
                .put("port", 1)
                .put("interval", 86400)
                .put("timeout", 5)
                .put("unhealthyThreshold", 20);
    }

    /** Use this probe's properties (for example {"protocol": "Tcp", "interval": 1}); null for the default probe. */
    public TestGateway probe(ObjectNode properties) {
        this.probe = properties;
        return this;
    }

    /** Backend settings' connectionDraining: open connections may finish within this many seconds. */
    public TestGateway drain(int seconds) {
        this.drainSeconds = seconds;
        return this;
    }

    /** Another Tcp listener on the same address, with its own port, pool (127.0.0.1), settings and rule. */
    public TestGateway extraListener(String name, int port, int backendPort) {
        extraListeners.put(name, new int[] {port, backendPort});
        return this;
    }

    public TestGateway withoutExtraListener(String name) {
        extraListeners.remove(name);
        return this;
    }

    public String name() {
        return name;
    }

    public String path() {
        return path(name);
    }

    public static String path(String gatewayName) {
        return "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/" + RESOURCE_GROUP
                + "/providers/Microsoft.Network/applicationGateways/" + gatewayName;
    }

    public String childId(String collection, String child) {
        return path() + "/" + collection + "/" + child;
    }

    private ObjectNode ref(String collection, String child) {
        ObjectNode ref = JSON.createObjectNode();
        ref.put("id", childId(collection, child));
        return ref;
    }

    private static ObjectNode child(String name, ObjectNode properties) {
        ObjectNode c = JSON.createObjectNode();
        c.put("name", name);
        c.set("properties", properties);
        return c;
    }

    public ObjectNode json() {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("location", "westeurope");
        ObjectNode p = doc.putObject("properties");

        ObjectNode fip = JSON.createObjectNode().put("privateIPAddress", listenAddress);
        p.putArray("frontendIPConfigurations").add(child("fip", fip));
        p.putArray("frontendPorts").add(child("port", JSON.createObjectNode().put("port", listenPort)));

        ObjectNode listener = JSON.createObjectNode().put("protocol", listenerPfx == null ? "Tcp" : "Tls");
        listener.set("frontendIPConfiguration", ref("frontendIPConfigurations", "fip"));
        listener.set("frontendPort", ref("frontendPorts", "port"));
        if (listenerPfx != null) {
            listener.set("sslCertificate", ref("sslCertificates", "listener-cert"));
            ObjectNode cert = JSON.createObjectNode().put("data", listenerPfx).put("password", listenerPassword);
            p.putArray("sslCertificates").add(child("listener-cert", cert));
            if (!hostNames.isEmpty()) {
                ArrayNode names = listener.putArray("hostNames");
                hostNames.forEach(names::add);
            }
        }
        p.putArray("listeners").add(child("listener", listener));

        ObjectNode pool = JSON.createObjectNode();
        ArrayNode addresses = pool.putArray("backendAddresses");
        backends.forEach(b -> addresses.add(JSON.createObjectNode().put("ipAddress", b)));
        p.putArray("backendAddressPools").add(child("pool", pool));

        ObjectNode settings = JSON.createObjectNode()
                .put("protocol", backendTls ? "Tls" : "Tcp")
                .put("port", backendPort)
                .put("enableL4ClientIpPreservation", enableL4ClientIpPreservation);
        if (backendHostName != null) {
            settings.put("hostName", backendHostName);
        }
        if (probe != null) {
            ObjectNode probeProperties = probe.deepCopy();
            if (backendTls && "Tcp".equals(probeProperties.path("protocol").asString())) {
                probeProperties.put("protocol", "Tls");
            }
            p.putArray("probes").add(child("probe", probeProperties));
            settings.set("probe", ref("probes", "probe"));
        }
        if (backendRoot != null) {
            p.putArray("trustedRootCertificates")
                    .add(child("backend-root", JSON.createObjectNode().put("data", backendRoot)));
            settings.putArray("trustedRootCertificates").add(ref("trustedRootCertificates", "backend-root"));
        }
        if (timeout != null) {
            settings.put("timeout", timeout);
        }
        p.putArray("backendSettingsCollection").add(child("settings", settings));

        if (drainSeconds != null) {
            settings.putObject("connectionDraining").put("enabled", true).put("drainTimeoutInSec", drainSeconds);
        }
        ObjectNode rule = JSON.createObjectNode().put("ruleType", "Basic").put("priority", 100);
        rule.set("listener", ref("listeners", "listener"));
        rule.set("backendAddressPool", ref("backendAddressPools", "pool"));
        rule.set("backendSettings", ref("backendSettingsCollection", "settings"));
        p.putArray("routingRules").add(child("rule", rule));
        int priority = 200;
        for (var extra : extraListeners.entrySet()) {
            String n = extra.getKey();
            ((ArrayNode) p.path("frontendPorts"))
                    .add(child(n + "-port", JSON.createObjectNode().put("port", extra.getValue()[0])));
            ObjectNode l = JSON.createObjectNode().put("protocol", "Tcp");
            l.set("frontendIPConfiguration", ref("frontendIPConfigurations", "fip"));
            l.set("frontendPort", ref("frontendPorts", n + "-port"));
            ((ArrayNode) p.path("listeners")).add(child(n, l));
            ObjectNode extraPool = JSON.createObjectNode();
            extraPool.putArray("backendAddresses").add(JSON.createObjectNode().put("ipAddress", "127.0.0.1"));
            ((ArrayNode) p.path("backendAddressPools")).add(child(n + "-pool", extraPool));
            ObjectNode s = JSON.createObjectNode().put("protocol", "Tcp").put("port", extra.getValue()[1]);
            if (probe != null) {
                s.set("probe", ref("probes", "probe"));
            }
            ((ArrayNode) p.path("backendSettingsCollection")).add(child(n + "-settings", s));
            ObjectNode r = JSON.createObjectNode().put("ruleType", "Basic").put("priority", priority++);
            r.set("listener", ref("listeners", n));
            r.set("backendAddressPool", ref("backendAddressPools", n + "-pool"));
            r.set("backendSettings", ref("backendSettingsCollection", n + "-settings"));
            ((ArrayNode) p.path("routingRules")).add(child(n + "-rule", r));
        }
        return doc;
    }

    public static String text(JsonNode node) {
        return JSON.writeValueAsString(node);
    }
}
