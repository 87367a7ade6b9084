package dev.gatehouse.gateway.store;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.arm.Etags;
import dev.gatehouse.gateway.model.ApplicationGateway;
import dev.gatehouse.gateway.model.ChildCollection;
import dev.gatehouse.gateway.model.ChildResource;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stored form of a document: its JSON, with certificate secrets encrypted when a key is configured, and
 * its etag, the hash of the plaintext form (so it does not change with each encryption's random nonce).
 * Keeps the last document of each gateway in hand, by etag, so that reads after a write (the answer, the
 * reconciler, GETs) reuse the validated model instead of parsing and decrypting the stored text again; a
 * document is immutable, so sharing it between threads is safe. Thread-safe.
 */
@Component
class StoredDocuments {

    /** A document ready to store: the text to store and its etag. */
    record Encoded(String text, String etag) {}

    /**
     * A decoded document with the etag of each child (by {@link #childKey}), valid while the gateway's etag is
     * {@code etag}: child etags are hashes of each child's spec, computed once per stored version.
     */
    record Decoded(String etag, ApplicationGateway spec, Map<String, String> childEtags) {}

    private final JsonMapper json;
    private final SecretCipher cipher;
    /** By resource key: at most one entry per stored gateway, forgotten when it is deleted. */
    private final Map<String, Decoded> inHand = new ConcurrentHashMap<>();

    StoredDocuments(JsonMapper json, SecretCipher cipher) {
        this.json = json;
        this.cipher = cipher;
    }

    Encoded encode(ApplicationGateway spec) {
        String plain = json.writeValueAsString(spec);
        return new Encoded(cipher.enabled() ? encrypted(spec) : plain, Etags.of(plain));
    }

    /**
     * The stored gateway's document, from the one in hand when its etag is still {@code etag}, else decoded from
     * {@code text} (and kept in hand).
     */
    Decoded decode(String resourceKey, String etag, String text) {
        Decoded known = inHand.get(resourceKey);
        if (known != null && known.etag().equals(etag)) {
            return known;
        }
        return keep(resourceKey, etag, decode(text));
    }

    /** Keeps the document just stored with {@code etag} in hand: the next reads of it need no parsing. */
    Decoded keep(String resourceKey, String etag, ApplicationGateway spec) {
        Decoded decoded = new Decoded(etag, spec, childEtags(spec));
        inHand.put(resourceKey, decoded);
        return decoded;
    }

    /** The key of a child in {@link Decoded#childEtags()}: its collection and its name, case-insensitively. */
    static String childKey(ChildCollection<?> c, String name) {
        return c.segment() + "/" + name.toLowerCase(Locale.ROOT);
    }

    private Map<String, String> childEtags(ApplicationGateway spec) {
        Map<String, String> etags = new HashMap<>();
        if (spec.properties() != null) {
            for (ChildCollection<?> c : ChildCollection.ALL) {
                for (ChildResource<?> child : c.items(spec.properties())) {
                    etags.put(childKey(c, child.name()), Etags.of(json.writeValueAsString(child.spec())));
                }
            }
        }
        return Map.copyOf(etags);
    }

    /** Forgets a deleted gateway's document. */
    void forget(String resourceKey) {
        inHand.remove(resourceKey);
    }

    /** The document with its secrets decrypted; throws {@link SecretCipher.MissingKey} when they cannot be. */
    ApplicationGateway decode(String text) {
        return decrypted(parse(text));
    }

    /** The stored text as a document, its secrets as stored (encrypted or not). */
    ApplicationGateway parse(String text) {
        return json.readValue(text, ApplicationGateway.class);
    }

    /** {@code stored} with its secrets decrypted; throws {@link SecretCipher.MissingKey} when they cannot be. */
    ApplicationGateway decrypted(ApplicationGateway stored) {
        return Secrets.mapSecrets(stored, cipher::decrypt);
    }

    /** Whether a {@linkplain #parse parsed} document still holds a secret in plaintext while a key is configured. */
    boolean needsEncryption(ApplicationGateway stored) {
        if (!cipher.enabled()) {
            return false;
        }
        boolean[] plaintext = {false};
        Secrets.mapSecrets(stored, v -> {
            plaintext[0] |= v != null && !SecretCipher.isEncrypted(v);
            return v;
        });
        return plaintext[0];
    }

    /** The stored text of a {@linkplain #parse parsed} document with every secret encrypted. */
    String reencrypted(ApplicationGateway stored) {
        return encrypted(decrypted(stored));
    }

    /** The stored text of {@code spec}: its secrets encrypted when a key is configured. */
    String encrypted(ApplicationGateway spec) {
        return json.writeValueAsString(Secrets.mapSecrets(spec, cipher::encrypt));
    }

    String errorJson(ApiError error) {
        return error == null ? null : json.writeValueAsString(error);
    }

    ApiError error(String errorJson) {
        return errorJson == null ? null : json.readValue(errorJson, ApiError.class);
    }
}
