package dev.gatehouse.arm;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Checks the {@code api-version} query parameter on every ARM path, as ARM does before a request reaches
 * a resource provider. The accepted versions are every stable Microsoft.Network version of
 * {@code applicationGateway.json} in azure-rest-api-specs from 2023 up to the newest that Microsoft's
 * current SDKs send; the JSON shape does not differ between them for the properties Gatehouse serves.
 */
@ConfigurationProperties("gatehouse.api")
public class ApiVersions implements HandlerInterceptor {

    public static final String PARAMETER = "api-version";
    /** The ARM paths: every request to one of them needs an api-version. */
    static final String PATHS = "/subscriptions/**";
    public static final String LATEST = "2025-03-01";

    /** The newest supported version: what Microsoft's current SDKs send. */
    public static final String NEWEST = "2026-01-01";
    /** Every stable Microsoft.Network version from 2023 on, as published in azure-rest-api-specs. */
    public static final Set<String> STABLE = Set.of(
            "2023-02-01", "2023-04-01", "2023-05-01", "2023-06-01", "2023-09-01", "2023-11-01",
            "2024-01-01", "2024-03-01", "2024-05-01", "2024-07-01", "2024-10-01",
            "2025-01-01", "2025-03-01", "2025-05-01", "2025-07-01", "2025-10-01", "2025-12-01", NEWEST);

    private Set<String> versions = new TreeSet<>(STABLE);

    public Set<String> getVersions() {
        return versions;
    }

    public void setVersions(Set<String> versions) {
        this.versions = new TreeSet<>(versions);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String version = request.getParameter(PARAMETER);
        if (version == null || version.isBlank()) {
            throw new ArmException(org.springframework.http.HttpStatus.BAD_REQUEST, missing());
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
        return ApiError.of(ErrorCodes.MISSING_API_VERSION, "The api-version query parameter (?api-version=) is "
                + "required for all requests, for example ?api-version=" + LATEST + ".", PARAMETER);
    }
}
