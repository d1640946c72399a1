-- Idempotency-Key claims, one per (API key id, client key). The answer body lives in a file beside the
-- store (portable: no BLOB/BYTEA); this row holds the request hash, the state and the replayable status
-- and headers. Times are epoch milliseconds. claim_token tells one claim from a later one on the same key,
-- so a stale claimant can never finish over the one that took its place.
CREATE TABLE idempotency_keys (
  owner        VARCHAR(64)   NOT NULL,
  idem_key     VARCHAR(255)  NOT NULL,
  request_hash VARCHAR(64)   NOT NULL,
  claim_token  VARCHAR(32)   NOT NULL,
  status       VARCHAR(16)   NOT NULL,
  http_status  INTEGER,
  headers      VARCHAR(8000),
  created_at   BIGINT        NOT NULL,
  expires_at   BIGINT        NOT NULL,
  heartbeat_at BIGINT        NOT NULL,
  PRIMARY KEY (owner, idem_key)
);

CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
