package io.imagebuilder.imagebuild.dockerfile;

import java.util.ArrayList;
import java.util.List;

/** The names an ARG instruction declares: {@code ARG <name>[=<default>] ...}, values possibly quoted. */
final class GlobalArgs {

    private GlobalArgs() {
    }

    static List<String> names(Instruction instruction, char escape) throws DockerfileException {
        List<Word> words = Words.shellWords(instruction.text(), instruction.keywordEnd(), escape);
        if (words.isEmpty()) {
            throw new DockerfileException(instruction.lineNumber(), "ARG requires at least one argument");
        }
        List<String> names = new ArrayList<>();
        for (Word word : words) {
            int equals = word.text().indexOf('=');
            String name = equals < 0 ? word.text() : word.text().substring(0, equals);
            if (name.isEmpty()) {
                throw new DockerfileException(instruction.lineNumber(),
                        "ARG needs a name before '=', got \"" + word.text() + "\"");
            }
            names.add(name);
        }
        return names;
    }
}
