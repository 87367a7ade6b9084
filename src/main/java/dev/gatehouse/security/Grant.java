package dev.gatehouse.security;

import java.util.Locale;

/**
 * A role at a scope, as in Azure RBAC: {@code Reader} may read (GET, backend health, what-if),
 * {@code Contributor} may also write. The scope is a path prefix: a subscription or a resource group, or
 * empty for everything.
 */
record Grant(Role role, String scope) {

    enum Role {
        Reader,
        Contributor;

        static Role parse(String text) {
            for (Role r : values()) {
                if (r.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
                    return r;
                }
            }
            throw new IllegalArgumentException("unknown role '" + text + "' (Reader or Contributor)");
        }

        boolean allows(Role needed) {
            return this == Contributor || needed == Reader;
        }
    }

    Grant {
        scope = normalize(scope);
    }

    /** Lower case, no trailing slash; checked to be a subscription or resource-group path, or empty. */
    static String normalize(String scope) {
        if (scope == null || scope.isBlank() || scope.equals("/")) {
            return "";
        }
        String s = scope.trim().toLowerCase(Locale.ROOT);
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (!s.matches("/subscriptions/[^/]+(/resourcegroups/[^/]+)?")) {
            throw new IllegalArgumentException("scope '" + scope + "' is not /subscriptions/<id> or "
                    + "/subscriptions/<id>/resourceGroups/<name>");
        }
        return s;
    }

    /** Whether this grant covers {@code needed} on the resource at {@code path} (already lower case). */
    boolean covers(Role needed, String path) {
        return role.allows(needed) && (scope.isEmpty() || path.equals(scope) || path.startsWith(scope + "/"));
    }

    /** {@code Role} or {@code Role:/subscriptions/...}, as a JWT roles claim carries it. */
    static Grant parse(String assignment) {
        int colon = assignment.indexOf(':');
        return colon < 0
                ? new Grant(Role.parse(assignment), "")
                : new Grant(Role.parse(assignment.substring(0, colon)), assignment.substring(colon + 1));
    }
}
