package io.imagebuilder.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.time.Duration;

/** Time limits given in whole seconds, as TOSCA's operation timeout is. */
final class Seconds {

    private Seconds() {
    }

    /** The option's value as a duration; null when it was not given; a usage error when it is not positive. */
    static Duration positive(CommandSpec spec, String option, Long seconds) {
        if (seconds == null) return null;
        if (seconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must be at least 1 second, got "
                    + seconds);
        }
        return Duration.ofSeconds(seconds);
    }
}
