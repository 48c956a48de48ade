/**
 * Request bodies of the REST API: decoded, checked and answered with problem+json before anything is stored, and
 * their secrets known so they can be masked.
 */
package io.imagebuilder.server.request;
