-- ARM asynchronous operations: one row per accepted write (PUT, DELETE, child write, stop, start).
-- A write inserts its row in the transaction that stores the change; the reconciler settles it in the
-- transaction that records the apply's outcome, so an operation can never miss its completion, also
-- across restarts. Rows are kept for gatehouse.api.operation-retention (at least 24 h).
create table async_operation (
    id            varchar(36)  not null primary key,
    resource_key  varchar(400) not null,
    subscription_key varchar(36) not null,
    resource_id   varchar(600) not null,
    kind          varchar(16)  not null,
    generation    bigint,
    status        varchar(16)  not null,
    error         text,
    start_time    timestamp with time zone not null,
    end_time      timestamp with time zone
);

create index ix_async_operation_pending on async_operation (resource_key, status);
create index ix_async_operation_start on async_operation (start_time);
