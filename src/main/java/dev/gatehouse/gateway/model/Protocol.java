package dev.gatehouse.gateway.model;

/** ARM's ApplicationGatewayProtocol. Gatehouse serves the Layer-4 ones, {@code Tcp} and {@code Tls}. */
public enum Protocol {
    Http,
    Https,
    Tcp,
    Tls;

    public boolean isLayer4() {
        return this == Tcp || this == Tls;
    }
}
