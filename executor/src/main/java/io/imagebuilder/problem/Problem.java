package io.imagebuilder.problem;


/** One thing wrong with the user's input, worded for the user; always one line, whatever values it quotes. */
public record Problem(Location location, String message) {

    public Problem {
        message = Quote.controlsEscaped(message);
    }

    public static Problem at(Location location, String message) {
        return new Problem(location, message);
    }

    @Override
    public String toString() {
        return location + ": " + message;
    }
}
