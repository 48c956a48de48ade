-- Deployments of a bundled blueprint are jobs too: they share the table, its queue and its log with builds.
ALTER TABLE builds ADD COLUMN kind VARCHAR(16) DEFAULT 'build' NOT NULL;
ALTER TABLE builds ADD COLUMN blueprint VARCHAR(200);
