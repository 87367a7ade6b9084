package dev.gatehouse.cli;

import java.io.InputStream;
import java.util.Map;

/**
 * The values of an ARM template's parameters: {@code --parameter NAME=VALUE} ({@code VALUE} {@code @FILE} reads
 * the file, without its final line break), else {@code GATEHOUSE_PARAMETER_<NAME>}, else the template's default.
 */
final class TemplateParameters {

    static final String ENV_PREFIX = "GATEHOUSE_PARAMETER_";

    private final Map<String, String> given;
    private final Map<String, String> env;

    TemplateParameters(Map<String, String> given, Map<String, String> env) {
        this.given = given;
        this.env = env;
    }

    /** The names given on the command line, to refuse those the template does not declare. */
    Iterable<String> givenNames() {
        return given.keySet();
    }

    /** The value of parameter {@code name}, or null when neither the command line nor the environment gives one. */
    String value(String name) {
        String value = given.get(name);
        if (value != null && value.startsWith("@")) {
            value = DocumentFile.read(value.substring(1), InputStream.nullInputStream())
                    .stripTrailing();
        }
        if (value == null) {
            value = env.get(ENV_PREFIX + name);
        }
        return value;
    }
}
