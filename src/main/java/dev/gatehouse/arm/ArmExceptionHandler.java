package dev.gatehouse.arm;

import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The one place where failures become HTTP responses: every refusal leaves as the ARM error envelope
 * with {@code x-ms-error-code} equal to {@code error.code}. Unexpected exceptions are logged once with
 * their stack and answered with a generic 500 that carries no internals.
 */
@RestControllerAdvice
class ArmExceptionHandler {

    static final String ERROR_CODE_HEADER = "x-ms-error-code";
    private static final Logger log = LoggerFactory.getLogger(ArmExceptionHandler.class);
    /** Seconds a caller is told to wait when the database is unavailable (about two connection timeouts). */
    static final int RETRY_AFTER_SECONDS = 5;

    private static final long OUTAGE_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final AtomicLong lastOutageLog = new AtomicLong();

    @ExceptionHandler(ArmException.class)
    ResponseEntity<ApiError.Envelope> arm(ArmException e) {
        return respond(e.status(), e.error());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError.Envelope> unreadable(HttpMessageNotReadableException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RequestSizeLimit.TooLarge tooLarge) {
                return respond(
                        HttpStatus.CONTENT_TOO_LARGE,
                        ApiError.of(ErrorCodes.REQUEST_BODY_TOO_LARGE, tooLarge.getMessage(), null));
            }
        }
        return respond(HttpStatus.BAD_REQUEST, describeUnreadable(e));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ApiError.Envelope> missingParameter(MissingServletRequestParameterException e) {
        if (ApiVersions.PARAMETER.equals(e.getParameterName())) {
            return respond(HttpStatus.BAD_REQUEST, ApiVersions.missing());
        }
        return respond(
                HttpStatus.BAD_REQUEST,
                ApiError.of(
                        ErrorCodes.INVALID_REQUEST_CONTENT,
                        "The query parameter '" + e.getParameterName() + "' is required.",
                        e.getParameterName()));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError.Envelope> mediaType(HttpMediaTypeNotSupportedException e) {
        return respond(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                ApiError.of(
                        ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
                        "The request body must be JSON (Content-Type: application/json), not '" + e.getContentType()
                                + "'.",
                        HttpHeaders.CONTENT_TYPE));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ApiError.Envelope> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return respond(
                HttpStatus.NOT_ACCEPTABLE,
                ApiError.of(
                        ErrorCodes.UNSUPPORTED_MEDIA_TYPE,
                        "Responses are JSON; the Accept header must allow application/json.",
                        HttpHeaders.ACCEPT));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError.Envelope> method(HttpRequestMethodNotSupportedException e) {
        return respond(
                HttpStatus.METHOD_NOT_ALLOWED,
                ApiError.of(
                        ErrorCodes.METHOD_NOT_ALLOWED,
                        "The method " + e.getMethod() + " is not allowed here; allowed: " + e.getSupportedHttpMethods()
                                + ".",
                        null));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiError.Envelope> noRoute(NoResourceFoundException e) {
        return respond(
                HttpStatus.NOT_FOUND,
                ApiError.of(ErrorCodes.NOT_FOUND, "No API exists at '/" + e.getResourcePath() + "'.", null));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ApiError.Envelope> unexpected(Exception e) {
        switch (DatabaseOutages.classify(e)) {
            case UNREACHABLE -> {
                return databaseUnavailable(e);
            }
            case FULL -> {
                return databaseFull(e);
            }
            case BUSY -> {
                return databaseBusy();
            }
            case OTHER -> {
                // logged and answered below
            }
        }
        log.error("Unhandled error while serving a request", e);
        return respond(
                HttpStatus.INTERNAL_SERVER_ERROR,
                ApiError.of(
                        ErrorCodes.INTERNAL_SERVER_ERROR,
                        "An unexpected error occurred; it has been logged with the request id.",
                        null));
    }

    /**
     * 503 with {@code Retry-After} at once, rather than a 500: the caller's request was fine, the database is away.
     * Logged at WARN without a stack, at most once per {@link #OUTAGE_LOG_INTERVAL_NANOS}, so an outage under load
     * does not flood the log.
     */
    private ResponseEntity<ApiError.Envelope> databaseUnavailable(Exception e) {
        return serviceUnavailable(
                e,
                "The configuration database is unavailable; listeners keep serving the last "
                        + "applied configuration. Retry after " + RETRY_AFTER_SECONDS + " seconds.");
    }

    /** The same 503 when the disk that holds the database is full: nothing was stored, reads still work. */
    private ResponseEntity<ApiError.Envelope> databaseFull(Exception e) {
        return serviceUnavailable(
                e,
                "The configuration database could not store this write: no space left on its "
                        + "disk. Nothing was changed; reads and listeners keep working. Retry after "
                        + RETRY_AFTER_SECONDS
                        + " seconds, once space has been freed.");
    }

    private ResponseEntity<ApiError.Envelope> serviceUnavailable(Exception e, String message) {
        long now = System.nanoTime();
        long last = lastOutageLog.get();
        if ((now - last > OUTAGE_LOG_INTERVAL_NANOS || last == 0) && lastOutageLog.compareAndSet(last, now)) {
            log.warn("The database is unavailable; API calls answer 503 ServiceUnavailable: {}", e.toString());
        }
        ApiError error = ApiError.of(ErrorCodes.SERVICE_UNAVAILABLE, message, null);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(ERROR_CODE_HEADER, error.code())
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS))
                .body(new ApiError.Envelope(error));
    }

    /**
     * 429 with {@code Retry-After: 1}: the database answers but every pooled connection stayed busy for the whole
     * connection timeout, or the gateway's row stayed locked by other writes for the whole lock timeout (a burst of
     * writes larger than the database drains in that time). Not logged: it is load.
     */
    private static ResponseEntity<ApiError.Envelope> databaseBusy() {
        ApiError error = ApiError.of(
                ErrorCodes.TOO_MANY_REQUESTS,
                "The server is busy: no database connection or lock "
                        + "became free in time for this request. Nothing was stored. Retry after 1 second.",
                null);
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(ERROR_CODE_HEADER, error.code())
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(new ApiError.Envelope(error));
    }

    static ResponseEntity<ApiError.Envelope> respond(HttpStatus status, ApiError error) {
        // JSON whatever the caller's Accept says (a Content-Type set here is not negotiated): the 406 that answers an
        // Accept without JSON is itself an ARM envelope.
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .header(ERROR_CODE_HEADER, error.code())
                .body(new ApiError.Envelope(error));
    }

    private static ApiError describeUnreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getMostSpecificCause();
        if (!(cause instanceof JacksonException jackson)) {
            return ApiError.of(
                    ErrorCodes.INVALID_REQUEST_CONTENT, "The request body is missing or is not a JSON document.", null);
        }
        String path = JsonPaths.of(jackson.getPath());
        String target = path.isEmpty() ? null : path;
        if (jackson instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null
                    ? ""
                    : unknown.getKnownPropertyIds().stream()
                            .map(String::valueOf)
                            .sorted()
                            .collect(Collectors.joining(", ", " Known properties here: ", "."));
            return ApiError.of(
                    ErrorCodes.UNKNOWN_PROPERTY,
                    "The property '" + unknown.getPropertyName() + "' is not recognised." + known,
                    target);
        }
        if (jackson instanceof InvalidFormatException format
                && format.getTargetType() != null
                && format.getTargetType().isEnum()) {
            return ApiError.of(
                    ErrorCodes.INVALID_PROPERTY_TYPE,
                    "The value '" + format.getValue() + "' is not one of "
                            + Arrays.toString(format.getTargetType().getEnumConstants()) + ".",
                    target);
        }
        if (jackson instanceof MismatchedInputException mismatch
                && String.valueOf(mismatch.getOriginalMessage()).startsWith("Trailing token")) {
            return ApiError.of(ErrorCodes.INVALID_JSON, "The request body has more than one JSON value.", null);
        }
        if (jackson instanceof MismatchedInputException mismatch) {
            return ApiError.of(
                    ErrorCodes.INVALID_PROPERTY_TYPE,
                    "The value has the wrong JSON type; expected " + describe(mismatch.getTargetType()) + ".",
                    target);
        }
        if (jackson instanceof InputCoercionException) {
            return ApiError.of(
                    ErrorCodes.INVALID_PROPERTY_TYPE, "The number is out of range for this property.", target);
        }
        if (jackson instanceof StreamReadException read) {
            String where = read.getLocation() == null
                    ? ""
                    : " at line " + read.getLocation().getLineNr() + ", column "
                            + read.getLocation().getColumnNr();
            return ApiError.of(
                    ErrorCodes.INVALID_JSON,
                    "The request body is not valid JSON" + where + ": " + firstClause(read.getOriginalMessage()) + ".",
                    target);
        }
        return ApiError.of(
                ErrorCodes.INVALID_REQUEST_CONTENT,
                "The request body could not be read: " + jackson.getOriginalMessage(),
                target);
    }

    /** Jackson's parser messages continue with source-location noise; the first clause says it all. */
    private static String firstClause(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int cut = message.length();
        for (String marker : new String[] {" (start marker", "\n", " at [Source"}) {
            int i = message.indexOf(marker);
            if (i >= 0) {
                cut = Math.min(cut, i);
            }
        }
        return message.substring(0, cut).strip();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "a different type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        return "an object";
    }
}
