/**
 * The REST server's configuration, API keys, bearer-token introspection and the key that encrypts stored requests.
 */
package io.imagebuilder.server;
