package dev.gatehouse.gateway.replicas;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One Gatehouse process sharing the database; see {@code V4__instances.sql}. */
@Entity
@Table(name = "gatehouse_instance")
class InstanceEntity {

    @Id
    private String id;

    @Column(nullable = false)
    private String host;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    @Column(name = "heartbeat_at", nullable = false)
    private Instant heartbeatAt;

    protected InstanceEntity() {}

    InstanceEntity(String id, String host, Instant now) {
        this.id = id;
        this.host = host;
        this.startedAt = now;
        this.heartbeatAt = now;
    }

    String id() {
        return id;
    }

    String host() {
        return host;
    }

    Instant heartbeatAt() {
        return heartbeatAt;
    }
}
