package dev.gatehouse.gateway.store;

import dev.gatehouse.arm.ArmJsonConfiguration;
import dev.gatehouse.gateway.model.ApplicationGateway;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import tools.jackson.databind.json.JsonMapper;

/**
 * The document of each gateway as this host's data plane last applied it, one file per gateway in a local
 * directory, so that a starting process serves its listeners before the database and the API are up
 * (docs/operations.md, "Start-up and restarts"). A copy is written, with its secrets encrypted as in the database,
 * when a generation has been applied in full, and removed with the gateway or when it is stopped; the database
 * stays the truth, and the reconciler makes the data plane match it once it runs.
 * <p>Each file is written to a temporary name, forced to disk and renamed over the old one, so a crash leaves
 * the previous copy or the new one, never half of one; a file that does not read is skipped with a warning.
 * Files and directory are readable by the owner only. Thread-safe.
 */
public final class AppliedCopies {

    private static final Logger log = LoggerFactory.getLogger(AppliedCopies.class);
    private static final String SUFFIX = ".json";

    /**
     * {@code gatehouse.restore.*}.
     *
     * @param directory Where the last applied document of each gateway is kept for the next start (relative paths
     *                  from the working directory); empty: nothing is kept, and a start waits for the database.
     */
    @ConfigurationProperties("gatehouse.restore")
    public record Settings(
            @DefaultValue("data/last-applied") String directory) {}

    /** One gateway's last applied document. */
    public record Copy(String key, long generation, ApplicationGateway spec) {}

    /** The file's form: the key, the generation, and the document as stored (secrets encrypted when configured). */
    private record StoredCopy(String key, long generation, String document) {}

    private final Path directory;
    private final JsonMapper json = ArmJsonConfiguration.mapper();
    /** The document's form, as in the database: secrets encrypted when a key is configured. */
    private final StoredDocuments documents;
    /** The generation written last for each gateway key: a resync of an unchanged gateway writes nothing. */
    private final Map<String, Long> written = new ConcurrentHashMap<>();

    AppliedCopies(Settings settings, SecretCipher cipher) {
        String dir = settings.directory();
        this.directory = dir == null || dir.isBlank() ? null : Path.of(dir);
        this.documents = new StoredDocuments(json, cipher);
    }

    /** The copies of {@code settings}, read with {@code encryptionKey} ({@code gatehouse.security.encryption-key}). */
    public static AppliedCopies open(Settings settings, String encryptionKey) {
        return new AppliedCopies(settings, new SecretCipher(new SecretCipher.Settings(encryptionKey)));
    }

    /** Whether copies are kept at all. */
    public boolean enabled() {
        return directory != null;
    }

    /** Where they are kept, for messages; {@code null} when they are not. */
    public Path directory() {
        return directory;
    }

    /**
     * Keeps {@code spec} as the gateway's last applied document, unless this generation is already kept. A copy
     * that cannot be written is logged and skipped: it only costs the next start its head start.
     */
    public void write(String key, long generation, ApplicationGateway spec) {
        if (directory == null || Long.valueOf(generation).equals(written.get(key))) {
            return;
        }
        try {
            String document = documents.encrypted(spec);
            byte[] bytes = json.writeValueAsBytes(new StoredCopy(key, generation, document));
            ensureDirectory();
            Path target = fileOf(key);
            Path temp = directory.resolve(target.getFileName() + ".tmp");
            try (FileChannel out = FileChannel.open(
                    temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ownerOnly(temp, "rw-------");
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            move(temp, target);
            written.put(key, generation);
        } catch (IOException | RuntimeException e) {
            log.warn("Could not keep the applied copy of gateway {} in {}: {}", key, directory, e.toString());
        }
    }

    /** Forgets the gateway's copy: it is deleted or stopped, and the next start must not serve it. */
    public void delete(String key) {
        if (directory == null) {
            return;
        }
        try {
            Files.deleteIfExists(fileOf(key));
            written.remove(key);
        } catch (IOException e) {
            log.warn("Could not remove the applied copy of gateway {} in {}: {}", key, directory, e.toString());
        }
    }

    /** Whether there is a copy to read, without reading it. */
    public boolean any() {
        if (directory == null || !Files.isDirectory(directory)) {
            return false;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            return files.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Every copy that reads, with its secrets decrypted; an unreadable file (a foreign file, one a crash or a
     * disk error damaged, one encrypted with another key) is skipped with a warning.
     */
    public List<Copy> readAll() {
        List<Copy> copies = new ArrayList<>();
        if (directory == null || !Files.isDirectory(directory)) {
            return copies;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                try {
                    StoredCopy stored = json.readValue(Files.readAllBytes(file), StoredCopy.class);
                    copies.add(new Copy(stored.key(), stored.generation(), documents.decode(stored.document())));
                    written.put(stored.key(), stored.generation());
                } catch (IOException | RuntimeException e) {
                    log.warn("Skipping the applied copy {}: it does not read ({})", file, e.toString());
                }
            }
        } catch (IOException e) {
            log.warn("Could not read the applied copies in {}: {}", directory, e.toString());
        }
        return copies;
    }

    private Path fileOf(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return directory.resolve(HexFormat.of().formatHex(digest, 0, 16) + SUFFIX);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void ensureDirectory() throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
            ownerOnly(directory, "rwx------");
        }
    }

    private static void ownerOnly(Path path, String permissions) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        }
    }

    /** Renames {@code temp} over {@code target} and forces the directory entry to disk. */
    private void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException notSupported) {
            // Some file systems cannot open a directory; the rename is then as durable as they make it.
        }
    }
}
