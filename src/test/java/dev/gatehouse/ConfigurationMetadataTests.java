package dev.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration metadata that spring-boot-configuration-processor writes from the {@code @ConfigurationProperties}
 * records (what IDEs complete and show) documents every {@code gatehouse.*} key, and application.yml sets each to
 * the record's default: the docs and the defaults cannot drift apart.
 */
class ConfigurationMetadataTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String METADATA = "META-INF/spring-configuration-metadata.json";

    /** Every {@code gatehouse.*} property in the metadata on the classpath, by name. */
    private static Map<String, JsonNode> metadata() throws IOException {
        Map<String, JsonNode> properties = new TreeMap<>();
        for (URL url : Collections.list(
                ConfigurationMetadataTests.class.getClassLoader().getResources(METADATA))) {
            try (InputStream in = url.openStream()) {
                for (JsonNode p : JSON.readTree(in).path("properties")) {
                    if (p.path("name").asText().startsWith("gatehouse.")) {
                        properties.put(p.path("name").asText(), p);
                    }
                }
            }
        }
        return properties;
    }

    /** Every {@code gatehouse.*} key application.yml sets, with its value. */
    private static Map<String, String> applicationYml() {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yml"));
        Properties all = yaml.getObject();
        Map<String, String> keys = new TreeMap<>();
        all.forEach((k, v) -> {
            if (k.toString().startsWith("gatehouse.")) {
                keys.put(k.toString(), String.valueOf(v));
            }
        });
        return keys;
    }

    @Test
    void everyKeyInApplicationYmlIsInTheMetadataWithADescription() throws IOException {
        Map<String, JsonNode> metadata = metadata();
        Map<String, String> yml = applicationYml();
        assertThat(yml).as("gatehouse.* keys in application.yml").isNotEmpty();
        assertThat(metadata)
                .as("gatehouse.* keys in the generated " + METADATA)
                .containsKeys(yml.keySet().toArray(String[]::new));
        yml.keySet()
                .forEach(key -> assertThat(metadata.get(key).path("description").asText())
                        .as("description of %s", key)
                        .isNotBlank());
    }

    @Test
    void everyGatehouseKeyInTheMetadataHasADescription() throws IOException {
        metadata()
                .forEach((key, p) -> assertThat(p.path("description").asText())
                        .as("description of %s (Javadoc @param on its record component)", key)
                        .isNotBlank());
    }

    @Test
    void applicationYmlSetsEachKeyToItsRecordsDefault() throws IOException {
        Map<String, JsonNode> metadata = metadata();
        applicationYml().forEach((key, value) -> {
            JsonNode defaultValue = metadata.get(key).path("defaultValue");
            if (!defaultValue.isMissingNode()) {
                assertThat(value)
                        .as("%s in application.yml against the record's @DefaultValue", key)
                        .isEqualTo(defaultValue.asText());
            }
        });
    }
}
