import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Idle connections for the memory measurement of bench/run.sh, JDK only (Java 17, single-file launch:
 * {@code java bench/IdleConnections.java ...}).
 *
 * <pre>
 *   server PORT COUNT_FILE                    accepts and holds connections, never writes; closes a connection
 *                                             when its peer does. COUNT_FILE always holds the number open.
 *   client HOST PORT N READY_FILE [SECONDS]   writes "started" to READY_FILE and waits for the file READY_FILE.go;
 *                                             then opens N connections one after the other, writes N to
 *                                             READY_FILE, and holds them SECONDS (default: until killed)
 * </pre>
 *
 * The server runs on one thread with a selector, so its own cost does not depend on N. The client exits with
 * status 1 if a connect fails (and writes "failed after K" to READY_FILE). The client waits for the go file so
 * that the caller can take its "before" reading while the client's JVM already runs: a new JVM maps the same
 * shared libraries as another JVM (libjvm, the CDS archive), which lowers that JVM's PSS.
 */
public class IdleConnections {

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("server")) {
            server(Integer.parseInt(args[1]), Path.of(args[2]));
        } else if (args.length >= 5 && args[0].equals("client")) {
            long seconds = args.length >= 6 ? Long.parseLong(args[5]) : Long.MAX_VALUE / 2000;
            client(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Path.of(args[4]), seconds);
        } else {
            System.err.println("usage: IdleConnections server PORT COUNT_FILE | client HOST PORT N READY_FILE [SECONDS]");
            System.exit(2);
        }
    }

    private static void server(int port, Path countFile) throws IOException {
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress("127.0.0.1", port), 4096);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        ByteBuffer scratch = ByteBuffer.allocate(4096);
        int open = 0;
        int written = -1;
        writeCount(countFile, 0);
        written = 0;
        System.out.println("holding connections on 127.0.0.1:" + port);
        System.out.flush();
        while (true) {
            selector.select(50);
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                if (!key.isValid()) {
                    continue;
                }
                if (key.isAcceptable()) {
                    SocketChannel c;
                    while ((c = server.accept()) != null) {
                        c.configureBlocking(false);
                        c.register(selector, SelectionKey.OP_READ);
                        open++;
                    }
                } else if (key.isReadable()) {
                    SocketChannel c = (SocketChannel) key.channel();
                    int n;
                    try {
                        scratch.clear();
                        n = c.read(scratch);
                    } catch (IOException e) {
                        n = -1;
                    }
                    if (n < 0) {
                        key.cancel();
                        c.close();
                        open--;
                    }
                }
            }
            if (open != written) {
                writeCount(countFile, open);
                written = open;
            }
        }
    }

    private static void writeCount(Path file, int n) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, n + "\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void client(String host, int port, int n, Path readyFile, long seconds) throws Exception {
        List<SocketChannel> open = new ArrayList<>(n);
        InetSocketAddress target = new InetSocketAddress(host, port);
        Path go = readyFile.resolveSibling(readyFile.getFileName() + ".go");
        Files.writeString(readyFile, "started\n");
        while (!Files.exists(go)) {
            Thread.sleep(20);
        }
        for (int i = 0; i < n; i++) {
            try {
                SocketChannel c = SocketChannel.open();
                c.connect(target);
                open.add(c);
            } catch (IOException e) {
                Files.writeString(readyFile, "failed after " + i + ": " + e + "\n");
                System.err.println("connect " + (i + 1) + " of " + n + " failed: " + e);
                System.exit(1);
            }
        }
        Files.writeString(readyFile, n + "\n");
        Thread.sleep(seconds * 1000);
        for (SocketChannel c : open) {
            c.close();
        }
    }
}
