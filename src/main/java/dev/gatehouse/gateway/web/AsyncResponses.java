package dev.gatehouse.gateway.web;

import dev.gatehouse.gateway.model.GatewayKey;
import dev.gatehouse.gateway.operations.AsyncOperations;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The headers ARM puts on an asynchronous write's answer. */
final class AsyncResponses {

    static final String ASYNC_OPERATION = "Azure-AsyncOperation";
    /** Seconds a poller should wait before asking again. */
    static final String RETRY_AFTER_SECONDS = "1";

    private AsyncResponses() {}

    /**
     * {@code status} with {@code Azure-AsyncOperation} (absolute URL of the operation, same api-version) and,
     * while it is running, {@code Retry-After}.
     */
    static ResponseEntity.BodyBuilder status(HttpStatus status, GatewayWrites.Outcome outcome, String apiVersion) {
        GatewayKey key = outcome.gateway().key();
        String url = ServletUriComponentsBuilder.fromCurrentContextPath()
                .path(AsyncOperations.path(key.subscriptionId(), location(outcome), outcome.operationId()))
                .queryParam("api-version", apiVersion)
                .toUriString();
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(status).header(ASYNC_OPERATION, url);
        return outcome.done() ? builder : builder.header("Retry-After", RETRY_AFTER_SECONDS);
    }

    /** 200 once settled, else 202 Accepted (DELETE, stop and start, as ARM answers them). */
    static ResponseEntity.BodyBuilder okOrAccepted(GatewayWrites.Outcome outcome, String apiVersion) {
        return status(outcome.done() ? HttpStatus.OK : HttpStatus.ACCEPTED, outcome, apiVersion);
    }

    private static String location(GatewayWrites.Outcome outcome) {
        String location = outcome.gateway().spec().location();
        return location == null || location.isBlank()
                ? "local"
                : location.toLowerCase(Locale.ROOT).replace(" ", "");
    }
}
