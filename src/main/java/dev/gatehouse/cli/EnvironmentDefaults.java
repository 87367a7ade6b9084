package dev.gatehouse.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from the environment, as CI jobs set them once: {@code GATEHOUSE_URL} (or
 * {@code GATEHOUSE_ENDPOINT}), {@code GATEHOUSE_SUBSCRIPTION}, {@code GATEHOUSE_RESOURCE_GROUP},
 * {@code GATEHOUSE_TOKEN}. The command line wins; a blank variable counts as unset.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {

    static final Map<String, List<String>> VARIABLES = Map.of(
            "--url", List.of("GATEHOUSE_URL", "GATEHOUSE_ENDPOINT"),
            "--subscription", List.of("GATEHOUSE_SUBSCRIPTION"),
            "--resource-group", List.of("GATEHOUSE_RESOURCE_GROUP"),
            "--token", List.of("GATEHOUSE_TOKEN"));

    private final Map<String, String> env;

    EnvironmentDefaults(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option)) {
            return null;
        }
        for (String name : option.names()) {
            for (String variable : VARIABLES.getOrDefault(name, List.of())) {
                String value = env.get(variable);
                if (value != null && !value.isBlank()) {
                    return value;
                }
            }
        }
        return null;
    }
}
