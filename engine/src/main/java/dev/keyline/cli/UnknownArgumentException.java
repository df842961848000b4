package dev.keyline.cli;

/** An argument the command does not know, found after picocli's parsing (commands that collect unmatched ones). */
final class UnknownArgumentException extends UsageException {

    private final String argument;

    UnknownArgumentException(String argument, String message) {
        super(message);
        this.argument = argument;
    }

    String argument() {
        return argument;
    }
}
