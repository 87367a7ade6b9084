package dev.gatehouse.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code gatehouse.security.*}: who may call the API. With neither API keys nor JWT configured the API is
 * open, and therefore only listens on loopback ({@link ApiBindPolicy}).
 *
 * @param apiKeys              Static bearer tokens, stored as hashes ("gatehouse keygen" makes them).
 * @param jwt                  OAuth2/JWT resource-server mode.
 * @param requestsPerSecond    Per caller (token) rate limit; 0 turns it off.
 * @param burst                Requests a caller may make at once before the rate applies.
 */
@ConfigurationProperties("gatehouse.security")
public record SecuritySettings(
        List<ApiKey> apiKeys,
        Jwt jwt,
        @DefaultValue("50") double requestsPerSecond,
        @DefaultValue("100") int burst) {

    public SecuritySettings {
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
        jwt = jwt == null ? new Jwt(null, null, null, "roles") : jwt;
    }

    /**
     * One API key.
     *
     * @param name              shown in logs and used as the rate-limit bucket (never the token)
     * @param hash              {@code sha256:<64 hex>} of the token
     * @param role              Reader or Contributor
     * @param scope             {@code /subscriptions/<id>} or {@code /subscriptions/<id>/resourceGroups/<name>};
     *                          empty: every subscription
     * @param requestsPerSecond overrides the default rate for this key (0 = the default)
     */
    public record ApiKey(String name, String hash, String role, String scope, Double requestsPerSecond) {}

    /**
     * @param jwkSetUri  Where the identity provider publishes its signing keys; JWT mode is on when set.
     * @param issuer     The required iss claim, when set.
     * @param audience   The required aud entry, when set.
     * @param rolesClaim The claim with the caller's role assignments: Reader, Contributor, or
     *                   Contributor:/subscriptions/ID[/resourceGroups/NAME].
     */
    public record Jwt(
            String jwkSetUri,
            String issuer,
            String audience,
            @DefaultValue("roles") String rolesClaim) {}

    public boolean authenticationEnabled() {
        return !apiKeys.isEmpty()
                || (jwt.jwkSetUri() != null && !jwt.jwkSetUri().isBlank());
    }
}
