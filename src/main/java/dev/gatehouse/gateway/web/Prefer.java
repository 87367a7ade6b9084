package dev.gatehouse.gateway.web;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** The {@code wait} preference of an RFC 7240 {@code Prefer} header: {@code Prefer: wait=10}. */
final class Prefer {

    static final String HEADER = "Prefer";

    private Prefer() {}

    /** The wait asked for, in whole seconds; empty when the header has none (or an unreadable one). */
    static Optional<Duration> waitOf(String header) {
        if (header == null) {
            return Optional.empty();
        }
        for (String preference : header.split(",")) {
            String[] parts = preference.split(";")[0].trim().split("=", 2);
            if (parts.length == 2 && parts[0].trim().toLowerCase(Locale.ROOT).equals("wait")) {
                String value = parts[1].trim().replace("\"", "");
                if (value.matches("\\d{1,6}")) {
                    return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
                }
            }
        }
        return Optional.empty();
    }
}
