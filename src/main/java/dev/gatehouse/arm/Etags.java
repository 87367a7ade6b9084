package dev.gatehouse.arm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Entity tags derived from content, so an etag changes exactly when the content does, and the
 * precondition checks of HTTP (RFC 9110 section 13.1) against them.
 */
public final class Etags {

    private Etags() {}

    /** A weak etag in ARM's format, {@code W/"<hex>"}, from the canonical JSON of the content. */
    public static String of(String canonicalJson) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonicalJson.getBytes(StandardCharsets.UTF_8));
            return "W/\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /**
     * Checks {@code If-Match} and {@code If-None-Match} against the current etag ({@code null} when the
     * resource does not exist) and throws 412 {@code PreconditionFailed} when a condition fails.
     * Comparison is weak, as both ARM and RFC 9110 use for these headers on etags like ours.
     */
    public static void checkPreconditions(String ifMatch, String ifNoneMatch, String current, String what) {
        if (ifMatch != null && !ifMatch.isBlank()) {
            if (current == null) {
                throw ArmException.preconditionFailed(
                        "If-Match was given but " + what + " does not exist.", "If-Match");
            }
            if (!matchesAny(ifMatch, current)) {
                throw ArmException.preconditionFailed(
                        "If-Match " + ifMatch.trim() + " does not match the current etag " + current + " of " + what
                                + "; it was changed since you read it.",
                        "If-Match");
            }
        }
        if (ifNoneMatch != null && !ifNoneMatch.isBlank() && current != null && matchesAny(ifNoneMatch, current)) {
            throw ArmException.preconditionFailed(
                    "If-None-Match " + ifNoneMatch.trim() + " matches " + what + ", which already exists.",
                    "If-None-Match");
        }
    }

    private static boolean matchesAny(String header, String current) {
        String opaque = opaque(current);
        for (String candidate : header.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || opaque(tag).equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    /** The etag without its weakness prefix and quotes; bare tokens (no quotes) are accepted as sent by curl users. */
    private static String opaque(String tag) {
        String t = tag.startsWith("W/") ? tag.substring(2) : tag;
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            t = t.substring(1, t.length() - 1);
        }
        return t;
    }
}
