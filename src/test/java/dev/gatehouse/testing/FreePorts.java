package dev.gatehouse.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for listeners under test: free when asked, used right after, and never handed out twice in one JVM.
 * They come from below Linux's ephemeral range (32768 and up), so the kernel does not give the same number to
 * a client socket or to a later "any free port" request: a gateway stored by an earlier test (PostgreSQL keeps
 * them all for the run, and every application that starts applies them again) cannot take a later test's port.
 */
public final class FreePorts {

    private static final int FIRST = 20_000;
    private static final int LAST = 32_000;
    /** A random start, so that concurrent test JVMs on one machine seldom probe the same ports. */
    private static final AtomicInteger NEXT =
            new AtomicInteger(FIRST + ThreadLocalRandom.current().nextInt(8_000));

    private FreePorts() {}

    public static int next(String address) {
        for (int tries = 0; tries < LAST - FIRST; tries++) {
            int port = NEXT.getAndIncrement();
            if (port > LAST) {
                throw new IllegalStateException("no free test port left below " + LAST);
            }
            if (bindable(address, port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free test port on " + address);
    }

    public static int next() {
        return next("127.0.0.1");
    }

    private static boolean bindable(String address, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
