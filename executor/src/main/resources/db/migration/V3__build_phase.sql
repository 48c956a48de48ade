-- What a running build is doing: building, or waiting for a build slot that other builds hold.
ALTER TABLE builds ADD COLUMN phase VARCHAR(32);
