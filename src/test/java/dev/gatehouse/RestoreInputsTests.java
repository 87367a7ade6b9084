package dev.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** What decides the listeners a start serves, and how two such settings are told apart. */
class RestoreInputsTests {

    private static RestoreInputs bind(Map<String, String> properties) {
        return RestoreInputs.bind(new Binder(new MapConfigurationPropertySource(properties)));
    }

    @Test
    void equalSettingsServeAlikeAndEachDifferenceIsNamedWithoutItsValue() {
        RestoreInputs base = bind(Map.of("gatehouse.security.encryption-key", "secret-one"));

        assertThat(bind(Map.of("gatehouse.security.encryption-key", "secret-one")))
                .isEqualTo(base);
        assertThat(base.differences(bind(Map.of("gatehouse.security.encryption-key", "secret-one"))))
                .isEmpty();
        RestoreInputs other = bind(Map.of(
                "gatehouse.security.encryption-key", "secret-two",
                "gatehouse.restore.directory", "/elsewhere",
                "gatehouse.dataplane.write-buffer-high-water-mark", "128KB",
                "gatehouse.probe.default-unhealthy-threshold", "5"));
        assertThat(other.differences(base))
                .containsExactly(
                        "gatehouse.restore",
                        "gatehouse.security.encryption-key",
                        "gatehouse.dataplane",
                        "gatehouse.probe");
        assertThat(other.toString()).doesNotContain("secret").contains("encryptionKey=(set)");
    }
}
