package dev.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests in deploy/k8s parse and fit together: what the Deployment refers to exists,
 * probes hit the Actuator groups the application serves, replicas spread over nodes and zones, Services select the
 * pods and name their ports, and the grace period leaves time for the drain.
 */
class DeploymentManifestsTests {

    private static final Path DIR = Path.of("deploy", "k8s");
    private static final List<Map<String, Object>> DOCS = new ArrayList<>();

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void parse() throws IOException {
        try (var files = Files.list(DIR)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (Reader r = Files.newBufferedReader(file)) {
                    for (Object doc : new Yaml().loadAll(r)) {
                        if (doc != null) {
                            DOCS.add((Map<String, Object>) doc);
                        }
                    }
                }
            }
        }
    }

    private static Map<String, Object> only(String kind) {
        List<Map<String, Object>> found =
                DOCS.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    private static List<Map<String, Object>> all(String kind) {
        return DOCS.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, String... path) {
        Object n = node;
        for (String p : path) {
            assertThat(n).as("parent of " + p).isInstanceOf(Map.class);
            n = ((Map<String, Object>) n).get(p);
        }
        return (T) n;
    }

    private static Map<String, Object> container() {
        List<Map<String, Object>> containers = at(only("Deployment"), "spec", "template", "spec", "containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    /**
     * The image's build stage copies every directory the build reads besides src: a missing one (the committed
     * OpenAPI document) would build an image whose application does not start.
     */
    @Test
    void theImageBuildCopiesEveryDirectoryThePomReads() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        Matcher m = Pattern.compile("<directory>\\$\\{project\\.basedir\\}/([^<]+)</directory>")
                .matcher(pom);
        List<String> dirs = new ArrayList<>();
        while (m.find()) {
            dirs.add(m.group(1));
        }
        assertThat(dirs).contains("openapi");
        for (String dir : dirs) {
            assertThat(dockerfile)
                    .as("Dockerfile copies " + dir)
                    .containsPattern("(?m)^COPY " + Pattern.quote(dir) + " ");
        }
    }

    /**
     * The image starts from the AOT cache its build records: the training script writes the cache where the entry point
     * reads it, from the jar the entry point starts, before the image drops root (so it can write there) and after the
     * JVM options every start gets (a cache made with others is ignored), on a JDK that has AOT caches (25 and later),
     * from plain jars (the JVM cannot cache classes that Spring Boot's launcher loads). What the script records is
     * {@code ImageAotTrainingIntegrationTests}'s to check.
     */
    @Test
    void theImageStartsFromTheAotCacheItsBuildRecords() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        Matcher entry = Pattern.compile(
                        "(?m)^ENTRYPOINT \\[\"java\", \"-XX:AOTCache=(\\S+)\", \"-jar\", \"(\\S+)\"\\]$")
                .matcher(dockerfile);
        assertThat(entry.find())
                .as("the entry point maps a cache and starts a jar")
                .isTrue();
        Matcher training = Pattern.compile(
                        "(?m)^RUN --mount=type=bind,source=(\\S+),target=(\\S+) \\\\\n\\s+bash (\\S+) (\\S+) (\\S+)")
                .matcher(dockerfile);
        assertThat(training.find())
                .as("a RUN step runs the training script on a bind mount")
                .isTrue();
        assertThat(Path.of(training.group(1))).as("the training script").isRegularFile();
        assertThat(training.group(3)).isEqualTo(training.group(2));
        assertThat(training.group(4)).as("trained on the jar that starts").isEqualTo(entry.group(2));
        assertThat(training.group(5))
                .as("the cache is written where it is read")
                .isEqualTo(entry.group(1));
        assertThat(dockerfile).doesNotContain("--launcher", "JarLauncher");
        assertThat(training.start()).isLessThan(dockerfile.indexOf("\nUSER "));
        assertThat(dockerfile.indexOf("ENV JAVA_TOOL_OPTIONS=")).isLessThan(training.start());
        Matcher runtime =
                Pattern.compile("(?m)^FROM eclipse-temurin:(\\d+)-jre$").matcher(dockerfile);
        assertThat(runtime.find()).isTrue();
        assertThat(Integer.parseInt(runtime.group(1))).isGreaterThanOrEqualTo(25);
    }

    @Test
    void everyManifestHasAnApiVersionKindAndName() {
        assertThat(DOCS).hasSizeGreaterThanOrEqualTo(5);
        for (Map<String, Object> d : DOCS) {
            assertThat(d.get("apiVersion")).as(d.toString()).isNotNull();
            assertThat(d.get("kind")).as(d.toString()).isNotNull();
            assertThat((String) at(d, "metadata", "name")).as(d.toString()).isNotBlank();
        }
    }

    @Test
    void theDeploymentRunsTwoReplicasWithProbesOnTheActuatorGroups() {
        Map<String, Object> deployment = only("Deployment");
        assertThat((Integer) at(deployment, "spec", "replicas")).isEqualTo(2);
        Map<String, Object> selector = at(deployment, "spec", "selector", "matchLabels");
        Map<String, Object> labels = at(deployment, "spec", "template", "metadata", "labels");
        assertThat(labels).containsAllEntriesOf(selector);

        Map<String, Object> c = container();
        assertThat((String) at(c, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat((String) at(c, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
        assertThat((String) at(c, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        Set<String> portNames = ports(c).keySet();
        assertThat(portNames).contains((String) at(c, "readinessProbe", "httpGet", "port"));
    }

    @Test
    void theReplicasSpreadOverNodesAndZonesBySelectingTheirOwnPods() {
        Map<String, Object> deployment = only("Deployment");
        Map<String, Object> labels = at(deployment, "spec", "template", "metadata", "labels");
        List<Map<String, Object>> spread = at(deployment, "spec", "template", "spec", "topologySpreadConstraints");

        assertThat(spread)
                .extracting(c -> c.get("topologyKey"))
                .containsExactlyInAnyOrder("kubernetes.io/hostname", "topology.kubernetes.io/zone");
        for (Map<String, Object> constraint : spread) {
            assertThat((Integer) constraint.get("maxSkew")).isEqualTo(1);
            // ScheduleAnyway: a cluster with one node or one zone still runs every replica.
            assertThat(constraint.get("whenUnsatisfiable")).isEqualTo("ScheduleAnyway");
            Map<String, Object> selects = at(constraint, "labelSelector", "matchLabels");
            assertThat(labels).containsAllEntriesOf(selects);
        }
    }

    @Test
    void theProbesPathsAreTheOnesTheApplicationEnables() throws IOException {
        String config = Files.readString(Path.of("src", "main", "resources", "application.yml"));
        assertThat(config).contains("probes:\n        enabled: true").contains("readiness:");
    }

    @Test
    void theDatabaseComesFromTheSecretAndEveryKeyItReadsExists() {
        Map<String, Object> secret = only("Secret");
        Map<String, Object> data = at(secret, "stringData");
        List<Map<String, Object>> env = at(container(), "env");
        List<String> fromSecret = new ArrayList<>();
        for (Map<String, Object> e : env) {
            if (e.get("valueFrom") == null) {
                continue;
            }
            Map<String, Object> ref = at(e, "valueFrom", "secretKeyRef");
            assertThat(ref.get("name")).isEqualTo(at(secret, "metadata", "name"));
            assertThat(data).containsKey((String) ref.get("key"));
            fromSecret.add((String) e.get("name"));
        }
        assertThat(fromSecret)
                .containsExactlyInAnyOrder(
                        "SPRING_DATASOURCE_URL",
                        "SPRING_DATASOURCE_USERNAME",
                        "SPRING_DATASOURCE_PASSWORD",
                        "GATEHOUSE_SECURITY_APIKEYS_0_HASH",
                        "GATEHOUSE_SECURITY_ENCRYPTIONKEY");
        assertThat((String) data.get("api-key-hash")).matches("sha256:[0-9a-f]{64}");
        assertThat((String) data.get("url")).startsWith("jdbc:postgresql://");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theConfigMapIsMountedWhereTheArgumentsLookAndItsApiPortIsTheContainersPort() {
        Map<String, Object> configMap = only("ConfigMap");
        Map<String, Object> settings = new Yaml().load((String) at(configMap, "data", "application.yml"));
        int apiPort = (Integer) at(settings, "server", "port");
        assertThat(ports(container()).get("api")).isEqualTo(apiPort);

        List<Map<String, Object>> volumes = at(only("Deployment"), "spec", "template", "spec", "volumes");
        String volume = volumes.stream()
                .filter(v -> v.get("configMap") != null
                        && configMap.get("metadata") instanceof Map<?, ?> m
                        && m.get("name").equals(((Map<String, Object>) v.get("configMap")).get("name")))
                .map(v -> (String) v.get("name"))
                .findFirst()
                .orElseThrow();
        List<Map<String, Object>> mounts = at(container(), "volumeMounts");
        String mountPath = mounts.stream()
                .filter(m -> volume.equals(m.get("name")))
                .map(m -> (String) m.get("mountPath"))
                .findFirst()
                .orElseThrow();
        List<String> args = at(container(), "args");
        // The directory Spring Boot reads the ConfigMap's application.yml from, and EarlyEnvironment follows.
        assertThat(args).contains("--spring.config.additional-location=optional:file:" + mountPath + "/");
        assertThat(((Map<String, Object>) configMap.get("data")).keySet()).containsExactly("application.yml");
    }

    /**
     * A pod reads the ConfigMap before Boot's Environment (EarlyEnvironment) as Boot then does: the same settings of
     * what it serves, so it never serves the applied copies twice (RestoreOnStart).
     */
    @Test
    @SuppressWarnings("unchecked")
    void aPodReadsTheConfigMapBeforeBootsEnvironmentAsBootThenDoes(@TempDir Path mount) throws IOException {
        Files.writeString(mount.resolve("application.yml"), (String) at(only("ConfigMap"), "data", "application.yml"));
        List<Map<String, Object>> mounts = at(container(), "volumeMounts");
        String mountPath = (String) mounts.stream()
                .filter(m -> "config".equals(m.get("name")))
                .findFirst()
                .orElseThrow()
                .get("mountPath");
        String[] args = ((List<String>) at(container(), "args"))
                .stream()
                        .map(a -> a.replace("file:" + mountPath + "/", "file:" + mount.toAbsolutePath() + "/"))
                        .toArray(String[]::new);
        Map<String, String> env = new HashMap<>();
        env.put("HOSTNAME", "gatehouse-5d8c7b9f4-x2k9q");
        // The image's own (Dockerfile ENV), under the Deployment's.
        env.put("GATEHOUSE_RESTORE_DIRECTORY", "/data/last-applied");
        for (Map<String, Object> variable : (List<Map<String, Object>>) at(container(), "env")) {
            // Secrets' values do not matter here, only that they are the same both ways.
            env.put(
                    (String) variable.get("name"),
                    variable.get("value") != null ? (String) variable.get("value") : "s3cret");
        }

        EarlyEnvironment early = EarlyEnvironmentTests.early(args, new Properties(), env);

        assertThat(early.gaveUp()).isNull();
        RestoreInputs inputs = RestoreInputs.bind(early.binder());
        assertThat(inputs).isEqualTo(EarlyEnvironmentTests.boot(args, new Properties(), env));
        // As the ConfigMap says: each pod has its own network namespace (docs/operations.md).
        assertThat(inputs.dataPlane().reusePort()).isFalse();
        assertThat(inputs.dataPlane().drainTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(inputs.encryptionKey()).isEqualTo("s3cret");
        assertThat(inputs.restore().directory())
                .isEqualTo(mounts.stream()
                        .filter(m -> "last-applied".equals(m.get("name")))
                        .findFirst()
                        .orElseThrow()
                        .get("mountPath"));
    }

    @Test
    void anApiServedBeyondLoopbackHasAnApiKeyWithARole() {
        Map<String, Object> settings = new Yaml().load((String) at(only("ConfigMap"), "data", "application.yml"));
        assertThat((String) at(settings, "server", "address")).isEqualTo("0.0.0.0");
        List<Map<String, Object>> env = at(container(), "env");
        Map<String, Map<String, Object>> byName =
                env.stream().collect(Collectors.toMap(e -> (String) e.get("name"), e -> e));
        assertThat(byName).containsKeys("GATEHOUSE_SECURITY_APIKEYS_0_NAME", "GATEHOUSE_SECURITY_APIKEYS_0_HASH");
        assertThat(byName.get("GATEHOUSE_SECURITY_APIKEYS_0_ROLE").get("value")).isIn("Reader", "Contributor");
    }

    @Test
    void theGracePeriodOutlastsTheDrainTimeout() {
        Map<String, Object> settings = new Yaml().load((String) at(only("ConfigMap"), "data", "application.yml"));
        Duration drain =
                Duration.parse("PT" + ((String) at(settings, "gatehouse", "dataplane", "drain-timeout")).toUpperCase());
        int grace = at(only("Deployment"), "spec", "template", "spec", "terminationGracePeriodSeconds");
        int preStop = at(container(), "lifecycle", "preStop", "sleep", "seconds");
        assertThat(Duration.ofSeconds(grace)).isGreaterThan(drain.plusSeconds(preStop));
    }

    @Test
    void servicesSelectThePodsAndTargetNamedContainerPorts() {
        Map<String, Object> labels = at(only("Deployment"), "spec", "template", "metadata", "labels");
        Map<String, Integer> containerPorts = ports(container());
        List<Map<String, Object>> services = all("Service");
        assertThat(services).hasSize(2);
        for (Map<String, Object> s : services) {
            assertThat(labels).containsAllEntriesOf(at(s, "spec", "selector"));
            List<Map<String, Object>> ports = at(s, "spec", "ports");
            for (Map<String, Object> p : ports) {
                assertThat(containerPorts).containsKey((String) p.get("targetPort"));
            }
        }
        Map<String, Object> listeners = services.stream()
                .filter(s -> "LoadBalancer".equals(at(s, "spec", "type")))
                .findFirst()
                .orElseThrow();
        assertThat((String) at(listeners, "spec", "externalTrafficPolicy"))
                .as("client addresses must reach the PROXY header")
                .isEqualTo("Local");
    }

    private static Map<String, Integer> ports(Map<String, Object> container) {
        List<Map<String, Object>> ports = at(container, "ports");
        return ports.stream()
                .collect(Collectors.toMap(p -> (String) p.get("name"), p -> (Integer) p.get("containerPort")));
    }
}
