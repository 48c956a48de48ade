package io.imagebuilder.problem;

/**
 * The bound on one value's length, checked before any pattern or parser reads the value: a regular expression or a
 * number parser given megabytes of text costs time and memory out of all proportion to what a value ever needs.
 */
public final class ValueLength {

    /**
     * Generous for every property value and build_params field (names, tags, URLs, paths, keys, certificates);
     * docker receives build arguments and labels on its command line, where one argument is at most 128 KiB anyway.
     */
    public static final int MAX = 65_536;

    private ValueLength() {
    }

    /**
     * What is wrong with text longer than {@link #MAX} characters, such as {@code value is 1048576 characters long;
     * at most 65536 are allowed} when {@code what} is "value"; null for any other text.
     */
    public static String problem(String what, String text) {
        if (text.length() <= MAX) return null;
        int characters = text.codePointCount(0, text.length());
        return characters <= MAX ? null : what + " is " + characters + " characters long; at most " + MAX
                + " are allowed";
    }
}
