package dev.gatehouse.faults;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A backend in a process of its own (so that its sockets count against its own open-files limit, not the test's):
 * accepts every connection, writes one byte {@code !} on it so the client can tell it reached a backend, and holds
 * it open without reading. Prints its port on the first line of its output; exits when its standard input closes.
 */
final class HoldingBackend {

    private HoldingBackend() {}

    public static void main(String[] args) throws IOException {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the test closes our input when it is done, or dies
                }
            } catch (IOException ignored) {
                // the same: the test is gone
            }
            System.exit(0);
        });
        watcher.setDaemon(true);
        watcher.start();
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
            System.out.println(((InetSocketAddress) server.getLocalAddress()).getPort());
            System.out.flush();
            List<SocketChannel> held = new ArrayList<>();
            while (true) {
                SocketChannel c = server.accept();
                c.write(ByteBuffer.wrap(new byte[] {'!'}));
                held.add(c);
            }
        }
    }
}
