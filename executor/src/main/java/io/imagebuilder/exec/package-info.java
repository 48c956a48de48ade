/**
 * Running external programs as argument lists (never shell strings): output streamed line by line, cancellation,
 * time limits, and children that die with the executor.
 */
package io.imagebuilder.exec;
