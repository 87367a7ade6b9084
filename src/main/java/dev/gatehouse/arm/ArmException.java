package dev.gatehouse.arm;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * The one exception type the REST layer throws for a request it refuses. {@link ArmExceptionHandler}
 * renders it as the ARM error envelope with {@code x-ms-error-code} set to the code.
 */
public class ArmException extends RuntimeException {

    private final HttpStatus status;
    private final transient ApiError error;

    public ArmException(HttpStatus status, ApiError error) {
        super(error.code() + ": " + error.message());
        this.status = status;
        this.error = error;
    }

    public ArmException(HttpStatus status, String code, String message, String target) {
        this(status, ApiError.of(code, message, target));
    }

    public static ArmException badRequest(String code, String message, String target) {
        return new ArmException(HttpStatus.BAD_REQUEST, code, message, target);
    }

    public static ArmException notFound(String message) {
        return new ArmException(HttpStatus.NOT_FOUND, ErrorCodes.RESOURCE_NOT_FOUND, message, null);
    }

    public static ArmException preconditionFailed(String message, String header) {
        return new ArmException(HttpStatus.PRECONDITION_FAILED, ErrorCodes.PRECONDITION_FAILED, message, header);
    }

    /** A 400 that lists every violation in {@code details}, as ARM does for an invalid document. */
    public static ArmException invalid(String code, String summary, List<ApiError> details) {
        return new ArmException(HttpStatus.BAD_REQUEST, new ApiError(code, summary, null, details));
    }

    public HttpStatus status() {
        return status;
    }

    public ApiError error() {
        return error;
    }
}
