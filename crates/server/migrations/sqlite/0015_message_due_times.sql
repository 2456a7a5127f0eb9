-- When each message fell due, apart from when it was sent (`created_at`): a sweeper back
-- from an outage sends every reminder that fell due meanwhile, and each keeps its own time,
-- so the reader can tell that it comes late. Empty for messages sent before this migration
-- (they were sent when they fell due).
ALTER TABLE messages ADD COLUMN due_at INTEGER;
