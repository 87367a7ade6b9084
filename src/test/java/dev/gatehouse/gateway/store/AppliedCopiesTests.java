package dev.gatehouse.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.arm.ArmJsonConfiguration;
import dev.gatehouse.gateway.model.ApplicationGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local copies a starting process restores its listeners from, before it reads the database. */
class AppliedCopiesTests {

    private static final String KEY =
            "/subscriptions/s/resourcegroups/rg/providers/microsoft.network/" + "applicationgateways/tls";
    private static final String ENCRYPTION_KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @TempDir
    Path dir;

    private AppliedCopies copies(String encryptionKey) {
        return AppliedCopies.open(
                new AppliedCopies.Settings(dir.resolve("last-applied").toString()), encryptionKey);
    }

    private static ApplicationGateway document() throws Exception {
        return ArmJsonConfiguration.mapper()
                .readValue(
                        Path.of("src/test/resources/translator/tls-listener-and-tls-backend.in.json")
                                .toFile(),
                        ApplicationGateway.class);
    }

    @Test
    void aCopyReadsBackAsTheDocumentWithItsSecretsAndStoresThemEncryptedForTheOwnerOnly() throws Exception {
        ApplicationGateway doc = document();
        assertThat(copies(ENCRYPTION_KEY).any()).isFalse();
        copies(ENCRYPTION_KEY).write(KEY, 7, doc);

        assertThat(copies(null).any()).isTrue();
        assertThat(copies(ENCRYPTION_KEY).readAll()).singleElement().isEqualTo(new AppliedCopies.Copy(KEY, 7, doc));
        Path file = onlyFile();
        assertThat(Files.readString(file)).doesNotContain("\\\"secret\\\"").contains(SecretCipher.PREFIX);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void aCopyThatDoesNotReadIsSkippedAndTheOthersAreRestored() throws Exception {
        copies(ENCRYPTION_KEY).write(KEY, 1, document());
        copies(ENCRYPTION_KEY).write(KEY + "-2", 1, document());
        Files.writeString(dir.resolve("last-applied/damaged.json"), "{\"key\": \"x\", \"generation\": 1, \"docu");

        assertThat(copies(ENCRYPTION_KEY).readAll())
                .extracting(AppliedCopies.Copy::key)
                .containsExactlyInAnyOrder(KEY, KEY + "-2");
        assertThat(copies(Base64.getEncoder().encodeToString(new byte[] {
                            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
                            26, 27, 28, 29, 30, 31, 32
                        }))
                        .readAll())
                .as("copies encrypted with another key")
                .isEmpty();
    }

    @Test
    void aGenerationIsWrittenOnceAndADeletedGatewayLeavesNoCopy() throws Exception {
        AppliedCopies copies = copies(null);
        copies.write(KEY, 3, document());
        Files.delete(onlyFile());
        copies.write(KEY, 3, document());
        assertThat(copies(null).readAll()).as("a resync of generation 3 again").isEmpty();

        copies.write(KEY, 4, document());
        assertThat(copies(null).readAll())
                .extracting(AppliedCopies.Copy::generation)
                .containsExactly(4L);
        copies.delete(KEY);
        assertThat(copies(null).readAll()).isEmpty();
        assertThat(copies(null).any()).isFalse();
        assertThat(Files.list(dir.resolve("last-applied")))
                .as("no temporary file left")
                .isEmpty();
    }

    @Test
    void withoutADirectoryNothingIsKept() throws Exception {
        AppliedCopies off = AppliedCopies.open(new AppliedCopies.Settings(""), null);
        off.write(KEY, 1, document());
        assertThat(off.enabled()).isFalse();
        assertThat(off.readAll()).isEmpty();
        assertThat(Files.list(dir)).isEmpty();
    }

    private Path onlyFile() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("last-applied"))) {
            return files.reduce((a, b) -> {
                        throw new AssertionError("more than one file: " + a + ", " + b);
                    })
                    .orElseThrow();
        }
    }
}
