package dev.gatehouse.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 7240's {@code Prefer} header, as far as Gatehouse reads it: the {@code wait} preference. */
class PreferTests {

    @ParameterizedTest(name = "[{index}] Prefer: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            wait=10                          | 10
            wait=0                           | 0
            WAIT=3                           | 3
            Wait=3                           | 3
            '  wait = 4  '                   | 4
            wait="5"                         | 5
            wait=6; foo=bar                  | 6
            respond-async, wait=7            | 7
            return=minimal,wait=8,handling=lenient | 8
            wait=2, wait=9                   | 2
            wait=999999                      | 999999
            """)
    void readsTheWaitPreferenceInWholeSeconds(String header, long seconds) {
        assertThat(Prefer.waitOf(header)).contains(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest(name = "[{index}] Prefer: {0}")
    @ValueSource(
            strings = {
                "respond-async",
                "return=minimal",
                "wait",
                "wait=",
                "wait=soon",
                "wait=-1",
                "wait=1.5",
                "wait=1e3",
                "wait=1234567",
                "wait=99999999999999999999",
                "waiting=5",
                "x-wait=5",
                "wait=5s",
                ";wait=5",
                "   ",
                ","
            })
    void hasNoWaitWhenTheHeaderAsksForNoneOrAnUnreadableOne(String header) {
        assertThat(Prefer.waitOf(header)).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    void hasNoWaitWithoutAHeader(String header) {
        assertThat(Prefer.waitOf(header)).isEmpty();
    }
}
