package dev.gatehouse.gateway.store;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.arm.Etags;
import dev.gatehouse.gateway.model.ApplicationGateway;
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
    record Encoded(String text, String etag) {
    }

    /** A decoded document, valid while the gateway's etag is {@code etag}. */
    private record Decoded(String etag, ApplicationGateway spec) {
    }

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
    ApplicationGateway decode(String resourceKey, String etag, String text) {
        Decoded known = inHand.get(resourceKey);
        if (known != null && known.etag().equals(etag)) {
            return known.spec();
        }
        ApplicationGateway spec = decode(text);
        inHand.put(resourceKey, new Decoded(etag, spec));
        return spec;
    }

    /** Keeps the document just stored with {@code etag} in hand: the next reads of it need no parsing. */
    void keep(String resourceKey, String etag, ApplicationGateway spec) {
        inHand.put(resourceKey, new Decoded(etag, spec));
    }

    /** Forgets a deleted gateway's document. */
    void forget(String resourceKey) {
        inHand.remove(resourceKey);
    }

    /** The document with its secrets decrypted; throws {@link SecretCipher.MissingKey} when they cannot be. */
    ApplicationGateway decode(String text) {
        return Secrets.mapSecrets(json.readValue(text, ApplicationGateway.class), cipher::decrypt);
    }

    /** Whether the stored text still holds a secret in plaintext while a key is configured. */
    boolean needsEncryption(String text) {
        if (!cipher.enabled()) {
            return false;
        }
        boolean[] plaintext = {false};
        Secrets.mapSecrets(json.readValue(text, ApplicationGateway.class), v -> {
            plaintext[0] |= v != null && !SecretCipher.isEncrypted(v);
            return v;
        });
        return plaintext[0];
    }

    /** The stored text of {@code text} with every secret encrypted. */
    String reencrypted(String text) {
        return encrypted(decode(text));
    }

    private String encrypted(ApplicationGateway spec) {
        return json.writeValueAsString(Secrets.mapSecrets(spec, cipher::encrypt));
    }

    String errorJson(ApiError error) {
        return error == null ? null : json.writeValueAsString(error);
    }

    ApiError error(String errorJson) {
        return errorJson == null ? null : json.readValue(errorJson, ApiError.class);
    }
}
