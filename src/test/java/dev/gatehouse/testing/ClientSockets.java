package dev.gatehouse.testing;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/** Plain client sockets of tests that watch Gatehouse end a connection. */
public final class ClientSockets {

    /** How long a read may block before the test fails. */
    public static final int READ_TIMEOUT_MILLIS = 20_000;

    private ClientSockets() {}

    /** A connection to {@code 127.0.0.1:port} whose reads time out after {@link #READ_TIMEOUT_MILLIS}. */
    public static Socket open(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(READ_TIMEOUT_MILLIS);
        return s;
    }

    /** The peer closed (EOF) or reset the connection; whatever came before (a TLS alert) is read; a timeout fails. */
    public static void assertEnds(Socket client) throws IOException {
        try {
            while (client.getInputStream().read() >= 0) {
                // drain what came before the close
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection was still open after " + READ_TIMEOUT_MILLIS + " ms", e);
        } catch (SocketException reset) {
            // a reset is a clean end too
        }
    }
}
