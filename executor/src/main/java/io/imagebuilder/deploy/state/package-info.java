/**
 * A deployment's persisted state: each node's status, attributes and operation outputs, written atomically under
 * the state directory.
 */
package io.imagebuilder.deploy.state;
