package dev.gatehouse.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** The default JDBC URL, read from application.yml, so that fault tests run what ships. */
final class DefaultDatabase {

    private DefaultDatabase() {}

    @SuppressWarnings("unchecked")
    static String url() {
        try (InputStream in = DefaultDatabase.class.getResourceAsStream("/application.yml")) {
            Map<String, Object> yaml = new Yaml().load(in);
            Map<String, Object> spring = (Map<String, Object>) yaml.get("spring");
            return (String) ((Map<String, Object>) spring.get("datasource")).get("url");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
