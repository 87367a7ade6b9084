package dev.gatehouse.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Static API keys, held as SHA-256 hashes: the configuration (and whoever reads it) never holds a usable
 * token. A plain hash is enough because tokens are 256 random bits ({@code gatehouse keygen}); there is no
 * password to guess, so no slow hash is needed, and a lookup stays a few microseconds.
 */
final class ApiKeys {

    static final String TOKEN_PREFIX = "gh_";

    private record Key(String name, byte[] hash, List<Grant> grants, double requestsPerSecond) {}

    private final List<Key> keys;

    ApiKeys(List<SecuritySettings.ApiKey> configured, double defaultRate) {
        this.keys = configured.stream()
                .map(k -> {
                    if (k.name() == null || k.name().isBlank()) {
                        throw new IllegalArgumentException("gatehouse.security.api-keys: every key needs a name");
                    }
                    String hash = k.hash() == null ? "" : k.hash().trim().toLowerCase(Locale.ROOT);
                    if (!hash.matches("sha256:[0-9a-f]{64}")) {
                        throw new IllegalArgumentException("gatehouse.security.api-keys '" + k.name()
                                + "': hash must be sha256:<64 hex digits> (gatehouse keygen prints it)");
                    }
                    double rate = k.requestsPerSecond() == null || k.requestsPerSecond() <= 0
                            ? defaultRate
                            : k.requestsPerSecond();
                    return new Key(
                            k.name(),
                            HexFormat.of().parseHex(hash.substring(7)),
                            List.of(new Grant(Grant.Role.parse(k.role()), k.scope())),
                            rate);
                })
                .toList();
    }

    static String hash(String token) {
        return "sha256:" + HexFormat.of().formatHex(sha256(token));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The caller a token belongs to; compares every key in constant time. */
    Optional<Caller> authenticate(String token) {
        byte[] presented = sha256(token);
        Key found = null;
        for (Key k : keys) {
            if (MessageDigest.isEqual(k.hash(), presented)) {
                found = k;
            }
        }
        return Optional.ofNullable(found).map(k -> new Caller("key:" + k.name(), k.grants(), k.requestsPerSecond()));
    }
}
