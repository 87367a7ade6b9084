package dev.gatehouse.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.gatehouse.testing.FreePorts;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The overlap rule against the real OS: the kernel refuses exactly the second binds the rule predicts. */
class SocketAddressesIntegrationTests {

    private static final List<String> ADDRESSES = List.of("0.0.0.0", "127.0.0.1", "::", "::1");

    @Test
    void theRuleRefusesExactlyWhatTheKernelRefuses() throws IOException {
        assumeThat(bindsIpv6Loopback()).as("IPv6 loopback available").isTrue();
        List<String> mismatches = new ArrayList<>();
        for (String first : ADDRESSES) {
            for (String second : ADDRESSES) {
                // Free on every address and below the ephemeral range: a refusal can only come from the first bind,
                // never from another socket that happens to hold the port on the second address.
                InetSocketAddress held = new InetSocketAddress(InetAddress.getByName(first), FreePorts.next("0.0.0.0"));
                try (ServerSocketChannel a = listen(held)) {
                    InetSocketAddress wanted = new InetSocketAddress(InetAddress.getByName(second), held.getPort());
                    boolean refused = refuses(wanted);
                    if (refused != SocketAddresses.overlap(held, wanted)) {
                        mismatches.add(first + " then " + second + ": kernel " + (refused ? "refused" : "allowed"));
                    }
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    private static boolean refuses(InetSocketAddress address) throws IOException {
        try (ServerSocketChannel b = listen(address)) {
            return false;
        } catch (BindException e) {
            return true;
        }
    }

    private static ServerSocketChannel listen(InetSocketAddress address) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true); // as the data plane's listeners
            channel.bind(address);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    private static boolean bindsIpv6Loopback() {
        try (ServerSocketChannel c = listen(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
