package dev.gatehouse.dataplane;

/** A backend server's health as probes see it; ARM's names. */
public enum HealthState {
    /** No probe has decided yet; the server receives traffic. */
    Unknown,
    Healthy,
    /** {@code unhealthyThreshold} consecutive probes failed; no new connections while others are not. */
    Unhealthy,
    /** Removed from its pool; its open connections continue until they end or the drain timeout passes. */
    Draining
}
