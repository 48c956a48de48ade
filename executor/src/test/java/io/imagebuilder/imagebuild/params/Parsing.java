package io.imagebuilder.imagebuild.params;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagebuilder.problem.Problem;
import io.imagebuilder.problem.Problems;

import java.util.List;

/** Parses documents written in tests, shown as bp.yaml so that problems read file:line:col: message. */
final class Parsing {

    static final String FILE = "bp.yaml";

    private Parsing() {
    }

    static BuildParams valid(String text) {
        Problems problems = new Problems();
        BuildParams params = BuildParamsParser.parse(text, FILE, problems);
        assertThat(problems.sorted()).isEmpty();
        assertThat(params).isNotNull();
        return params;
    }

    /** Every problem as printed; the document must be rejected. */
    static List<String> problems(String text) {
        Problems problems = new Problems();
        BuildParams params = BuildParamsParser.parse(text, FILE, problems);
        assertThat(params).isNull();
        return problems.sorted().stream().map(Problem::toString).toList();
    }

    /** A document whose target is fine, around a given source (indented as a value of source:). */
    static String withSource(String source) {
        return "source:\n" + source.indent(2) + """
                target:
                  images:
                    - image: app/web
                """;
    }

    /** A document whose source is fine, around a given target (indented as a value of target:). */
    static String withTarget(String target) {
        return """
                source:
                  path: /srv/app
                target:
                """ + target.indent(2);
    }
}
