package io.imagebuilder.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.imagebuilder.imagebuild.params.BuildParamsParser;
import io.imagebuilder.problem.Location;
import io.imagebuilder.problem.Problems;
import io.imagebuilder.yaml.YMap;
import io.imagebuilder.yaml.YNode;
import io.imagebuilder.yaml.YamlReader;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.schema.CoreSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Converts a build_params document, or an inputs file with a build_params key, between JSON "
                + "(as the REST API takes it) and YAML (as TOSCA inputs take it), keeping the order of keys. "
                + "The document is checked first: exit 2 with every problem listed when it is invalid.")
final class ConvertCommand implements Callable<Integer> {

    enum Format { yaml, json }

    private static final String WRAPPER = "build_params";

    @Option(names = "--to", paramLabel = "FORMAT",
            description = "yaml or json (default: the other format than FILE's).")
    Format to;

    @Parameters(index = "0", paramLabel = "FILE",
            description = "A build_params document in JSON or YAML, or an inputs file with a build_params key.")
    Path file;

    @Option(names = "--stacktrace", description = "Print stack traces of errors.")
    boolean stacktrace;

    @Mixin
    TemplateSizeOption size;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        Problems problems = new Problems();
        String text = read(problems);
        Optional<YNode> root = text == null ? Optional.empty() : YamlReader.parse(text, file.toString(), problems,
                size.maxBytes());
        root.ifPresent(r -> BuildParamsParser.parse(buildParams(r), problems));
        problems.throwIfAny("checking build_params");

        // the tree as written, not the parsed parameters: key order, absent defaults and other inputs stay as is
        Object document = root.get().toPlain();
        Format format = to != null ? to : looksLikeJson(text) ? Format.yaml : Format.json;
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document));
        } else {
            // the core schema is the one YamlReader reads with, so strings such as "3.10" or "0x1F" come out quoted
            // list items indented under their key, as SODALITE's examples and the inputs files write them
            out.print(new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK)
                    .setIndent(2).setIndicatorIndent(2).setIndentWithIndicator(true)
                    .setSchema(new CoreSchema()).build()).dumpToString(document));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** An inputs file carries build_params under its own key; a bare document is build_params itself. */
    private static YNode buildParams(YNode root) {
        return root instanceof YMap map && map.has(WRAPPER) ? map.get(WRAPPER) : root;
    }

    /** JSON documents are objects; YAML ones start with a key, a comment or "---". */
    static boolean looksLikeJson(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\uFEFF' || Character.isWhitespace(c)) continue;
            return c == '{';
        }
        return false;
    }

    private String read(Problems problems) {
        try {
            if (YamlReader.tooLarge(Files.size(file), size.maxBytes(), file.toString(), problems)) return null;
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            problems.add(Location.file(file.toString()), "file not found");
        } catch (IOException e) {
            problems.add(Location.file(file.toString()), "cannot read file: " + e.getMessage());
        }
        return null;
    }
}
