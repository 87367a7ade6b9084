import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A demo backend for the README walkthrough: prints the PROXY header line each connection starts with,
 * then echoes everything else back. Run with the JDK alone: {@code java docs/examples/EchoBackend.java 15999}.
 */
public class EchoBackend {

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 15999;
        try (ServerSocket server = new ServerSocket(port, 50, java.net.InetAddress.getLoopbackAddress())) {
            System.out.println("echo backend listening on 127.0.0.1:" + port);
            while (true) {
                Socket s = server.accept();
                new Thread(() -> serve(s)).start();
            }
        }
    }

    private static void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] first = new byte[108];
            int n = 0;
            // The PROXY v1 header is one line ending in CRLF; read it byte by byte so no data is consumed.
            while (n < first.length && (n == 0 || first[n - 1] != '\n')) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                first[n++] = (byte) b;
            }
            String line = new String(first, 0, n, StandardCharsets.US_ASCII);
            if (line.startsWith("PROXY ")) {
                System.out.println("connection from " + s.getRemoteSocketAddress() + " says: " + line.strip());
            } else {
                System.out.println("connection from " + s.getRemoteSocketAddress() + " (no PROXY header)");
                out.write(first, 0, n);
            }
            in.transferTo(out);
        } catch (Exception e) {
            System.out.println("connection ended: " + e);
        }
    }
}
