package dev.gatehouse.reconcile;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code gatehouse.probe.*}: what the translator uses where a probe, or the default probe of backend settings
 * without one, leaves a value open.
 *
 * @param defaultInterval           The probe interval of the default probe (backend settings without a probe),
 *                                  and of a custom probe without an interval.
 * @param defaultTimeout            The probe timeout, likewise, for probes without a timeout.
 * @param defaultUnhealthyThreshold Consecutive failed probes that make a server Unhealthy, likewise, for probes
 *                                  without an unhealthyThreshold.
 */
@ConfigurationProperties("gatehouse.probe")
public record ProbeSettings(
        @DefaultValue("30s") Duration defaultInterval,
        @DefaultValue("30s") Duration defaultTimeout,
        @DefaultValue("3") int defaultUnhealthyThreshold) {}
