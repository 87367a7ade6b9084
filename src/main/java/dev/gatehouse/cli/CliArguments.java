package dev.gatehouse.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parsed command line: one command, then {@code --option value} pairs and flags. Options may also
 * come from the environment ({@code GATEHOUSE_URL}, {@code GATEHOUSE_SUBSCRIPTION},
 * {@code GATEHOUSE_RESOURCE_GROUP}), as CI jobs set them once.
 */
final class CliArguments {

    /** Options that take no value. */
    private static final Set<String> FLAGS = Set.of("wait", "help");
    private static final Map<String, String> SHORT = Map.of("-f", "file", "-g", "resource-group", "-n", "name",
            "-o", "output", "-s", "subscription", "-h", "help");
    private static final Set<String> KNOWN = Set.of("url", "subscription", "resource-group", "name", "file", "wait",
            "timeout", "output", "api-version", "if-match", "help", "token", "role", "scope");

    final String command;
    private final Map<String, String> options;

    private CliArguments(String command, Map<String, String> options) {
        this.command = command;
        this.options = options;
    }

    static CliArguments parse(List<String> args, Map<String, String> env) {
        if (args.isEmpty()) {
            throw new UsageException("no command given");
        }
        String command = args.get(0);
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            String name;
            String value = null;
            if (SHORT.containsKey(arg)) {
                name = SHORT.get(arg);
            } else if (arg.startsWith("--")) {
                name = arg.substring(2);
                int eq = name.indexOf('=');
                if (eq > 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
            } else {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            if (!KNOWN.contains(name)) {
                throw new UsageException("unknown option '--" + name + "'");
            }
            if (FLAGS.contains(name)) {
                options.put(name, value == null ? "true" : value);
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("option '--" + name + "' needs a value");
                }
                value = args.get(++i);
            }
            options.put(name, value);
        }
        putFromEnv(options, env, "url", "GATEHOUSE_URL");
        putFromEnv(options, env, "subscription", "GATEHOUSE_SUBSCRIPTION");
        putFromEnv(options, env, "resource-group", "GATEHOUSE_RESOURCE_GROUP");
        putFromEnv(options, env, "token", "GATEHOUSE_TOKEN");
        return new CliArguments(command, options);
    }

    private static void putFromEnv(Map<String, String> options, Map<String, String> env, String option, String variable) {
        String value = env.get(variable);
        if (!options.containsKey(option) && value != null && !value.isBlank()) {
            options.put(option, value);
        }
    }

    String get(String name) {
        return options.get(name);
    }

    String get(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    String require(String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new UsageException("--" + name + " is required for '" + command + "'");
        }
        return value;
    }

    boolean flag(String name) {
        return "true".equalsIgnoreCase(options.get(name));
    }

    /** {@code --timeout}: {@code 120s}, {@code 2m}, {@code 500ms} or ISO-8601 ({@code PT2M}). */
    Duration timeout(Duration fallback) {
        String value = options.get("timeout");
        if (value == null) {
            return fallback;
        }
        Matcher m = Pattern.compile("(\\d{1,9})(ms|s|m|h)?")
                .matcher(value.trim().toLowerCase(Locale.ROOT));
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
            return Duration.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new UsageException("--timeout '" + value + "' is not a duration (use 120s, 2m or PT2M)");
        }
    }

    /** A command line that cannot be run: exit code 2, with the usage. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
