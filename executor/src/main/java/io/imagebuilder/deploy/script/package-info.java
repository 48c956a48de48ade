/**
 * Operations whose implementation is a plain script, run on the executor's machine.
 */
package io.imagebuilder.deploy.script;
