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

    /** Runs the server, or the command-line client when the first argument is one of its commands. */
    public static void main(String[] args) {
        if (Cli.isCommand(args)) {
            System.exit(Cli.main(args, System.out, System.err));
        }
        SpringApplication application = new SpringApplication(GatehouseApplication.class);
        application.addListeners(new RestoreOnStart());
        application.run(args);
    }
}
