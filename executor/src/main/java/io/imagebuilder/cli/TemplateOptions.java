package io.imagebuilder.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The template and inputs every template command takes, xOpera style. */
final class TemplateOptions {

    @Option(names = {"-i", "--inputs"}, paramLabel = "FILE",
            description = "YAML file of input values; repeat to layer several (later files win).")
    List<Path> inputs = new ArrayList<>();

    @Parameters(index = "0", paramLabel = "TEMPLATE", description = "The TOSCA service template.")
    Path template;

    @Mixin
    TemplateSizeOption size;

    @Option(names = "--stacktrace", description = "Print stack traces of errors.")
    boolean stacktrace;
}
