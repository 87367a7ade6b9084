package dev.gatehouse.cli;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gatehouse keygen --name ci --role Contributor --scope /subscriptions/<id>}: a new API key. Prints the
 * token once (give it to the caller) and the configuration that lets it in, which holds only its SHA-256.
 */
@Command(
        name = "keygen",
        description = {"A new API key: the token, and the configuration holding its hash. " + "Needs no server."})
final class KeygenCommand implements Callable<Integer> {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Mixin
    HelpOption help;

    @Option(
            names = {"-n", "--name"},
            paramLabel = "NAME",
            description = "The key's name (default key-<random>).")
    String name;

    @Option(
            names = "--role",
            paramLabel = "Reader|Contributor",
            defaultValue = "Contributor",
            description = "Default ${DEFAULT-VALUE}.")
    String role;

    @Option(
            names = "--scope",
            paramLabel = "/subscriptions/ID[/resourceGroups/RG]",
            defaultValue = "",
            description = "What the key may touch (default: everything).")
    String scope;

    private final Terminal terminal;

    KeygenCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        if (!role.equals("Reader") && !role.equals("Contributor")) {
            throw new UsageException("--role must be Reader or Contributor");
        }
        String keyName = name == null ? "key-" + HexFormat.of().formatHex(bytes(3)) : name;
        String token = "gh_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
        String hash = "sha256:" + HexFormat.of().formatHex(sha256(token));
        var out = terminal.out();
        out.println("token: " + token);
        out.println();
        out.println("# Give the token to the caller (Authorization: Bearer <token>, or GATEHOUSE_TOKEN for the CLI).");
        out.println("# It is shown once; Gatehouse keeps only its hash. Add the key to the configuration:");
        out.println("gatehouse:");
        out.println("  security:");
        out.println("    api-keys:");
        out.println("      - name: " + keyName);
        out.println("        hash: " + hash);
        out.println("        role: " + role);
        if (!scope.isBlank()) {
            out.println("        scope: " + scope);
        }
        return ExitCode.OK;
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
