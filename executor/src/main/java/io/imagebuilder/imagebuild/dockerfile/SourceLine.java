package io.imagebuilder.imagebuild.dockerfile;

/**
 * One physical line: its content, and the line ending that followed it ({@code "\n"}, {@code "\r\n"}, or empty for a
 * last line without one). Keeping the ending apart is what lets unchanged lines come out byte for byte.
 */
record SourceLine(String content, String ending) {

    String render() {
        return content + ending;
    }
}
