/**
 * How the executor reaches a machine over SSH: the endpoint, the key and known_hosts that prove both ends, and
 * the one set of ssh options every connection uses, whether it carries a Docker engine, an Ansible run or a file
 * copy.
 */
package io.imagebuilder.ssh;
