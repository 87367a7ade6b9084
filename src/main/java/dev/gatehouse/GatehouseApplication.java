package dev.gatehouse;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@org.springframework.scheduling.annotation.EnableScheduling
@ConfigurationPropertiesScan
public class GatehouseApplication {

    /** Runs the server, or the command-line client when the first argument is one of its commands. */
    public static void main(String[] args) {
        if (dev.gatehouse.cli.Cli.isCommand(args)) {
            System.exit(dev.gatehouse.cli.Cli.main(args, System.out, System.err));
        }
        SpringApplication.run(GatehouseApplication.class, args);
    }
}
