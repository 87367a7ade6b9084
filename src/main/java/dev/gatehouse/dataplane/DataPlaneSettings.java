package dev.gatehouse.dataplane;

import java.time.Duration;

/**
 * Process-wide data-plane tuning.
 *
 * @param threads         event-loop threads; 0 means one per CPU core
 * @param nativeTransport use epoll when the platform has it, before io_uring (else io_uring or NIO). Off by default:
 *                        Netty 4.2's epoll registration deletes a socket from epoll when its interest set becomes empty
 *                        (input ended, nothing to write) and later fails to re-arm it (epoll_ctl MOD: ENOENT),
 *                        which cuts half-closed connections short under backpressure. See docs/decisions.md.
 * @param connectTimeout  how long a connect to one backend server may take before the next is tried
 * @param bindTimeout     how long binding a listener may take before it is reported failed
 * @param openSsl         use OpenSSL (netty-tcnative BoringSSL) for TLS when it loads, else the JDK's TLS
 * @param tlsHandshakeTimeout how long a client or backend TLS handshake may take
 * @param shutdownDrainTimeout how long the process waits, when it stops, for open connections to finish
 * @param reusePort       bind listeners with SO_REUSEPORT, so that several Gatehouse processes on one host (replicas
 *                        sharing a database) can serve the same listener and the kernel spreads connections among
 *                        them. Within one process a port is still never shared between gateways.
 * @param maxConnectionsPerListener open client connections one listening socket accepts; more are closed at once
 * @param writeBufferHighWaterMark bytes queued towards one side of a connection before reading from the other
 *                        side pauses: with the read in flight, this bounds what one connection buffers
 * @param acceptPerEventLoop bind each listener once per event loop (SO_REUSEPORT) and keep every accepted
 *                        connection on the loop that accepted it: no hand-over between threads per connection.
 *                        Like {@code reusePort}, another process of the same user could then share the port.
 * @param pooledAllocator buffers from Netty's pooled allocator (per-thread caches of fixed size classes) rather than
 *                        Netty 4.2's default adaptive one, which under a bulk relay keeps falling back to fresh
 *                        direct buffers: measured in docs/benchmarks.md (allocation per MB relayed, throughput)
 * @param ioUring         use io_uring where the kernel allows it, unless epoll was asked for; NIO where neither
 *                        applies. On by default (decision (bi)): less CPU per connection and per TLS handshake than
 *                        NIO, with Netty's multishot POLLIN off, which left connections open behind clients that
 *                        reset (decision (bh))
 */
public record DataPlaneSettings(
        int threads,
        boolean nativeTransport,
        Duration connectTimeout,
        Duration bindTimeout,
        boolean openSsl,
        Duration tlsHandshakeTimeout,
        Duration shutdownDrainTimeout,
        boolean reusePort,
        int maxConnectionsPerListener,
        int writeBufferHighWaterMark,
        boolean acceptPerEventLoop,
        boolean pooledAllocator,
        boolean ioUring) {}
