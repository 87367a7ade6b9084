package dev.gatehouse.arm;

import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code gatehouse.api.*}: what the REST API accepts and how long it waits. One record for the prefix, here in
 * {@code arm} because every layer that enforces one of these keys (web, store, operations, rules) may use it.
 *
 * @param versions           The accepted api-version values (default: every stable Microsoft.Network version
 *                           from 2023 on); a request with any other gets 400
 *                           InvalidApiVersion. Setting it replaces the whole set.
 * @param applyWait          How long every write waits for the data plane before answering (ARM's default is not
 *                           to wait: the answer says Updating and carries Azure-AsyncOperation). Callers can ask
 *                           per request with "Prefer: wait=N".
 * @param maxApplyWait       The longest wait a "Prefer: wait=N" gets.
 * @param operationRetention How long settled asynchronous operations stay readable (never less than 24h); purged
 *                           hourly.
 * @param maxRequestSize     Larger request bodies get 413 RequestBodyTooLarge.
 * @param maxGateways        Creating more gateways gets 409 QuotaExceeded.
 * @param maxChildren        Entries per child collection of a gateway (400 TooManyItems).
 */
@ConfigurationProperties("gatehouse.api")
public record ApiSettings(
        @DefaultValue({
            "2023-02-01",
            "2023-04-01",
            "2023-05-01",
            "2023-06-01",
            "2023-09-01",
            "2023-11-01",
            "2024-01-01",
            "2024-03-01",
            "2024-05-01",
            "2024-07-01",
            "2024-10-01",
            "2025-01-01",
            "2025-03-01",
            "2025-05-01",
            "2025-07-01",
            "2025-10-01",
            "2025-12-01",
            ApiVersions.NEWEST
        })
        Set<String> versions,

        @DefaultValue("0s") Duration applyWait,
        @DefaultValue("60s") Duration maxApplyWait,
        @DefaultValue("48h") Duration operationRetention,
        @DefaultValue("4MB") DataSize maxRequestSize,
        @DefaultValue("1000") int maxGateways,
        @DefaultValue("100") int maxChildren) {

    /** Keeps the versions sorted: the error for an unsupported one lists them in order. */
    public ApiSettings {
        versions = Collections.unmodifiableSortedSet(new TreeSet<>(versions));
    }
}
