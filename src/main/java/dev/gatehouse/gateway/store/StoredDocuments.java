package dev.gatehouse.gateway.store;

import dev.gatehouse.arm.ApiError;
import dev.gatehouse.arm.Etags;
import dev.gatehouse.gateway.model.ApplicationGateway;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stored form of a document: its JSON, with certificate secrets encrypted when a key is configured, and
 * its etag, the hash of the plaintext form (so it does not change with each encryption's random nonce).
 * Stateless and thread-safe.
 */
@Component
class StoredDocuments {

    /** A document ready to store: the text to store and its etag. */
    record Encoded(String text, String etag) {
    }

    private final JsonMapper json;
    private final SecretCipher cipher;

    StoredDocuments(JsonMapper json, SecretCipher cipher) {
        this.json = json;
        this.cipher = cipher;
    }

    Encoded encode(ApplicationGateway spec) {
        String plain = json.writeValueAsString(spec);
        return new Encoded(cipher.enabled() ? encrypted(spec) : plain, Etags.of(plain));
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
