/**
 * The type system: normative and user types resolved through derived_from, with their properties, attributes,
 * interfaces, capabilities and requirements, and the checks of values against them.
 */
package io.imagebuilder.tosca.types;
