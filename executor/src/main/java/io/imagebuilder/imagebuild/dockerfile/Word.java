package io.imagebuilder.imagebuild.dockerfile;

/** A word of an instruction's joined text, with where it is in that text ({@code [start, end)}). */
record Word(String text, int start, int end) {
}
