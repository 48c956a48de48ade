package io.imagebuilder.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** A password read from standard input's first line, so that it never appears in argv. */
final class PasswordStdin {

    private PasswordStdin() {
    }

    static String read(CommandSpec spec, String option) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null || line.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": standard input holds no password");
        }
        return line;
    }
}
