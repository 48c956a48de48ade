package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;

/** A name or reference as written in a template, with where it was written. */
public record Name(String value, Location location) {

    public static Name of(String value, Location location) {
        return new Name(value, location);
    }

    @Override
    public String toString() {
        return value;
    }
}
