package io.imagebuilder.imagebuild.params;

import io.imagebuilder.problem.Problems;
import io.imagebuilder.problem.Quote;
import io.imagebuilder.yaml.YNode;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Paths inside a repository or build context (workdir, dockerfile, subdir). They are joined to a checkout on
 * the executor's machine, so they must stay inside it: an absolute path or {@code ../} could read any file.
 */
final class RelativePaths {

    private RelativePaths() {
    }

    static void check(String value, YNode at, String path, Problems problems) {
        if (value.isEmpty()) {
            problems.add(at, path + ": must not be empty");
            return;
        }
        if (!LocalPaths.plainCharacters(value, at, path, problems)) return;
        if (value.startsWith("/") || value.startsWith("\\") || value.matches("[A-Za-z]:[/\\\\].*")) {
            problems.add(at, path + ": " + Quote.of(value) + " is an absolute path; give a path relative to the "
                    + "repository root");
            return;
        }
        if (leavesRoot(value)) {
            problems.add(at, path + ": " + Quote.of(value) + " leads outside the repository root");
        }
    }

    /** Normalises {@code a/../b/./c} segment by segment; a ".." with nothing left to remove leaves the root. */
    static boolean leavesRoot(String value) {
        Deque<String> kept = new ArrayDeque<>();
        for (String segment : value.split("[/\\\\]+")) {
            if (segment.isEmpty() || segment.equals(".")) continue;
            if (!segment.equals("..")) kept.push(segment);
            else if (kept.isEmpty()) return true;
            else kept.pop();
        }
        return false;
    }
}
