package io.imagebuilder.tosca.syntax;

import io.imagebuilder.problem.Location;

/** One entry of {@code imports}; {@code namespacePrefix} may be null. */
public record ImportDef(Name file, String repository, String namespacePrefix, Location location) {
}
