package dev.gatehouse.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw TCP backend that hands every accepted connection to the test, so the test sees the exact bytes
 * the proxy sent (header included) and decides what to answer. Plain blocking sockets: nothing here
 * shares code with the proxy under test.
 */
public final class CaptureBackend implements AutoCloseable {

    /** How long {@link #accept()} waits: generous, since a loaded machine may be slow to connect and to accept. */
    private static final int ACCEPT_SECONDS = 20;
    /** How long a read of an accepted connection waits. */
    private static final int READ_MILLIS = 30_000;

    private final ServerSocket server;
    private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
    private final List<Socket> all = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private CaptureBackend(ServerSocket server) {
        this.server = server;
        this.acceptor = new Thread(this::acceptLoop, "capture-backend-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens on {@code address} (for example 127.0.0.1 or ::1) on a free port. */
    public static CaptureBackend start(String address) throws IOException {
        return start(address, 0);
    }

    /** Listens on {@code address} and {@code port}; pool servers share the settings' port, so tests need this. */
    public static CaptureBackend start(String address, int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(address), port), 50);
        return new CaptureBackend(server);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setSoTimeout(READ_MILLIS);
                all.add(s);
                accepted.add(s);
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** The next connection the proxy made, waiting up to {@value #ACCEPT_SECONDS} s. */
    public Socket accept() throws InterruptedException {
        Socket s = accepted.poll(ACCEPT_SECONDS, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError(
                    "the backend on port " + port() + " received no connection within " + ACCEPT_SECONDS + " s");
        }
        return s;
    }

    /** A connection the relay made, and the PROXY v1 line it began with (without its CRLF). */
    public record Relayed(Socket socket, String header) {}

    /**
     * The next connection the relay made for a gateway that preserves the client IP with a v1 header, recognised by
     * its first line ({@code PROXY TCP4 ...} or {@code PROXY TCP6 ...}), which is read here; a connection that does not
     * begin so (a health probe of any gateway in the shared application: nothing, {@code PROXY UNKNOWN} or a v2 LOCAL
     * header) is closed and skipped. Waits up to {@value #ACCEPT_SECONDS} s in all.
     */
    public Relayed acceptRelayed() throws InterruptedException {
        Relayed relayed = nextRelayed(System.nanoTime() + TimeUnit.SECONDS.toNanos(ACCEPT_SECONDS), 5_000);
        if (relayed == null) {
            throw new AssertionError("the backend on port " + port() + " received no connection from the relay within "
                    + ACCEPT_SECONDS + " s");
        }
        return relayed;
    }

    /** A connection if one arrives within {@code millis}, else {@code null}. */
    public Socket poll(long millis) throws InterruptedException {
        return accepted.poll(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Accepts every connection that arrives within {@code millis} and returns the first lines of those the relay
     * made ({@link #acceptRelayed}: a PROXY v1 line naming a client), with their source, closing them; for tests
     * whose gateway preserves the client IP with a v1 header and that must see no further proxied connection. Other
     * connections are read briefly, closed and left out: a health probe (of any gateway, including one an earlier
     * test left applied) is not a connection the relay made for a client.
     */
    public List<String> proxiedConnectionsWithin(long millis) throws InterruptedException {
        List<String> proxied = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (Relayed r; (r = nextRelayed(deadline, 500)) != null; ) {
            proxied.add(r.header() + " (from " + r.socket().getRemoteSocketAddress() + ")");
            close(r.socket());
        }
        return proxied;
    }

    /**
     * The next connection before {@code deadline} (System.nanoTime) whose first line, read within
     * {@code readMillis}, is a relay's PROXY v1 line; the others are closed. {@code null} when none came in time.
     */
    private Relayed nextRelayed(long deadline, int readMillis) throws InterruptedException {
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            Socket s = accepted.poll(left, TimeUnit.NANOSECONDS);
            if (s == null) {
                return null;
            }
            String first = firstLine(s, readMillis);
            if (first.startsWith("PROXY TCP4 ") || first.startsWith("PROXY TCP6 ")) {
                return new Relayed(s, first);
            }
            close(s);
        }
        return null;
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // only read
        }
    }

    /**
     * What the peer sent first: up to the first line feed (a v1 header is at most 107 bytes), the end of the
     * stream or {@code timeoutMillis} of silence, whichever comes first, without the line's CRLF; non-printable
     * bytes as {@code \xNN}. The socket's read timeout is then what the accept gave it again.
     */
    private static String firstLine(Socket s, int timeoutMillis) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            s.setSoTimeout(timeoutMillis);
            InputStream in = s.getInputStream();
            for (int b; bytes.size() < 108 && (b = in.read()) != -1; ) {
                if (b == '\n') {
                    break;
                }
                bytes.write(b);
            }
            s.setSoTimeout(READ_MILLIS);
        } catch (IOException timeoutOrReset) {
            // what arrived so far
        }
        byte[] line = bytes.toByteArray();
        int length = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b >= 0x20 && b < 0x7f) {
                text.append((char) b);
            } else {
                text.append(String.format("\\x%02x", b & 0xFF));
            }
        }
        return text.toString();
    }

    /** Everything the peer sends until it closes its side. */
    public static byte[] readToEnd(Socket s) throws IOException {
        return s.getInputStream().readAllBytes();
    }

    /** Reads until {@code n} bytes have arrived (or the stream ends). */
    public static byte[] readN(Socket s, int n) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream(n);
        byte[] buf = new byte[Math.min(n, 8192)];
        while (out.size() < n) {
            int r = in.read(buf, 0, Math.min(buf.length, n - out.size()));
            if (r < 0) {
                break;
            }
            out.write(buf, 0, r);
        }
        return out.toByteArray();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : all) {
            s.close();
        }
    }
}
