/**
 * The syntax model: the definitions and assignments of a service template as immutable records, each value with
 * its location, checked for shape and unknown keys but not yet for types.
 */
package io.imagebuilder.tosca.syntax;
