package dev.gatehouse.arm;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * One error in Azure Resource Manager's shape. {@code target} is a JSON path into the request body
 * (for example {@code properties.listeners[0].properties.frontendPort.id}) or the name of a request
 * part (a header or query parameter); {@code details} holds every individual violation.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(
        name = "ErrorDetail",
        description = "ARM's error detail: a stable code, a message, the JSON path or request part at fault.")
public record ApiError(String code, String message, String target, List<ApiError> details) {

    public ApiError {
        details = details == null ? List.of() : List.copyOf(details);
    }

    public static ApiError of(String code, String message, String target) {
        return new ApiError(code, message, target, List.of());
    }

    /** The response body: ARM wraps the error in an {@code error} property. */
    @Schema(name = "ErrorResponse")
    public record Envelope(ApiError error) {}
}
