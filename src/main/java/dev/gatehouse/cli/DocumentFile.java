package dev.gatehouse.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code -f FILE}: the JSON document a command sends or takes names from; {@code -} is stdin. */
final class DocumentFile {

    @Option(
            names = {"-f", "--file"},
            paramLabel = "FILE",
            description = "The document (- for stdin). Missing -s/-g/-n are taken from its ARM id and name.")
    String file;

    /** The document, or null when no {@code -f} was given. */
    String readOrNull(InputStream stdin) {
        return file == null ? null : read(file, stdin);
    }

    /** The document; exit 2 when {@code -f} is missing, for {@code command}. */
    String require(String command, InputStream stdin) {
        if (file == null || file.isBlank()) {
            throw new UsageException("--file is required for '" + command + "'");
        }
        return read(file, stdin);
    }

    static String read(String file, InputStream stdin) {
        try {
            byte[] bytes = file.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(file));
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException("no such file: " + file);
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
