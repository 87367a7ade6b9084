package dev.gatehouse.gateway.replicas;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code gatehouse.instance.*}: this process among the replicas sharing the database.
 *
 * @param id        This process's id among replicas. Unset or empty: HOSTNAME (the pod name in Kubernetes), then
 *                  ":" and the API port; host and PID when the port is random.
 * @param heartbeat How often this process heartbeats, and re-decides what waits on other replicas.
 * @param lease     A replica whose last heartbeat (by the database's clock) is older than this is no longer waited
 *                  for.
 */
@ConfigurationProperties("gatehouse.instance")
public record InstanceSettings(
        String id,
        @DefaultValue("2s") Duration heartbeat,
        @DefaultValue("10s") Duration lease) {}
