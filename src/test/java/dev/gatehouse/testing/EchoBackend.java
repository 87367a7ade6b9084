package dev.gatehouse.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP backend that sends back whatever it receives, on every connection (probes included), so bytes flow both
 * ways through the listener under test. Plain blocking sockets, one daemon thread per connection.
 */
public final class EchoBackend implements AutoCloseable {

    private final ServerSocket server;

    private EchoBackend(ServerSocket server) {
        this.server = server;
        Thread acceptor = new Thread(this::acceptLoop, "echo-backend-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static EchoBackend start() throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        return new EchoBackend(server);
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread echo = new Thread(() -> echo(s), "echo-" + s.getPort());
                echo.setDaemon(true);
                echo.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void echo(Socket s) {
        try (s;
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream()) {
            byte[] buffer = new byte[16384];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (IOException ended) {
            // The proxy or a probe hung up: nothing to echo any more.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
