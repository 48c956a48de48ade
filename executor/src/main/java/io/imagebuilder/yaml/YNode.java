package io.imagebuilder.yaml;

/** A YAML value that remembers where it was written. */
public sealed interface YNode permits YScalar, YSeq, YMap {

    Location location();

    /** The value without locations: String, Long, BigInteger, Double, Boolean, null, List or Map. */
    Object toPlain();

    /** A word for messages: "a map", "a list", "the string \"x\"", "the integer 5". */
    String describe();
}
