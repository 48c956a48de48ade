/**
 * The contract between the runner and whatever carries out an operation: the request, its result, its failure,
 * and the host it runs on.
 */
package io.imagebuilder.deploy.operation;
