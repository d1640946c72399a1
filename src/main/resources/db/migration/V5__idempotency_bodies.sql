-- Idempotent answer bodies in the database, so every instance on one PostgreSQL replays them.
-- Portable SQL: a body is base64 TEXT in chunks of 1 MiB (before encoding), never BLOB/BYTEA, whose types
-- differ between SQLite and PostgreSQL. Chunks belong to one claim (owner, idem_key, claim_token): they are
-- written in the transaction that marks the claim done and deleted in the one that deletes it.
CREATE TABLE idempotency_bodies (
  owner       VARCHAR(64)  NOT NULL,
  idem_key    VARCHAR(255) NOT NULL,
  claim_token VARCHAR(32)  NOT NULL,
  seq         INTEGER      NOT NULL,
  data        TEXT         NOT NULL,
  PRIMARY KEY (owner, idem_key, claim_token, seq)
);

-- Set once done when the body is in idempotency_bodies; NULL when it is a file in the data dir (SQLite).
ALTER TABLE idempotency_keys ADD COLUMN body_chunks INTEGER;
ALTER TABLE idempotency_keys ADD COLUMN body_bytes BIGINT;
