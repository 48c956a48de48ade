/**
 * TOSCA values: primitive and scalar-unit types, versions, timestamps and the constraint clauses, with coercion
 * and comparison.
 */
package io.imagebuilder.tosca.value;
