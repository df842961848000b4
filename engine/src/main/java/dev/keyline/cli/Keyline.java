package dev.keyline.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code keyline} command. */
@Command(name = "keyline", mixinStandardHelpOptions = true,
        description = "Batch provisioning of IoT device identities.")
public final class Keyline implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Keyline()).execute(args));
    }
}
