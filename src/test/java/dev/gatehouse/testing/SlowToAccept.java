package dev.gatehouse.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A listening port on loopback whose accept queue is full: the kernel drops further SYNs, so a connect hangs as on
 * a host slow to accept, until the connect timeout of whoever tries.
 */
public final class SlowToAccept implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> fillers = new ArrayList<>();

    private SlowToAccept(ServerSocket server) {
        this.server = server;
    }

    /** Opens the port and fills its queue of one (a few connects, until one times out). */
    public static SlowToAccept start() throws IOException {
        SlowToAccept slow = new SlowToAccept(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
        try {
            for (int i = 0; i < 4; i++) {
                Socket s = new Socket();
                try {
                    s.connect(slow.server.getLocalSocketAddress(), 300);
                } catch (SocketTimeoutException queueFull) {
                    s.close();
                    break;
                }
                slow.fillers.add(s);
            }
        } catch (IOException | RuntimeException e) {
            slow.close();
            throw e;
        }
        return slow;
    }

    public int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        for (Socket s : fillers) {
            s.close();
        }
        server.close();
    }
}
