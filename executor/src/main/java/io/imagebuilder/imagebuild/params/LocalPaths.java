package io.imagebuilder.imagebuild.params;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.yaml.YNode;

/** Paths on the machine running the executor (source.path, tar.path, build_context.path). */
final class LocalPaths {

    private LocalPaths() {
    }

    static void check(String value, YNode at, String path, Problems problems) {
        if (value.isEmpty()) {
            problems.add(at, path + ": must not be empty");
            return;
        }
        plainCharacters(value, at, path, problems);
    }

    /**
     * No file name needs NUL (which ends a path in the system calls) or a line break (which splits command lines
     * and logs); both come from a slip or from an attempt to smuggle something in.
     */
    static boolean plainCharacters(String value, YNode at, String path, Problems problems) {
        if (value.indexOf('\0') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            problems.add(at, path + ": must not contain NUL or line-break characters");
            return false;
        }
        return true;
    }
}
