package dev.gatehouse.arm;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/** Writes the ARM error envelope from a servlet filter, where no controller advice runs. */
public final class ArmErrors {

    private ArmErrors() {}

    public static void write(HttpServletResponse response, HttpStatus status, String code, String message)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setHeader(ArmExceptionHandler.ERROR_CODE_HEADER, code);
        response.getOutputStream()
                .write(ArmJsonConfiguration.mapper()
                        .writeValueAsBytes(new ApiError.Envelope(ApiError.of(code, message, null))));
    }
}
