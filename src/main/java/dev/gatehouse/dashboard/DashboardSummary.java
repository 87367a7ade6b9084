package dev.gatehouse.dashboard;

import java.time.Instant;
import java.util.List;

/**
 * Everything the dashboard shows, in one answer: the page polls it and computes rates from two readings of the
 * listeners' counters, which only grow (except {@code active}).
 *
 * @param at         when the counters were read (the page divides by the time between two readings)
 * @param operations the most recently started asynchronous operations, newest first
 */
record DashboardSummary(Instant at, List<Gateway> gateways, List<Operation> operations) {

    /** A stored gateway with what its listeners carry and what its probes see. */
    record Gateway(
            String id,
            String name,
            String resourceGroup,
            String provisioningState,
            String operationalState,
            String error,
            List<Listener> listeners,
            List<Pool> pools) {}

    /**
     * One listener of the document, with its counters since the process started (zero before its first
     * connection, and for a stopped gateway's listeners).
     *
     * @param address  where it binds, {@code host:port}
     * @param bytesIn  bytes read from clients, counted as they are relayed
     * @param bytesOut bytes sent to clients, counted as they are relayed
     */
    record Listener(
            String name, String protocol, String address, long accepted, long active, long bytesIn, long bytesOut) {}

    /** A backend pool with its servers' probed health, for every backend settings that uses the pool. */
    record Pool(String name, List<Server> servers) {}

    /**
     * @param reason why the last probe failed, when the last probe failed ({@code null} otherwise)
     * @param since  when probes last changed the health, {@code null} while none has decided
     */
    record Server(
            String address,
            String server,
            String settings,
            String health,
            String reason,
            Instant since,
            int consecutiveFailures) {}

    /** An asynchronous operation as its {@code Azure-AsyncOperation} URL reports it, with its error's message. */
    record Operation(
            String name,
            String operation,
            String status,
            String resourceId,
            Instant startTime,
            Instant endTime,
            String error) {}
}
