/**
 * Loading a TOSCA 1.3 service template in named phases (read, syntax, types, templates, functions), each
 * collecting located problems, into a checked topology.
 */
package io.imagebuilder.tosca;
