package io.imagebuilder.problem;

/** A place in a source file; line and column are 1-based, as editors count them. */
public record Location(String file, int line, int column) {

    public static Location of(String file, int line, int column) {
        return new Location(file, line, column);
    }

    /** A whole file, for problems that have no better place (a missing file, an import cycle). */
    public static Location file(String file) {
        return new Location(file, 0, 0);
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column : file;
    }
}
