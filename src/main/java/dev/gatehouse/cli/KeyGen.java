package dev.gatehouse.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * {@code gatehouse keygen --name ci --role Contributor --scope /subscriptions/<id>}: a new API key. Prints the
 * token once (give it to the caller) and the configuration that lets it in, which holds only its SHA-256.
 */
final class KeyGen {

    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyGen() {
    }

    static int run(CliArguments a, PrintStream out) {
        String name = a.get("name", "key-" + HexFormat.of().formatHex(bytes(3)));
        String role = a.get("role", "Contributor");
        if (!role.equals("Reader") && !role.equals("Contributor")) {
            throw new CliArguments.UsageException("--role must be Reader or Contributor");
        }
        String scope = a.get("scope", "");
        String token = "gh_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
        String hash = "sha256:" + HexFormat.of().formatHex(sha256(token));
        out.println("token: " + token);
        out.println();
        out.println("# Give the token to the caller (Authorization: Bearer <token>, or GATEHOUSE_TOKEN for the CLI).");
        out.println("# It is shown once; Gatehouse keeps only its hash. Add the key to the configuration:");
        out.println("gatehouse:");
        out.println("  security:");
        out.println("    api-keys:");
        out.println("      - name: " + name);
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
