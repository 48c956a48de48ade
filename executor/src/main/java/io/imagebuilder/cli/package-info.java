/**
 * The command line (picocli): thin commands that turn options into calls of the facade, print results, and map
 * failures to exit codes (2 invalid input, 1 failed run).
 */
package io.imagebuilder.cli;
