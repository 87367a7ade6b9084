package dev.gatehouse;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class GatehouseApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatehouseApplication.class, args);
    }
}
