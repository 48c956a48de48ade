-- When each log line was written, so clients can show it and resume a log where they left it.
ALTER TABLE build_log ADD COLUMN logged_at TIMESTAMP WITH TIME ZONE;
