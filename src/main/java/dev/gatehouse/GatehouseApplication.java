package dev.gatehouse;

import dev.gatehouse.cli.Cli;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@EnableScheduling
@ConfigurationPropertiesScan
public class GatehouseApplication {

    private static final String NETTY_JFR = "io.netty.jfr.enabled";

    /** Runs the server, or the command-line client when the first argument is one of its commands. */
    public static void main(String[] args) {
        if (Cli.isCommand(args)) {
            System.exit(Cli.main(args, System.out, System.err));
        }
        // Netty's JFR events (buffer allocations) load classes of jdk.jfr on the way to the first listener and are
        // recorded only under a flight recording; -Dio.netty.jfr.enabled=true restores them (docs/decisions.md).
        if (System.getProperty(NETTY_JFR) == null) {
            System.setProperty(NETTY_JFR, "false");
        }
        SpringApplication application = new SpringApplication(GatehouseApplication.class);
        application.addListeners(new RestoreOnStart());
        application.run(args);
    }
}
