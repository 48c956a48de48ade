-- Why a job failed, for programs: a code beside the message (cancelled, timed_out, registry_refused, ...).
ALTER TABLE builds ADD COLUMN error_code VARCHAR(32);
