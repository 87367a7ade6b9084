package dev.gatehouse.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes a Netty buffer leak a test failure instead of a log line. The build installs this detector
 * ({@code -Dio.netty.customResourceLeakDetector}, with {@code io.netty.leakDetection.level=paranoid}), and
 * the {@link Check} extension, registered for every test class, fails the class after which a leak was
 * reported.
 */
public final class FailingLeakDetector<T> extends ResourceLeakDetector<T> {

    static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    public FailingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    public FailingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        super(resourceType, samplingInterval);
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        LEAKS.add(resourceType + " leaked:" + records);
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        LEAKS.add(resourceType + " leaked (no records)");
        super.reportUntracedLeak(resourceType);
    }

    /**
     * Collects garbage, lets the detector look, and fails on anything it found during {@code during}: for test
     * engines the {@link Check} extension does not reach (jqwik's properties).
     */
    public static void assertNoLeaks(String during) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            // Leaks are reported when a later buffer is tracked; allocate a few to trigger it.
            for (int j = 0; j < 32; j++) {
                ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                probe.release();
            }
        }
        if (!LEAKS.isEmpty()) {
            String report = String.join("\n\n", LEAKS);
            LEAKS.clear();
            throw new AssertionError("Netty buffers leaked during " + during + ":\n" + report);
        }
    }

    /** After each test class: collect garbage, let the detector look, fail on anything it found. */
    public static final class Check implements AfterAllCallback {

        @Override
        public void afterAll(ExtensionContext context) throws InterruptedException {
            assertNoLeaks(context.getDisplayName());
        }
    }
}
