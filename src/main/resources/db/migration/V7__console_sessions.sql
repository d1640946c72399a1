-- Sign-in sessions of the dashboard (issue #11): an admin key exchanged once for a cookie. Only the hash of the
-- cookie's token is kept. key_id is 'master' for the master key, with master_hash naming which master key (a
-- new master key ends the old one's sessions). Times are epoch milliseconds. Portable SQL (SQLite, PostgreSQL).
CREATE TABLE console_sessions (
  token_hash  VARCHAR(64)  NOT NULL PRIMARY KEY,
  key_id      VARCHAR(64)  NOT NULL,
  master_hash VARCHAR(64),
  created_at  BIGINT       NOT NULL,
  expires_at  BIGINT       NOT NULL
);

CREATE INDEX console_sessions_expires ON console_sessions (expires_at);
