package dev.gatehouse.gateway.operations;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatehouse.arm.ApiError;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * An ARM asynchronous operation as {@code GET} on its {@code Azure-AsyncOperation} URL returns it.
 * {@code InProgress} until the data plane has applied the write (then {@code Succeeded}, or {@code Failed}
 * with the apply's error), or {@code Canceled} when the gateway was deleted first.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "AzureAsyncOperationResult")
public record AsyncOperation(
        @Schema(description = "The operation's own URL path")
        String id,

        @Schema(description = "The operation id") String name,

        @Schema(allowableValues = {"InProgress", "Succeeded", "Failed", "Canceled"})
        String status,

        @Schema(description = "The gateway the operation changes")
        String resourceId,

        @Schema(allowableValues = {"CreateOrUpdate", "Delete", "Stop", "Start"})
        String operation,

        Instant startTime,
        Instant endTime,

        @Schema(description = "Why it Failed or was Canceled")
        ApiError error) {

    /** What a caller asked for; only {@code Delete} is settled by the gateway's removal. */
    public enum Kind {
        CreateOrUpdate,
        Delete,
        Stop,
        Start
    }

    public boolean done() {
        return !OperationStatus.InProgress.name().equals(status);
    }
}
