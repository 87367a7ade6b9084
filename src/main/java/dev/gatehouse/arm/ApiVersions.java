package dev.gatehouse.arm;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Checks the {@code api-version} query parameter on every ARM path, as ARM does before a request reaches
 * a resource provider. The accepted versions are Microsoft.Network's recent stable ones; the JSON shape
 * does not differ between them for the properties Gatehouse serves.
 */
@ConfigurationProperties("gatehouse.api")
public class ApiVersions implements HandlerInterceptor {

    public static final String PARAMETER = "api-version";
    /** The ARM paths: every request to one of them needs an api-version. */
    static final String PATHS = "/subscriptions/**";
    public static final String LATEST = "2025-03-01";

    private Set<String> versions = new TreeSet<>(Set.of(
            "2023-09-01", "2023-11-01", "2024-01-01", "2024-03-01", "2024-05-01", "2024-07-01",
            "2024-10-01", "2025-01-01", "2025-03-01", "2025-05-01"));

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
            throw ArmException.badRequest(ErrorCodes.INVALID_API_VERSION, "The api-version '" + version
                    + "' is not supported. Supported versions: " + String.join(", ", versions) + ".", PARAMETER);
        }
        return true;
    }

    static ApiError missing() {
        return ApiError.of(ErrorCodes.MISSING_API_VERSION, "The api-version query parameter (?api-version=) is "
                + "required for all requests, for example ?api-version=" + LATEST + ".", PARAMETER);
    }
}
