package dev.gatehouse.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretCipherTests {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SECRET = "MIIKeQIBAzCCCj8GCSqGSIb3DQEHAaCCCjAEggos — pässwörd ✓";

    private final SecretCipher cipher = new SecretCipher(new SecretCipher.Settings(newKey()));

    @Test
    void whatIsEncryptedDecryptsToTheSameText() {
        String stored = cipher.encrypt(SECRET);

        assertThat(stored).startsWith("enc:v1:").doesNotContain("pässwörd");
        assertThat(cipher.decrypt(stored)).isEqualTo(SECRET);
    }

    @Test
    void encryptingTheSameTextTwiceGivesDifferentValuesBecauseEachHasItsOwnNonce() {
        String first = cipher.encrypt(SECRET);
        String second = cipher.encrypt(SECRET);

        assertThat(first).isNotEqualTo(second);
        assertThat(cipher.decrypt(first)).isEqualTo(cipher.decrypt(second)).isEqualTo(SECRET);
    }

    @Test
    void aValueEncryptedUnderAnotherKeyIsRefusedNamingBothKeyIds() {
        String stored = new SecretCipher(new SecretCipher.Settings(newKey())).encrypt(SECRET);

        assertThatThrownBy(() -> cipher.decrypt(stored))
                .isInstanceOf(SecretCipher.MissingKey.class)
                .hasMessageContaining("encrypted with key id " + keyIdOf(stored))
                .hasMessageContaining("gatehouse.security.encryption-key");
    }

    @Test
    void anEncryptedValueIsRefusedWhenNoKeyIsConfigured() {
        String stored = cipher.encrypt(SECRET);

        assertThatThrownBy(() -> new SecretCipher(new SecretCipher.Settings("")).decrypt(stored))
                .isInstanceOf(SecretCipher.MissingKey.class)
                .hasMessageContaining("is not set");
    }

    @Test
    void anAlteredCiphertextIsRefusedRatherThanDecryptedToSomethingElse() {
        String stored = cipher.encrypt(SECRET);
        int payload = stored.lastIndexOf(':') + 1;
        byte[] sealed = Base64.getDecoder().decode(stored.substring(payload));
        sealed[sealed.length / 2] ^= 1;
        String altered = stored.substring(0, payload) + Base64.getEncoder().encodeToString(sealed);

        assertThatThrownBy(() -> cipher.decrypt(altered))
                .isInstanceOf(SecretCipher.MissingKey.class)
                .hasMessageContaining("altered");
    }

    @Test
    void aTruncatedOrGarbledValueIsRefused() {
        String stored = cipher.encrypt(SECRET);
        String prefixAndId = stored.substring(0, stored.lastIndexOf(':') + 1);

        assertThatThrownBy(() -> cipher.decrypt(prefixAndId + "AAAA")).isInstanceOf(SecretCipher.MissingKey.class);
        assertThatThrownBy(() -> cipher.decrypt(prefixAndId + "not base64!"))
                .isInstanceOf(SecretCipher.MissingKey.class);
    }

    @Test
    void plaintextStoredBeforeAKeyWasConfiguredPassesThrough() {
        assertThat(SecretCipher.isEncrypted(SECRET)).isFalse();
        assertThat(cipher.decrypt(SECRET)).isEqualTo(SECRET);
        assertThat(cipher.decrypt(null)).isNull();
    }

    @Test
    void onlyValuesWithTheVersionPrefixCountAsEncrypted() {
        assertThat(SecretCipher.isEncrypted(cipher.encrypt(SECRET))).isTrue();
        assertThat(SecretCipher.isEncrypted("enc:v2:abcd:AAAA")).isFalse();
        assertThat(SecretCipher.isEncrypted("ENC:V1:abcd:AAAA")).isFalse();
        assertThat(SecretCipher.isEncrypted("")).isFalse();
        assertThat(SecretCipher.isEncrypted(null)).isFalse();
    }

    @Test
    void anEncryptedValueIsNotEncryptedAgain() {
        String stored = cipher.encrypt(SECRET);

        assertThat(cipher.encrypt(stored)).isEqualTo(stored);
    }

    @Test
    void withoutAKeyNothingIsEncrypted() {
        SecretCipher none = new SecretCipher(new SecretCipher.Settings(" "));

        assertThat(none.enabled()).isFalse();
        assertThat(none.encrypt(SECRET)).isEqualTo(SECRET);
        assertThat(cipher.enabled()).isTrue();
    }

    @Test
    void aKeyThatIsNotBase64OfThirtyTwoBytesIsAStartUpError() {
        assertThatThrownBy(() -> new SecretCipher(new SecretCipher.Settings("not base64!")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not base64");
        String sixteenBytes = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> new SecretCipher(new SecretCipher.Settings(sixteenBytes)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must be 32 bytes")
                .hasMessageContaining("not 16");
    }

    private static String newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** The key id in a stored value: {@code enc:v1:<key id>:<payload>}. */
    private static String keyIdOf(String stored) {
        return stored.substring("enc:v1:".length(), stored.lastIndexOf(':'));
    }
}
