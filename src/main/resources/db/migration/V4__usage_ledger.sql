-- The usage ledger: one row per request answered, success or failure (issue #4, spec §7). request_id is the
-- key, so a request written twice is charged once. Times are epoch milliseconds; cost is USD. No image bytes
-- ever; prompt is NULL unless the keep-prompts setting is on. Portable SQL (SQLite and PostgreSQL).
CREATE TABLE usage_ledger (
  request_id       VARCHAR(64)      NOT NULL PRIMARY KEY,
  created_at       BIGINT           NOT NULL,
  key_id           VARCHAR(64)      NOT NULL,
  model_asked      VARCHAR(200)     NOT NULL,
  deployment       VARCHAR(200),
  provider         VARCHAR(64),
  endpoint         VARCHAR(16)      NOT NULL,
  size             VARCHAR(32),
  quality          VARCHAR(16),
  n_asked          INTEGER          NOT NULL,
  images_returned  INTEGER          NOT NULL,
  text_in_tokens   BIGINT           NOT NULL,
  image_in_tokens  BIGINT           NOT NULL,
  image_out_tokens BIGINT           NOT NULL,
  cost_usd         DOUBLE PRECISION NOT NULL,
  status           INTEGER          NOT NULL,
  error_code       VARCHAR(64),
  latency_ms       BIGINT           NOT NULL,
  end_user         TEXT,
  prompt           TEXT
);

CREATE INDEX usage_ledger_key_at ON usage_ledger (key_id, created_at);
CREATE INDEX usage_ledger_at ON usage_ledger (created_at);
