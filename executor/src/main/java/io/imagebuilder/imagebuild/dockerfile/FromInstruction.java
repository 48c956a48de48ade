package io.imagebuilder.imagebuild.dockerfile;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A FROM instruction, read as {@code FROM [--platform=<platform>] <image> [AS <name>]}. The image is kept as a word
 * of the instruction text so that it alone can be replaced.
 *
 * @param name the stage name as written, or null
 * @param platform the value of {@code --platform} as written (it may use variables), or null
 */
record FromInstruction(Instruction instruction, Word image, String name, String platform) {

    /** BuildKit's rule, applied to the lower-cased name. */
    private static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9_.-]*");
    private static final String PLATFORM = "platform";

    static FromInstruction parse(Instruction instruction, char escape) throws DockerfileException {
        String text = instruction.text();
        Flags flags = Flags.extract(text, instruction.keywordEnd(), escape);
        List<Word> arguments = Words.split(text, flags.argumentsStart());
        String name = null;
        if (arguments.size() == 3 && arguments.get(1).text().equalsIgnoreCase("AS")) {
            name = arguments.get(2).text();
            if (!STAGE_NAME.matcher(name.toLowerCase(Locale.ROOT)).matches()) {
                throw new DockerfileException(instruction.lineNumber(), "invalid stage name \"" + name
                        + "\": it must start with a letter and hold only letters, digits, '-', '_' and '.'");
            }
        } else if (arguments.isEmpty()) {
            throw new DockerfileException(instruction.lineNumber(), "FROM needs an image");
        } else if (arguments.size() != 1) {
            String got = text.substring(flags.argumentsStart()).strip();
            throw new DockerfileException(instruction.lineNumber(),
                    "FROM takes <image> [AS <name>], got \"" + got + "\"");
        }
        return new FromInstruction(instruction, arguments.get(0), name, platform(flags, instruction.lineNumber()));
    }

    private static String platform(Flags flags, int lineNumber) throws DockerfileException {
        String platform = null;
        for (String flag : flags.words()) {
            String body = flag.substring(2);
            int equals = body.indexOf('=');
            String flagName = equals < 0 ? body : body.substring(0, equals);
            if (!flagName.equals(PLATFORM)) {
                throw new DockerfileException(lineNumber,
                        "FROM does not accept the flag --" + flagName + " (only --platform)");
            }
            if (equals < 0) {
                throw new DockerfileException(lineNumber, "the flag --platform of FROM needs a value");
            }
            if (platform != null) {
                throw new DockerfileException(lineNumber, "the flag --platform is given twice");
            }
            platform = body.substring(equals + 1);
        }
        return platform;
    }

    String imageName() {
        return image.text();
    }

    boolean hasName(String stageName) {
        return name != null && name.equalsIgnoreCase(stageName);
    }
}
