/**
 * HTTP endpoints (Javalin) over the jobs database: submitting, listing, following and cancelling builds and
 * deployments.
 */
package io.imagebuilder.server.api;
