package dev.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatehouse.cli.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server's JVM options (docs/operations.md, "Memory") are the same in every way Gatehouse ships it:
 * bin/gatehouse, ./mvnw spring-boot:run (pom.xml) and the Docker image; the Kubernetes Deployment's fit its memory
 * limit; and bin/gatehouse gives them to exactly the arguments the jar runs as the server.
 */
class ServerJvmOptionsTests {

    private static final Pattern SCRIPT = Pattern.compile("(?m)^server_opts=\"([^\"]*)\"$");
    private static final Pattern POM =
            Pattern.compile("<spring-boot\\.run\\.jvmArguments>([^<]*)</spring-boot\\.run\\.jvmArguments>");
    private static final Pattern IMAGE = Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]*)\"");
    private static final Pattern DEPLOYMENT =
            Pattern.compile("name: JAVA_TOOL_OPTIONS\\s+value: \"([^\"]*)\"[\\s\\S]*limits:\\s+memory: (\\d+)Gi");
    /** Glibc's freed memory returned to the OS every second: an option of JDK 17.0.9+, 21.0.1+ and 22+ only. */
    private static final String TRIM = "-XX:TrimNativeHeapInterval=1000";
    /** The resident memory that is not heap nor Netty's buffers, measured with one gateway (about 260 MB). */
    private static final long NOT_HEAP_MB = 260;

    @TempDir
    Path fakeJavaDir;

    private static Matcher find(Pattern pattern, String file) throws IOException {
        Matcher m = pattern.matcher(Files.readString(Path.of(file)));
        assertThat(m.find()).as("%s in %s", pattern, file).isTrue();
        return m;
    }

    private static String serverOptions() throws IOException {
        return find(SCRIPT, "bin/gatehouse").group(1);
    }

    private static long megabytes(String options, String flag) {
        Matcher m = Pattern.compile(Pattern.quote(flag) + "(\\d+)([mg])").matcher(options);
        assertThat(m.find()).as("%s in %s", flag, options).isTrue();
        return Long.parseLong(m.group(1)) * (m.group(2).equals("g") ? 1024 : 1);
    }

    @Test
    void springBootRunAndTheImageRunTheServerWithBinGatehousesOptions() throws IOException {
        String server = serverOptions();
        assertThat(server)
                .contains("-Xmx", "-XX:MaxDirectMemorySize=", "-XX:CompileThresholdScaling=", TRIM)
                .doesNotContain("TieredStopAtLevel");
        assertThat(find(POM, "pom.xml").group(1)).isEqualTo(server);
        assertThat(find(IMAGE, "Dockerfile").group(1)).isEqualTo(server + " -XX:+ExitOnOutOfMemoryError");
    }

    @Test
    void theDeploymentsHeapAndBuffersLeaveRoomUnderItsMemoryLimit() throws IOException {
        Matcher m = find(DEPLOYMENT, "deploy/k8s/deployment.yaml");
        String options = m.group(1);
        long limitMb = Long.parseLong(m.group(2)) * 1024;
        long worstCase = megabytes(options, "-Xmx") + megabytes(options, "-XX:MaxDirectMemorySize=") + NOT_HEAP_MB;
        assertThat(worstCase).as(options).isLessThanOrEqualTo(limitMb * 9 / 10);
        assertThat(options).doesNotContain("RAMPercentage").contains(TRIM, "-XX:CompileThresholdScaling=");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "--server.port=9090",
                "--server.port=9090 --spring.profiles.active=x",
                "--help",
                "--version",
                "-h",
                "-V",
                "version",
                "apply -f gateway.json --wait"
            })
    void binGatehouseGivesTheServerOptionsToWhatTheJarRunsAsTheServer(String line) throws Exception {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");
        String ran = runBinGatehouse(args, "17.0.15", false);

        String expected = Cli.isCommand(args) ? "-XX:TieredStopAtLevel=1 -Xshare:auto" : serverOptions();
        assertThat(ran).isEqualTo((expected + " -Dlast=1 -jar gatehouse.jar " + line).strip());
    }

    @ParameterizedTest
    @CsvSource({
        "17.0.8, false",
        "17.0.9, true",
        "17, false",
        "18.0.2, false",
        "21, false",
        "21.0.1, true",
        "25.0.1, true"
    })
    void theNativeHeapIsTrimmedOnEveryJdkThatHasTheOptionAndOnlyThere(String version, boolean trims) throws Exception {
        String ran = runBinGatehouse(new String[] {"--server.port=9090"}, version, false);

        String expected = trims ? serverOptions() : serverOptions().replace(" " + TRIM, "");
        assertThat(ran).isEqualTo(expected + " -Dlast=1 -jar gatehouse.jar --server.port=9090");
    }

    @Test
    void javaHomesJavaComesBeforeTheOneOnThePath() throws Exception {
        String ran = runBinGatehouse(new String[] {"--server.port=9090"}, "17.0.15", true);

        assertThat(ran).startsWith("java-home: ").endsWith("-jar gatehouse.jar --server.port=9090");
    }

    @Test
    void everyJdkBuildAndSetOfJvmOptionsGetsAnArchiveOfItsOwnRecordedOnItsSecondStart() throws Exception {
        Path cache = fakeJavaDir.resolve("cache");

        String first = recordedOnSecondStart(cache, "17.0.15", "-Xmx300m");
        String again = runWithArchive(cache, "17.0.15", "-Xmx300m");
        String other = recordedOnSecondStart(cache, "17.0.15", "-XX:+UseParallelGC");
        String update = recordedOnSecondStart(cache, "17.0.16", "-Xmx300m");

        assertThat(again).contains("-XX:SharedArchiveFile=" + first + "/gatehouse.jsa");
        assertThat(List.of(first, other, update)).doesNotHaveDuplicates();
    }

    @Test
    void aNewCacheDirectoryRemovesTheJarsOtherCachesUnusedForAWeekAndNothingElse() throws Exception {
        // Linux's /proc tells which directories a running process names; elsewhere only the week protects them.
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "no /proc: the running-process check cannot be tested");
        Path cache = Files.createDirectories(fakeJavaDir.resolve("cache"));
        Path stale = cacheDirectory(cache, "gatehouse-1-2-jdk17-3", Duration.ofDays(8), null);
        Path staleWithoutMarker = cacheDirectory(cache, "gatehouse-4-5-jdk21-6", null, Duration.ofDays(8));
        Path recent = cacheDirectory(cache, "gatehouse-7-8-jdk17-9", Duration.ofDays(6), Duration.ofDays(30));
        Path otherJar = cacheDirectory(cache, "other-1-2-jdk17-3", Duration.ofDays(30), Duration.ofDays(30));
        Path unrelated = cacheDirectory(cache, "gatehouse-1-2-jdk17-3-notes", Duration.ofDays(30), Duration.ofDays(30));
        Path oldElsewhere =
                cacheDirectory(fakeJavaDir, "elsewhere-1-2-jdk17-3", Duration.ofDays(30), Duration.ofDays(30));
        Path link = Files.createSymbolicLink(cache.resolve("gatehouse-10-11-jdk17-12"), oldElsewhere);
        Path interrupted = cacheDirectory(cache, "gatehouse-16-17-jdk17-18.pruned.4242", null, Duration.ofDays(1));
        Path running = cacheDirectory(cache, "gatehouse-13-14-jdk17-15", Duration.ofDays(30), Duration.ofDays(30));
        // A process whose command line names the directory, as the java of a server started from it does.
        Process user = new ProcessBuilder("sh", "-c", "sleep 60; :", "server", running + "/app/gatehouse.jar").start();
        try {
            runWithArchive(cache, "17.0.15", "-Xmx300m");
        } finally {
            user.destroy();
            user.waitFor(10, TimeUnit.SECONDS);
        }

        try (var left = Files.list(cache)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .contains(
                            recent.getFileName().toString(),
                            otherJar.getFileName().toString(),
                            unrelated.getFileName().toString(),
                            link.getFileName().toString(),
                            running.getFileName().toString())
                    .doesNotContain(
                            stale.getFileName().toString(),
                            staleWithoutMarker.getFileName().toString(),
                            interrupted.getFileName().toString())
                    .hasSize(6); // and the new one
        }
        assertThat(oldElsewhere.resolve("started")).exists();
        assertThat(running.resolve("app/gatehouse.jar")).exists();
    }

    @Test
    void everyStartMarksItsCacheUsedAndOnlyANewCacheDirectoryPrunes() throws Exception {
        Path cache = fakeJavaDir.resolve("cache");
        String current = recordedOnSecondStart(cache, "17.0.15", "-Xmx300m");
        Path marker = Path.of(current, "started");
        Files.setLastModifiedTime(marker, FileTime.from(Instant.now().minus(Duration.ofDays(30))));
        Path stale = cacheDirectory(cache, "gatehouse-1-2-jdk17-3", Duration.ofDays(8), null);

        runWithArchive(cache, "17.0.15", "-Xmx300m");

        assertThat(Files.getLastModifiedTime(marker).toInstant())
                .isAfter(Instant.now().minus(Duration.ofHours(1)));
        assertThat(stale).as("an existing cache directory prunes nothing").exists();
        String next = recordedOnSecondStart(cache, "17.0.15", "-Xmx301m");
        assertThat(stale).doesNotExist();
        assertThat(Path.of(current, "app/gatehouse.jar")).exists();
        assertThat(Path.of(next, "app/gatehouse.jar")).exists();
    }

    /**
     * A cache directory {@code name} in {@code root} as bin/gatehouse makes it (app/ and, unless {@code markerAge} is
     * null, the started marker last touched that long ago), the directory itself last modified {@code age} ago.
     */
    private static Path cacheDirectory(Path root, String name, Duration markerAge, Duration age) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name).resolve("app")).getParent();
        Files.writeString(dir.resolve("app/gatehouse.jar"), "extracted");
        if (markerAge != null) {
            Path marker = Files.writeString(dir.resolve("started"), "");
            Files.setLastModifiedTime(marker, FileTime.from(Instant.now().minus(markerAge)));
        }
        if (age != null) {
            Files.setLastModifiedTime(dir, FileTime.from(Instant.now().minus(age)));
        }
        return dir;
    }

    /** The directory of the archive the second start records, after a first start that records none. */
    private String recordedOnSecondStart(Path cache, String version, String javaOptions) throws Exception {
        assertThat(runWithArchive(cache, version, javaOptions)).doesNotContain("Archive");
        Matcher recorded = Pattern.compile("-XX:ArchiveClassesAtExit=(\\S+)/gatehouse\\.jsa")
                .matcher(runWithArchive(cache, version, javaOptions));
        assertThat(recorded.find()).isTrue();
        return recorded.group(1);
    }

    /**
     * bin/gatehouse with its class-data archive in {@code cache}, on a fake JDK of {@code version} whose java extracts
     * the jar into the directory it is given and writes the archive it is asked to record, as the JDK does at exit.
     */
    private String runWithArchive(Path cache, String version, String javaOptions) throws Exception {
        Path jdk = fakeJdk("archiving-jdk-" + version, version, """
                #!/bin/sh
                next=
                for a in "$@"; do
                  case "$a" in
                    --destination) next=destination ;;
                    -XX:ArchiveClassesAtExit=*) : > "${a#*=}" ;;
                    *) if [ "$next" = destination ]; then mkdir -p "$a" && : > "$a/gatehouse.jar"; next=; fi ;;
                  esac
                done
                echo "$*"
                """);
        Path jar = fakeJavaDir.resolve("gatehouse.jar");
        if (!Files.exists(jar)) {
            Files.writeString(jar, "not a jar");
        }
        Map<String, String> environment = new HashMap<>();
        environment.put("JAVA_HOME", jdk.toString());
        environment.put("GATEHOUSE_JAR", jar.toString());
        environment.put("GATEHOUSE_CACHE_DIR", cache.toString());
        environment.put("GATEHOUSE_JAVA_OPTS", javaOptions);
        environment.put("JAVA_TOOL_OPTIONS", null);
        environment.put("JDK_JAVA_OPTIONS", null);
        environment.put("GATEHOUSE_CDS", null);
        return run(List.of("--server.port=9090"), environment);
    }

    /**
     * What bin/gatehouse runs: a fake JDK of {@code version} (a java that prints its arguments, and the JDK's release
     * file) on the PATH, or in JAVA_HOME with another fake java, which prints "path: " first, on the PATH.
     */
    private String runBinGatehouse(String[] args, String version, boolean javaHome) throws Exception {
        Path jdk = fakeJdk("jdk-" + version, version, printsItsArguments(javaHome ? "java-home: " : ""));
        Path elsewhere = Files.createDirectories(fakeJavaDir.resolve("elsewhere/bin"));
        executable(elsewhere.resolve("java"), printsItsArguments("path: "));
        Map<String, String> environment = new HashMap<>();
        environment.put("PATH", (javaHome ? elsewhere : jdk.resolve("bin")) + ":" + System.getenv("PATH"));
        environment.put("JAVA_HOME", javaHome ? jdk.toString() : null);
        environment.put("GATEHOUSE_JAR", "gatehouse.jar");
        environment.put("GATEHOUSE_JAVA_OPTS", "-Dlast=1");
        environment.put("GATEHOUSE_CDS", "0");
        return run(List.of(args), environment);
    }

    /** A JDK directory named {@code name}: its release file says {@code version}, its bin/java is {@code java}. */
    private Path fakeJdk(String name, String version, String java) throws IOException {
        Path jdk = Files.createDirectories(fakeJavaDir.resolve(name + "/bin")).getParent();
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        executable(jdk.resolve("bin/java"), java);
        return jdk;
    }

    private static String printsItsArguments(String prefix) {
        return "#!/bin/sh\necho \"" + prefix + "$*\"\n";
    }

    private static void executable(Path file, String script) throws IOException {
        Files.writeString(file, script);
        assertThat(file.toFile().setExecutable(true)).isTrue();
    }

    /** bin/gatehouse's output with {@code args}, the environment changed by {@code environment} (null: removed). */
    private static String run(List<String> args, Map<String, String> environment) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", "bin/gatehouse"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        Process p = builder.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }
}
