/**
 * The read phase: files of a template and its imports, read once, with their size limits and locations.
 */
package io.imagebuilder.tosca.load;
