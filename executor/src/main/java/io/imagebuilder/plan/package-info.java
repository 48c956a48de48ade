/**
 * The execution plan: the lifecycle operations of every node in dependency order, as steps the runner can take
 * and print.
 */
package io.imagebuilder.plan;
