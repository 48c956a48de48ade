/**
 * Problems found in user input: where each is (file, line, column) and what was expected, collected by phases and
 * reported together. A leaf: it knows nothing of YAML or TOSCA.
 */
package io.imagebuilder.problem;
