/**
 * Intrinsic functions (get_input, get_property, get_attribute, concat, token, get_artifact, ...): checked when
 * the template loads, evaluated against the topology and the runtime values of a deployment.
 */
package io.imagebuilder.tosca.function;
