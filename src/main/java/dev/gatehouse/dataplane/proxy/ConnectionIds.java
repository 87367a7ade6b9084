package dev.gatehouse.dataplane.proxy;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique ids of connections (PROXY v2 UNIQUE_ID, the access log): a random 48-bit prefix drawn once per process,
 * so that the ids of two replicas or two runs do not meet, then a dash and a counter in hexadecimal. At most 29
 * ASCII characters, well within the 128 bytes the PROXY protocol allows. One atomic increment and one short
 * string per connection; nothing random per connection. Thread-safe.
 */
final class ConnectionIds {

    private static final String PREFIX = prefix();
    private static final AtomicLong COUNTER = new AtomicLong();

    private ConnectionIds() {}

    private static String prefix() {
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random); // once per process; nextBytes does not wait for entropy
        return HexFormat.of().formatHex(random) + "-";
    }

    /** A new id, for example {@code 3f09a1c7e2b4-1a}. */
    static String next() {
        return PREFIX + Long.toHexString(COUNTER.incrementAndGet());
    }
}
