-- The image tags a build left on its build hosts (JSON: docker host -> tags), so that removing the build can
-- remove them too, after its work directory is gone.
ALTER TABLE builds ADD COLUMN host_tags TEXT;
