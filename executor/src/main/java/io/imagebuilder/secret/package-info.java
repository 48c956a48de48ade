/**
 * The one place that says what a secret is and how it is hidden: names that mark a value secret, and the masking
 * of known secret values in every text that leaves the process (console, logs, state, messages, API answers).
 */
package io.imagebuilder.secret;
