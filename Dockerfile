# syntax=docker/dockerfile:1
# Build: docker build -t gatehouse:0.1.0 .
# Run:   docker run --network host -v gatehouse-data:/data gatehouse:0.1.0
#        (the same image is the CLI: docker run --network host gatehouse:0.1.0 get -s ... -g ... -n ...)
# Listeners bind inside the container: use host networking, or publish each listener port (-p). Publishing the API
# port needs API keys and --server.address=0.0.0.0: without keys the API binds 127.0.0.1 (docs/operations.md).
# Kubernetes: deploy/k8s (runs as the same non-root uid 10001).

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY src src
# The committed OpenAPI document, which the jar serves as it is (pom.xml copies it onto the class path).
COPY openapi openapi
# No tests and no generated test client in the image build: CI runs those (.ci/run).
RUN ./mvnw -B -q package -Dmaven.test.skip=true -Dcodegen.skip=true && cp target/gatehouse-*.jar /gatehouse.jar
# Spring Boot's layers (dependencies apart from application classes), so a code change rebuilds one small layer;
# extracted as plain jars (gatehouse.jar and lib/), which the JVM can put in an AOT cache, not behind Boot's launcher.
RUN java -Djarmode=tools -jar /gatehouse.jar extract --layers --destination /layers

# Debian-based JRE, not Alpine: netty-tcnative's BoringSSL (OpenSSL for TLS) is built against glibc. JDK 25 runs the
# release-17 jar with an AOT cache (JEP 483/514/515; docs/operations.md, "Docker").
FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 gatehouse \
    && useradd --system --uid 10001 --gid gatehouse --home-dir /data gatehouse \
    && mkdir -p /data && chown gatehouse:gatehouse /data
WORKDIR /opt/gatehouse
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# Overridable like any Spring property: -e SPRING_DATASOURCE_URL=jdbc:postgresql://... or a --spring.* argument.
# The JVM options: bin/gatehouse's for the server (a bounded, growing heap; docs/operations.md, "Memory"), not a
# percentage of the container's limit: about 260 MB of the process is not heap, so a percentage either wastes a large
# limit or overruns a small one. With a memory limit, set them from the sizing table there (-e JAVA_TOOL_OPTIONS=...).
ENV JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xms32m -Xmx256m -XX:MaxDirectMemorySize=128m -XX:CompileThresholdScaling=5 -XX:TrimNativeHeapInterval=1000 -XX:+ExitOnOutOfMemoryError" \
    SPRING_DATASOURCE_URL="jdbc:h2:file:/data/gatehouse;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0" \
    GATEHOUSE_RESTORE_DIRECTORY="/data/last-applied"
# The AOT cache, recorded by deploy/docker/train-aot.sh (decision (bm)): a start that migrates a scratch database and
# is not recorded (an ordinary restart does not build Flyway, decision (bc)); a start that serves a training gateway
# on loopback (a PROXY v1 header sent and read, a TLS handshake made and answered, 2,000 connections through each) and
# writes the classes it loaded and linked, and their profiles, to gatehouse.aot as SIGTERM stops it; and a start that
# must map the cache (-XX:AOTMode=on) and relay from it, or the build fails. Every start maps the cache; a start with
# options it was not made with (another collector in JAVA_TOOL_OPTIONS) runs without it.
RUN --mount=type=bind,source=deploy/docker/train-aot.sh,target=/tmp/train-aot.sh \
    bash /tmp/train-aot.sh /opt/gatehouse/gatehouse.jar /opt/gatehouse/gatehouse.aot \
    && rm -rf /tmp/hsperfdata_root
USER 10001:10001
WORKDIR /data
VOLUME /data
EXPOSE 8080
# SIGTERM (docker stop, Kubernetes) drains open connections for up to gatehouse.dataplane.drain-timeout (30 s):
# give the container that long (docker stop -t 45).
STOPSIGNAL SIGTERM
# Liveness on loopback (reached whether the API binds 127.0.0.1 or 0.0.0.0), with bash's /dev/tcp: the JRE image
# does not promise curl or wget, and a JVM per check would cost a CPU second (docs/operations.md, "Docker").
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /actuator/health/liveness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && grep -q '\"status\":\"UP\"' <&3"]
# Listener ports below 1024 (non-root user): docker run --sysctl net.ipv4.ip_unprivileged_port_start=0 ...
ENTRYPOINT ["java", "-XX:AOTCache=/opt/gatehouse/gatehouse.aot", "-jar", "/opt/gatehouse/gatehouse.jar"]
