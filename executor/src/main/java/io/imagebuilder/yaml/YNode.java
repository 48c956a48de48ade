package io.imagebuilder.yaml;

import io.imagebuilder.problem.Located;
import io.imagebuilder.problem.Location;

/** A YAML value that remembers where it was written. */
public sealed interface YNode extends Located permits YScalar, YSeq, YMap {

    /** The value without locations: String, Long, BigInteger, Double, Boolean, null, List or Map. */
    Object toPlain();

    /** A word for messages: "a map", "a list", "the string \"x\"", "the integer 5". */
    String describe();
}
