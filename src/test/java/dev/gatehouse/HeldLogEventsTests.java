package dev.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Log events of the moments before logging is configured are held, then written as configured, none lost. */
class HeldLogEventsTests {

    @Test
    void heldEventsAreWrittenOnReplayWithTheirTimeThreadAndMdcAndAtTheLevelsConfiguredThen() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger logger = context.getLogger("dev.gatehouse.held-test");
        ListAppender<ILoggingEvent> written = new ListAppender<>();
        written.setContext(context);
        written.start();
        logger.addAppender(written);
        logger.setAdditive(false);
        try {
            HeldLogEvents held = HeldLogEvents.hold();
            long before = System.currentTimeMillis();
            Thread other = new Thread(() -> logger.info("served {} of {}", 1, 2), "restore-thread");
            other.start();
            other.join();
            logger.debug("a detail");
            MDC.put("requestId", "r1");
            logger.warn("a warning", new IllegalStateException("why"));
            MDC.remove("requestId");
            long after = System.currentTimeMillis();
            assertThat(written.list).isEmpty();

            Thread.sleep(50);
            logger.setLevel(Level.INFO);
            held.replay();

            assertThat(written.list)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("served 1 of 2", "a warning");
            ILoggingEvent first = written.list.get(0);
            assertThat(first.getThreadName()).isEqualTo("restore-thread");
            assertThat(first.getTimeStamp()).isBetween(before, after);
            assertThat(written.list.get(1).getThrowableProxy().getMessage()).isEqualTo("why");
            assertThat(written.list.get(1).getMDCPropertyMap()).containsEntry("requestId", "r1");

            logger.info("after");
            assertThat(written.list).hasSize(3);
        } finally {
            logger.detachAppender(written);
            logger.setAdditive(true);
            logger.setLevel(null);
        }
    }

    @Test
    void eventsLoggedAfterBootResetsLogbacksContextAreStillHeldUntilTheReplay() throws Exception {
        LoggerContext context = new LoggerContext(); // its own: a reset of the tests' context would undo their logging
        Logger logger = context.getLogger("dev.gatehouse.held-test");
        HeldLogEvents held = HeldLogEvents.hold(context);
        logger.info("before the reset");

        // As Boot's configuration of logging does (LogbackLoggingSystem.stopAndReset): the stop drops every listener,
        // the reset every turbo filter.
        context.stop();
        context.reset();
        Thread other = new Thread(() -> logger.info("served {} of {}", 1, 1), "restore-thread");
        other.start();
        other.join();

        ListAppender<ILoggingEvent> written = new ListAppender<>();
        written.setContext(context);
        written.start();
        logger.addAppender(written);
        assertThat(written.list).isEmpty();
        held.replay();
        assertThat(written.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("before the reset", "served 1 of 1");
        assertThat(context.getTurboFilterList()).isEmpty();
        assertThat(context.getCopyOfListenerList()).isEmpty();
        logger.info("after");
        assertThat(written.list).hasSize(3);
    }
}
