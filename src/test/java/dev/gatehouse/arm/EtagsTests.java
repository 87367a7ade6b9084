package dev.gatehouse.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EtagsTests {

    private static final String CURRENT = Etags.of("{\"a\":1}");

    @Test
    void theSameContentHasTheSameWeakEtagAndDifferentContentAnother() {
        assertThat(Etags.of("{\"a\":1}")).isEqualTo(CURRENT).matches("W/\"[0-9a-f]{32}\"");
        assertThat(Etags.of("{\"a\":2}")).isNotEqualTo(CURRENT);
    }

    @Test
    void ifMatchAcceptsTheCurrentTagInAnyFormAndStar() {
        String opaque = CURRENT.substring(3, CURRENT.length() - 1);
        for (String header : new String[] {CURRENT, "\"" + opaque + "\"", opaque, "*", "\"x\", " + CURRENT}) {
            Etags.checkPreconditions(header, null, CURRENT, "it");
        }
    }

    @Test
    void ifMatchRefusesAStaleTagOrAMissingResource() {
        assertThatThrownBy(() -> Etags.checkPreconditions("W/\"old\"", null, CURRENT, "it"))
                .isInstanceOfSatisfying(ArmException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(412);
                    assertThat(e.error().code()).isEqualTo("PreconditionFailed");
                    assertThat(e.error().target()).isEqualTo("If-Match");
                });
        assertThatThrownBy(() -> Etags.checkPreconditions("*", null, null, "it"))
                .isInstanceOf(ArmException.class);
    }

    @Test
    void ifNoneMatchStarRefusesAnExistingResourceOnly() {
        Etags.checkPreconditions(null, "*", null, "it");
        assertThatThrownBy(() -> Etags.checkPreconditions(null, "*", CURRENT, "it"))
                .isInstanceOfSatisfying(
                        ArmException.class, e -> assertThat(e.error().target()).isEqualTo("If-None-Match"));
    }
}
