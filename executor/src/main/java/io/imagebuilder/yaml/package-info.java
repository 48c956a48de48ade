/**
 * YAML read with snakeyaml-engine into immutable nodes (maps, lists, scalars) that remember their file, line and
 * column. Reading collects problems instead of stopping at the first, and bounds what a document may expand to.
 */
package io.imagebuilder.yaml;
