package dev.gatehouse.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/** An authenticated caller: its name (never the token), its grants and its rate. */
final class Caller extends AbstractAuthenticationToken {

    private final String name;
    private final List<Grant> grants;
    private final double requestsPerSecond;

    Caller(String name, List<Grant> grants, double requestsPerSecond) {
        super(AuthorityUtils.NO_AUTHORITIES);
        this.name = name;
        this.grants = List.copyOf(grants);
        this.requestsPerSecond = requestsPerSecond;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return name;
    }

    @Override
    public String getName() {
        return name;
    }

    List<Grant> grants() {
        return grants;
    }

    double requestsPerSecond() {
        return requestsPerSecond;
    }
}
