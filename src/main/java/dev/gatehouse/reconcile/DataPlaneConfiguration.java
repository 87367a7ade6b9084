package dev.gatehouse.reconcile;

import dev.gatehouse.dataplane.DataPlane;
import dev.gatehouse.dataplane.DataPlaneSettings;
import dev.gatehouse.dataplane.proxy.NettyDataPlane;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Creates the embedded data plane from {@code gatehouse.dataplane.*}; the data plane itself knows no Spring. */
@Configuration(proxyBeanMethods = false)
class DataPlaneConfiguration {

    @ConfigurationProperties("gatehouse.dataplane")
    record Properties(
            @DefaultValue("0") int threads,
            @DefaultValue("false") boolean nativeTransport,
            @DefaultValue("5s") Duration connectTimeout,
            @DefaultValue("5s") Duration bindTimeout,
            @DefaultValue("true") boolean openSsl,
            @DefaultValue("10s") Duration tlsHandshakeTimeout) {
    }

    @Bean(destroyMethod = "close")
    DataPlane dataPlane(Properties p) {
        return new NettyDataPlane(new DataPlaneSettings(p.threads(), p.nativeTransport(), p.connectTimeout(),
                p.bindTimeout(), p.openSsl(), p.tlsHandshakeTimeout()));
    }
}
