package dev.gatehouse.security;

import dev.gatehouse.arm.ArmErrors;
import dev.gatehouse.arm.ErrorCodes;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Spring Security for the API: stateless bearer tokens (API keys or JWTs), ARM roles at ARM scopes, the ARM
 * error envelope for 401 ({@code AuthenticationFailed}) and 403 ({@code AuthorizationFailed}), and a
 * per-caller rate limit (429 {@code TooManyRequests} with {@code Retry-After}). With no credentials
 * configured every request is allowed, and {@link ApiBindPolicy} keeps the API on loopback.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecuritySettings.class)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, SecuritySettings settings) throws Exception {
        ApiKeys keys = new ApiKeys(settings.apiKeys(), settings.requestsPerSecond());
        Optional<JwtDecoder> jwt = jwtDecoder(settings.jwt());
        RateLimiter limiter = new RateLimiter(settings.burst());
        boolean enabled = settings.authenticationEnabled();
        log.info(
                enabled ? "API authentication: {} API key(s){}" : "API authentication: none configured{}{}",
                enabled ? settings.apiKeys().size() : "",
                enabled ? (jwt.isPresent() ? " and JWTs from " + settings.jwt().jwkSetUri() : "") : "");
        http.csrf(c -> c.disable())
                .formLogin(f -> f.disable())
                .httpBasic(b -> b.disable())
                .logout(l -> l.disable())
                .requestCache(r -> r.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterAfter(
                        new BearerFilter(keys, jwt, settings, limiter, enabled), SecurityContextHolderFilter.class)
                // Access is decided by BearerFilter, which knows ARM roles and scopes.
                .authorizeHttpRequests(a -> a.anyRequest().permitAll());
        return http.build();
    }

    private static Optional<JwtDecoder> jwtDecoder(SecuritySettings.Jwt jwt) {
        if (jwt.jwkSetUri() == null || jwt.jwkSetUri().isBlank()) {
            return Optional.empty();
        }
        NimbusJwtDecoder decoder =
                NimbusJwtDecoder.withJwkSetUri(jwt.jwkSetUri()).build();
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(
                jwt.issuer() == null || jwt.issuer().isBlank()
                        ? JwtValidators.createDefault()
                        : JwtValidators.createDefaultWithIssuer(jwt.issuer()));
        if (jwt.audience() != null && !jwt.audience().isBlank()) {
            validators.add(
                    token -> token.getAudience() != null && token.getAudience().contains(jwt.audience())
                            ? OAuth2TokenValidatorResult.success()
                            : OAuth2TokenValidatorResult.failure(new OAuth2Error(
                                    "invalid_token", "the token is not for audience " + jwt.audience(), null)));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return Optional.of(decoder);
    }

    /**
     * Authenticates the bearer token (if any), decides access, and applies the caller's rate. One filter, so
     * that the three answers (401, 403, 429) are written the same way, in ARM's envelope.
     */
    static final class BearerFilter extends OncePerRequestFilter {

        private final ApiKeys keys;
        private final Optional<JwtDecoder> jwt;
        private final SecuritySettings settings;
        private final RateLimiter limiter;
        private final boolean enabled;

        BearerFilter(
                ApiKeys keys,
                Optional<JwtDecoder> jwt,
                SecuritySettings settings,
                RateLimiter limiter,
                boolean enabled) {
            this.keys = keys;
            this.jwt = jwt;
            this.settings = settings;
            this.limiter = limiter;
            this.enabled = enabled;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (!enabled) {
                chain.doFilter(request, response);
                return;
            }
            Access access = Access.of(request);
            String header = request.getHeader("Authorization");
            Caller caller = null;
            if (header != null && !header.isBlank()) {
                if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
                    unauthenticated(response, "The Authorization header must be 'Bearer <token>'.");
                    return;
                }
                String token = header.substring(7).trim();
                Optional<Caller> found = authenticate(token);
                if (found.isEmpty()) {
                    unauthenticated(
                            response,
                            "The bearer token is not valid (unknown API key, or a JWT that is "
                                    + "expired, wrongly signed or for another issuer or audience).");
                    return;
                }
                caller = found.get();
            }
            if (!access.allows(caller)) {
                if (caller == null) {
                    unauthenticated(response, "This request needs a bearer token (an API key or a JWT).");
                } else {
                    ArmErrors.write(
                            response,
                            HttpStatus.FORBIDDEN,
                            ErrorCodes.AUTHORIZATION_FAILED,
                            "The caller '"
                                    + caller.getName() + "' does not have authorization to " + request.getMethod() + " "
                                    + request.getRequestURI() + ": it needs " + access.describe() + ".");
                }
                return;
            }
            if (caller != null) {
                long retryAfter = limiter.acquire(caller.getName(), caller.requestsPerSecond());
                if (retryAfter > 0) {
                    response.setHeader("Retry-After", String.valueOf(retryAfter));
                    ArmErrors.write(
                            response,
                            HttpStatus.TOO_MANY_REQUESTS,
                            ErrorCodes.TOO_MANY_REQUESTS,
                            "The caller '" + caller.getName() + "' exceeded " + caller.requestsPerSecond()
                                    + " requests per second; retry after " + retryAfter + " s.");
                    return;
                }
                SecurityContextHolder.getContext().setAuthentication(caller);
            }
            chain.doFilter(request, response);
        }

        private Optional<Caller> authenticate(String token) {
            if (token.startsWith(ApiKeys.TOKEN_PREFIX)) {
                return keys.authenticate(token);
            }
            if (jwt.isEmpty()) {
                return Optional.empty();
            }
            try {
                Jwt decoded = jwt.get().decode(token);
                Object claim = decoded.getClaims().get(settings.jwt().rolesClaim());
                List<Grant> grants = new ArrayList<>();
                if (claim instanceof Collection<?> roles) {
                    for (Object role : roles) {
                        try {
                            grants.add(Grant.parse(String.valueOf(role)));
                        } catch (IllegalArgumentException ignored) {
                            // roles meant for other applications
                        }
                    }
                }
                String subject = decoded.getSubject() == null ? "unknown" : decoded.getSubject();
                return Optional.of(new Caller("jwt:" + subject, grants, settings.requestsPerSecond()));
            } catch (JwtException e) {
                log.debug("JWT refused: {}", e.getMessage());
                return Optional.empty();
            }
        }

        private static void unauthenticated(HttpServletResponse response, String message) throws IOException {
            response.setHeader("WWW-Authenticate", "Bearer");
            ArmErrors.write(response, HttpStatus.UNAUTHORIZED, ErrorCodes.AUTHENTICATION_FAILED, message);
        }
    }
}
