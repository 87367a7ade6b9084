package dev.gatehouse.gateway.model;

/**
 * Gatehouse's extension of probes ({@code gatehouseProxyProtocolHeader}): the PROXY header a Tcp or Tls probe
 * sends. Absent: Azure's rule ({@code enableProbeProxyProtocolHeader}).
 */
public enum ProbeProxyProtocolHeader {
    /** No header. */
    None,
    /** {@code PROXY UNKNOWN\r\n}, as Azure sends. */
    V1,
    /** A PROXY v2 header with the LOCAL command and no address. */
    V2Local
}
