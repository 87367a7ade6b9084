package dev.gatehouse.arm;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Checks the {@code api-version} query parameter on every ARM path, as ARM does before a request reaches
 * a resource provider. The accepted versions are every stable Microsoft.Network version of
 * {@code applicationGateway.json} in azure-rest-api-specs from 2023 up to the newest that Microsoft's
 * current SDKs send; the JSON shape does not differ between them for the properties Gatehouse serves.
 */
@Component
public class ApiVersions implements HandlerInterceptor {

    public static final String PARAMETER = "api-version";
    /** The ARM paths: every request to one of them needs an api-version. */
    static final String PATHS = "/subscriptions/**";

    public static final String LATEST = "2025-03-01";

    /** The newest supported version: what Microsoft's current SDKs send. */
    public static final String NEWEST = "2026-01-01";

    private final Set<String> versions;

    ApiVersions(ApiSettings settings) {
        this.versions = settings.versions();
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String version = request.getParameter(PARAMETER);
        if (version == null || version.isBlank()) {
            throw new ArmException(HttpStatus.BAD_REQUEST, missing());
        }
        if (!versions.contains(version)) {
            throw ArmException.badRequest(ErrorCodes.INVALID_API_VERSION, unsupported(version), PARAMETER);
        }
        return true;
    }

    /** ARM's wording: the supported versions newest first, comma-separated without spaces, quoted. */
    String unsupported(String version) {
        return "The api-version '" + version + "' is invalid. The supported versions are '"
                + String.join(",", new TreeSet<>(versions).descendingSet()) + "'. Please see "
                + "https://aka.ms/api-version for more details.";
    }

    static ApiError missing() {
        return ApiError.of(
                ErrorCodes.MISSING_API_VERSION,
                "The api-version query parameter (?api-version=) is "
                        + "required for all requests, for example ?api-version=" + LATEST + ".",
                PARAMETER);
    }
}
