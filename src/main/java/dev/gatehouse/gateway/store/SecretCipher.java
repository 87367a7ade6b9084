package dev.gatehouse.gateway.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Encrypts certificate secrets ({@code data}, {@code password}) at rest with AES-256-GCM under the key in
 * {@code gatehouse.security.encryption-key} (base64 of 32 bytes). A stored value reads
 * {@code enc:v1:<key id>:<base64 of 12-byte nonce, ciphertext and tag>}; the key id (first 4 bytes of the
 * key's SHA-256, in hex) tells which key a value needs, so a wrong key is named instead of failing as a bad tag.
 * Values without the prefix are plaintext (stored before a key was configured) and pass through.
 */
@Component
public class SecretCipher {

    static final String PREFIX = "enc:v1:";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String keyId;

    /**
     * The one key of {@code gatehouse.security.*} that the store owns; the rest is {@code SecuritySettings}'s,
     * which the store may not depend on.
     *
     * @param encryptionKey The key that encrypts certificate secrets at rest (AES-256-GCM): base64 of 32 random
     *                      bytes, e.g. from "openssl rand -base64 32". Unset: secrets are stored in plaintext.
     */
    @ConfigurationProperties("gatehouse.security")
    public record Settings(String encryptionKey) {}

    SecretCipher(Settings settings) {
        String configured = settings.encryptionKey();
        if (configured == null || configured.isBlank()) {
            this.key = null;
            this.keyId = null;
            return;
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(configured.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("gatehouse.security.encryption-key is not base64");
        }
        if (raw.length != 32) {
            throw new IllegalStateException("gatehouse.security.encryption-key must be 32 bytes (base64 of 32 random "
                    + "bytes, e.g. `openssl rand -base64 32`), not " + raw.length);
        }
        this.key = new SecretKeySpec(raw, "AES");
        this.keyId = keyIdOf(raw);
    }

    private static String keyIdOf(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean enabled() {
        return key != null;
    }

    static boolean isEncrypted(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    String encrypt(String plain) {
        if (plain == null || key == null || isEncrypted(plain)) {
            return plain;
        }
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD((PREFIX + keyId).getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return PREFIX + keyId + ":"
                    + Base64.getEncoder()
                            .encodeToString(ByteBuffer.allocate(12 + sealed.length)
                                    .put(nonce)
                                    .put(sealed)
                                    .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    String decrypt(String stored) {
        if (!isEncrypted(stored)) {
            return stored;
        }
        String rest = stored.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        String id = colon < 0 ? "?" : rest.substring(0, colon);
        if (key == null) {
            throw new MissingKey("Stored certificates are encrypted (key id " + id + ") but "
                    + "gatehouse.security.encryption-key is not set.");
        }
        if (!id.equals(keyId)) {
            throw new MissingKey("Stored certificates are encrypted with key id " + id + ", but the configured "
                    + "gatehouse.security.encryption-key has id " + keyId + ".");
        }
        try {
            byte[] all = Base64.getDecoder().decode(rest.substring(colon + 1));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
            c.updateAAD((PREFIX + keyId).getBytes(StandardCharsets.US_ASCII));
            return new String(c.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new MissingKey("A stored certificate secret does not decrypt with the configured key (id " + keyId
                    + "): the data was altered or written with another key.");
        }
    }

    /** Encrypted data that cannot be read with the configured key: a start-up error, never a silent default. */
    public static final class MissingKey extends IllegalStateException {
        MissingKey(String message) {
            super(message);
        }
    }
}
