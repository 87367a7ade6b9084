package dev.gatehouse;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Holds the log events of the start-up's first moments, before Spring Boot has configured logging (Boot's Logback
 * system drops every event until then), and replays them once it has, in the format and at the levels configured,
 * with their own time, thread and MDC. A Logback turbo filter placed first, so it sees each event before Boot's
 * filter drops it; it holds at most {@value #LIMIT} events and says how many it dropped past that. Level checks
 * without a message ({@code isDebugEnabled()}) answer as Boot's filter does (no): only what is logged is held.
 * Thread-safe: any thread may log while it holds, also while Boot configures logging (which resets Logback's
 * context and with it every turbo filter: this one puts itself back).
 */
final class HeldLogEvents extends TurboFilter {

    private static final int LIMIT = 2_000;
    private static final String FQCN = Logger.class.getName();
    private static final StackTraceElement[] NO_CALLER = new StackTraceElement[0];

    private record Held(
            String logger,
            Level level,
            String format,
            Object[] params,
            Throwable throwable,
            long millis,
            String thread,
            Map<String, String> mdc) {}

    private final LoggerContext context;
    private final List<Held> held = new ArrayList<>();
    private int dropped;
    private boolean holding = true;
    /**
     * Puts this filter back, first, when Boot's configuration of logging resets Logback's context (which removes
     * every turbo filter): the event loops of the restored listeners serve, and log (a refused backend, the access
     * log), while Boot configures logging on the main thread; without it those lines would be dropped.
     */
    private final LoggerContextListener keptFirst = new LoggerContextListener() {
        @Override
        public boolean isResetResistant() {
            return true;
        }

        @Override
        public void onReset(LoggerContext reset) {
            synchronized (HeldLogEvents.this) {
                if (holding && !reset.getTurboFilterList().contains(HeldLogEvents.this)) {
                    HeldLogEvents.this.start();
                    reset.getTurboFilterList().add(0, HeldLogEvents.this);
                }
            }
        }

        @Override
        public void onStart(LoggerContext started) {}

        @Override
        public void onStop(LoggerContext stopped) {}

        @Override
        public void onLevelChange(Logger logger, Level level) {}
    };

    private HeldLogEvents(LoggerContext context) {
        this.context = context;
    }

    /**
     * Called by Logback's reset before it clears the turbo filters. Boot stops the context before it resets it, and
     * the stop drops every listener, the reset-resistant ones too: the listener is registered again here, so that the
     * reset that follows finds it and puts this filter back.
     */
    @Override
    public void stop() {
        super.stop();
        synchronized (this) {
            if (holding && !context.getCopyOfListenerList().contains(keptFirst)) {
                context.addListener(keptFirst);
            }
        }
    }

    /** Starts holding the events of {@code Logback}'s context; {@code null} when SLF4J logs elsewhere. */
    static HeldLogEvents hold() {
        return LoggerFactory.getILoggerFactory() instanceof LoggerContext context ? hold(context) : null;
    }

    static HeldLogEvents hold(LoggerContext context) {
        HeldLogEvents filter = new HeldLogEvents(context);
        filter.setName("gatehouse-held-log-events");
        filter.setContext(context);
        filter.start();
        context.getTurboFilterList().add(0, filter);
        context.addListener(filter.keptFirst);
        return filter;
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format == null && t == null) {
            return FilterReply.NEUTRAL;
        }
        synchronized (this) {
            if (!holding) {
                return FilterReply.NEUTRAL;
            }
            if (held.size() < LIMIT) {
                held.add(new Held(
                        logger.getName(),
                        level,
                        format,
                        params == null ? null : params.clone(),
                        t,
                        System.currentTimeMillis(),
                        Thread.currentThread().getName(),
                        MDC.getCopyOfContextMap()));
            } else {
                dropped++;
            }
        }
        return FilterReply.DENY;
    }

    /**
     * Stops holding and logs what it held through the loggers as now configured (call it once logging is). Only the
     * first call does anything.
     */
    void replay() {
        List<Held> events;
        int lost;
        synchronized (this) {
            if (!holding) {
                return;
            }
            holding = false;
            events = new ArrayList<>(held);
            held.clear();
            lost = dropped;
        }
        context.getTurboFilterList().remove(this);
        context.removeListener(keptFirst);
        for (Held event : events) {
            Logger logger = context.getLogger(event.logger());
            if (logger.isEnabledFor(event.level())) {
                LoggingEvent replayed = new LoggingEvent(
                        FQCN, logger, event.level(), event.format(), event.throwable(), event.params());
                replayed.setTimeStamp(event.millis());
                replayed.setThreadName(event.thread());
                replayed.setCallerData(NO_CALLER);
                if (event.mdc() != null) {
                    replayed.setMDCPropertyMap(event.mdc());
                }
                logger.callAppenders(replayed);
            }
        }
        if (lost > 0) {
            context.getLogger(HeldLogEvents.class)
                    .warn("{} log events of the start-up, before logging was configured, were dropped", lost);
        }
    }
}
