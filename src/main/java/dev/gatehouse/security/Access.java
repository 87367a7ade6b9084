package dev.gatehouse.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;

/** What a request needs: nothing (public), any caller, or a role on the resource path it addresses. */
record Access(Kind kind, Grant.Role role, String resourcePath) {

    enum Kind {
        PUBLIC,
        AUTHENTICATED,
        ROLE
    }

    static Access of(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.startsWith("/subscriptions/")) {
            return new Access(
                    Kind.ROLE,
                    readOnly(request.getMethod(), lower) ? Grant.Role.Reader : Grant.Role.Contributor,
                    lower);
        }
        // The dashboard lists every subscription's gateways: only a Reader without scope may read its data.
        if (lower.startsWith("/dashboard/api/")) {
            return new Access(Kind.ROLE, Grant.Role.Reader, lower);
        }
        // The dashboard's page and bundled scripts hold no data (they fetch it from /dashboard/api/ with a token).
        if (lower.equals("/") || lower.equals("/dashboard") || lower.startsWith("/dashboard/")) {
            return new Access(Kind.PUBLIC, null, lower);
        }
        // Probes must work without credentials; the API description holds no secrets.
        if (lower.equals("/actuator/health")
                || lower.startsWith("/actuator/health/")
                || lower.startsWith("/v3/api-docs")
                || lower.startsWith("/swagger-ui")
                || lower.equals("/swagger-ui.html")) {
            return new Access(Kind.PUBLIC, null, lower);
        }
        return new Access(Kind.AUTHENTICATED, null, lower);
    }

    /** Reads, and the two POSTs that change nothing: backend health and what-if. */
    private static boolean readOnly(String method, String path) {
        return method.equals("GET")
                || method.equals("HEAD")
                || method.equals("OPTIONS")
                || (method.equals("POST") && (path.endsWith("/backendhealth") || path.endsWith("/validate")));
    }

    boolean allows(Caller caller) {
        return switch (kind) {
            case PUBLIC -> true;
            case AUTHENTICATED -> caller != null;
            case ROLE -> caller != null && caller.grants().stream().anyMatch(g -> g.covers(role, resourcePath));
        };
    }

    String describe() {
        if (kind == Kind.ROLE && !resourcePath.startsWith("/subscriptions/")) {
            return "the " + role + " role without a scope (for every subscription)";
        }
        return kind == Kind.ROLE ? "the " + role + " role at a scope that contains " + resourcePath : "authentication";
    }
}
