/**
 * The resolved topology: node, relationship, group and policy templates bound to their types, requirements
 * matched to targets, and which values are secrets.
 */
package io.imagebuilder.tosca.topology;
