package dev.gatehouse.gateway.model;

/** Azure's {@code operationalState}: whether the gateway serves ({@code POST .../start} and {@code .../stop}). */
public enum OperationalState {
    Running,
    Stopped
}
