/**
 * The jobs database (H2 or PostgreSQL, migrated by Flyway): jobs, their logs and leases.
 */
package io.imagebuilder.server.db;
