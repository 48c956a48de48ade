/**
 * Workers that take queued jobs from the database and run them through the facade, with their logs and leases.
 */
package io.imagebuilder.server.jobs;
