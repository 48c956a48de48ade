package io.imagebuilder.imagebuild.dockerfile;

/**
 * The part of one physical line that an instruction's joined text takes: {@code text} starts at {@code column} of
 * line {@code line} (0-based), and stops before a line-continuation character.
 */
record Segment(int line, int column, String text) {
}
