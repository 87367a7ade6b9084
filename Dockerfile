# syntax=docker/dockerfile:1
# Build: docker build -t gatehouse .
# Run:   docker run --network host -v gatehouse-data:/data gatehouse
# Listeners bind inside the container: use host networking, or publish each listener port (-p).

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q package -DskipTests && cp target/gatehouse-*.jar /gatehouse.jar

FROM eclipse-temurin:17-jre
RUN groupadd --system gatehouse && useradd --system --gid gatehouse --home-dir /data gatehouse \
    && mkdir -p /data && chown gatehouse:gatehouse /data
COPY --from=build /gatehouse.jar /opt/gatehouse/gatehouse.jar
USER gatehouse
WORKDIR /data
VOLUME /data
EXPOSE 8080
# Overridable like any Spring property: -e SPRING_DATASOURCE_URL=jdbc:postgresql://... or a --spring.* argument.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75" \
    SPRING_DATASOURCE_URL="jdbc:h2:file:/data/gatehouse;DB_CLOSE_ON_EXIT=FALSE"
# Listener ports below 1024 (non-root user): docker run --sysctl net.ipv4.ip_unprivileged_port_start=0 ...
ENTRYPOINT ["java", "-jar", "/opt/gatehouse/gatehouse.jar"]
