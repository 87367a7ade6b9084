package dev.gatehouse.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * When two listening sockets cannot both be bound. Shared by validation (two listeners of one document) and the
 * data plane (which socket must stop before another can bind), so both answer the same way.
 * <p>The answer is the one the JDK and Netty give on a host with IPv6: they open every TCP socket dual-stack
 * (IPv6 with {@code IPV6_V6ONLY} off) and bind {@code 0.0.0.0} as the IPv6 wildcard {@code ::}. Either wildcard
 * therefore takes its port on every address of both families: {@code 0.0.0.0:5000} refuses {@code [::1]:5000} as
 * well as {@code 127.0.0.1:5000}. Two specific addresses conflict only when they are equal; {@code 127.0.0.1} and
 * {@code ::1} do not. Measured with NIO, epoll and io_uring on Linux; {@code SocketAddressesIntegrationTests}
 * holds the rule against the kernel.
 */
public final class SocketAddresses {

    private SocketAddresses() {}

    /**
     * Whether {@code a} and {@code b} cannot both listen: the same port, and the same address or a wildcard
     * ({@code 0.0.0.0} or {@code ::}) on either side. Both must be resolved.
     */
    public static boolean overlap(InetSocketAddress a, InetSocketAddress b) {
        return overlap(a.getAddress(), a.getPort(), b.getAddress(), b.getPort());
    }

    /**
     * {@link #overlap(InetSocketAddress, InetSocketAddress)} for an address and a port not yet checked to be in
     * range (validation compares listeners before it reports a port out of range).
     */
    public static boolean overlap(InetAddress addressA, int portA, InetAddress addressB, int portB) {
        return portA == portB
                && (addressA.equals(addressB) || addressA.isAnyLocalAddress() || addressB.isAnyLocalAddress());
    }
}
