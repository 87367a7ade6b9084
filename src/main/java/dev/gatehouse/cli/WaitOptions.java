package dev.gatehouse.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** {@code --wait} and {@code --timeout}, for the commands whose change the data plane applies asynchronously. */
final class WaitOptions {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

    @Option(names = "--wait", description = "Wait until the data plane applied the change (progress on stderr).")
    boolean wait;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "120s",
            description = "How long --wait waits: 120s (default), 2m, 500ms or ISO-8601 PT2M; then exit 5.")
    String timeout;

    /** {@code --timeout}: {@code 120s}, {@code 2m}, {@code 500ms}, a bare number of seconds, or ISO-8601. */
    Duration timeout() {
        return parse(timeout);
    }

    static Duration parse(String value) {
        Matcher m = SHORT.matcher(value.trim().toLowerCase(Locale.ROOT));
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2) == null ? "s" : m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofSeconds(n);
                };
            }
            return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new UsageException("--timeout '" + value + "' is not a duration (use 120s, 2m or PT2M)");
        }
    }
}
