package io.imagebuilder.imagebuild.dockerfile;

/** Replaces the characters {@code [from, to)} of one physical line's content. */
record Edit(int line, int from, int to, String replacement) {
}
