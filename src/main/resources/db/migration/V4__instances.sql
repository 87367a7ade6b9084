-- Several Gatehouse processes (replicas) can share one database. Each registers itself and heartbeats; one
-- is live while its heartbeat is younger than gatehouse.instance.lease. Each records the outcome of its own
-- apply of each gateway; the gateway's provisioningState is the aggregate over the live instances.
create table gatehouse_instance (
    id            varchar(100) not null primary key,
    host          varchar(255) not null,
    started_at    timestamp with time zone not null,
    heartbeat_at  timestamp with time zone not null
);

create table gateway_instance_status (
    resource_key       varchar(400) not null,
    instance_id        varchar(100) not null,
    applied_generation bigint       not null,
    provisioning_state varchar(16)  not null,
    provisioning_error text,
    updated_at         timestamp with time zone not null,
    constraint pk_gateway_instance_status primary key (resource_key, instance_id)
);
