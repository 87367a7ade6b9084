package dev.gatehouse.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.arm.ArmJsonConfiguration;
import dev.gatehouse.dataplane.GatewaySnapshot;
import dev.gatehouse.gateway.model.ApplicationGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Golden files for the pure translator: {@code translator/<case>.in.json} (a stored document) must
 * translate to {@code <case>.out.json} (the data-plane snapshot). To accept a deliberate change, run with
 * {@code -Dgatehouse.golden.update=true} and review the diff of the .out.json files.
 */
class SnapshotTranslatorTests {

    private static final Path DIR = Path.of("src/test/resources/translator");
    private static final JsonMapper READ = ArmJsonConfiguration.mapper();
    private static final JsonMapper WRITE =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    static List<String> cases() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".in.json"))
                    .map(n -> n.substring(0, n.length() - ".in.json".length()))
                    .sorted()
                    .toList();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void translatesTheDocumentIntoTheExpectedSnapshot(String name) throws IOException {
        ApplicationGateway doc = READ.readValue(DIR.resolve(name + ".in.json").toFile(), ApplicationGateway.class);
        GatewaySnapshot snapshot = SnapshotTranslator.translate("gw-key", doc);
        String actual = WRITE.writeValueAsString(snapshot) + "\n";
        Path golden = DIR.resolve(name + ".out.json");
        if (Boolean.getBoolean("gatehouse.golden.update")) {
            Files.writeString(golden, actual);
        }
        assertThat(golden)
                .as("golden file for %s (create it with -Dgatehouse.golden.update=true)", name)
                .exists();
        assertThat(actual).isEqualTo(Files.readString(golden));
    }
}
