package dev.gatehouse.gateway.replicas;

import java.time.Instant;

/** One Gatehouse process sharing the database: a row of {@code gatehouse_instance} ({@code V4__instances.sql}). */
record InstanceRow(String id, String host, Instant startedAt, Instant heartbeatAt) {}
