-- The usage ledger summed per hour, so that reports over weeks read thousands of rows instead of millions.
-- One row per (epoch hour, key, model asked, provider, status, error code); hour = created_at / 3600000. A NULL
-- provider or error code is '' here (a primary key takes no NULL portably). The ledger writer adds to it in the
-- same transaction as the ledger rows it inserts (JdbcUsageLedger), so an hour here always equals the ledger's.
-- le_* are cumulative latency buckets (requests that took at most that long); requests is the +Inf bucket.
-- Portable SQL (SQLite and PostgreSQL).
CREATE TABLE usage_rollup (
  hour             BIGINT           NOT NULL,
  key_id           VARCHAR(64)      NOT NULL,
  model_asked      VARCHAR(200)     NOT NULL,
  provider         VARCHAR(64)      NOT NULL DEFAULT '',
  status           INTEGER          NOT NULL,
  error_code       VARCHAR(64)      NOT NULL DEFAULT '',
  requests         BIGINT           NOT NULL,
  images           BIGINT           NOT NULL,
  text_in_tokens   BIGINT           NOT NULL,
  image_in_tokens  BIGINT           NOT NULL,
  image_out_tokens BIGINT           NOT NULL,
  cost_usd         DOUBLE PRECISION NOT NULL,
  latency_ms_sum   BIGINT           NOT NULL,
  le_250ms         BIGINT           NOT NULL,
  le_500ms         BIGINT           NOT NULL,
  le_1s            BIGINT           NOT NULL,
  le_2s            BIGINT           NOT NULL,
  le_5s            BIGINT           NOT NULL,
  le_10s           BIGINT           NOT NULL,
  le_20s           BIGINT           NOT NULL,
  le_30s           BIGINT           NOT NULL,
  le_60s           BIGINT           NOT NULL,
  le_120s          BIGINT           NOT NULL,
  le_300s          BIGINT           NOT NULL,
  le_600s          BIGINT           NOT NULL,
  PRIMARY KEY (hour, key_id, model_asked, provider, status, error_code)
);

-- One key's hours (its spend for a budget period, its usage report) without walking every key's.
CREATE INDEX usage_rollup_key_hour ON usage_rollup (key_id, hour);

INSERT INTO usage_rollup (hour, key_id, model_asked, provider, status, error_code, requests, images, text_in_tokens,
    image_in_tokens, image_out_tokens, cost_usd, latency_ms_sum, le_250ms, le_500ms, le_1s, le_2s, le_5s, le_10s,
    le_20s, le_30s, le_60s, le_120s, le_300s, le_600s)
SELECT created_at / 3600000, key_id, model_asked, COALESCE(provider, ''), status, COALESCE(error_code, ''),
    COUNT(*), SUM(images_returned), SUM(text_in_tokens), SUM(image_in_tokens), SUM(image_out_tokens), SUM(cost_usd),
    SUM(latency_ms),
    SUM(CASE WHEN latency_ms <= 250 THEN 1 ELSE 0 END),
    SUM(CASE WHEN latency_ms <= 500 THEN 1 ELSE 0 END),
    SUM(CASE WHEN latency_ms <= 1000 THEN 1 ELSE 0 END),
    SUM(CASE WHEN latency_ms <= 2000 THEN 1 ELSE 0 END),
    SUM(CASE WHEN latency_ms <= 5000 THEN 1 ELSE 0 END),
    SUM(CASE WHEN latency_ms <= 10000 THEN 1 ELSE 0 END),
    SUM(CASE WHEN latency_ms <= 20000 THEN 1 ELSE 0 END),
    SUM(CASE WHEN latency_ms <= 30000 THEN 1 ELSE 0 END),
    SUM(CASE WHEN latency_ms <= 60000 THEN 1 ELSE 0 END),
    SUM(CASE WHEN latency_ms <= 120000 THEN 1 ELSE 0 END),
    SUM(CASE WHEN latency_ms <= 300000 THEN 1 ELSE 0 END),
    SUM(CASE WHEN latency_ms <= 600000 THEN 1 ELSE 0 END)
FROM usage_ledger
GROUP BY created_at / 3600000, key_id, model_asked, COALESCE(provider, ''), status, COALESCE(error_code, '');

-- Every (status, error code) pair the ledger holds, so that an error type turns into the exact pairs it covers
-- (GET /admin/requests?error_type=). Written with the rollup; only ever grows.
CREATE TABLE usage_outcomes (
  status     INTEGER     NOT NULL,
  error_code VARCHAR(64) NOT NULL,
  PRIMARY KEY (status, error_code)
);

INSERT INTO usage_outcomes (status, error_code)
SELECT DISTINCT status, COALESCE(error_code, '') FROM usage_ledger;

-- The recent requests, newest first, paged on (created_at, request_id): unfiltered, and by key, model or status.
-- They replace the two indexes of V4, whose columns lead them.
DROP INDEX usage_ledger_at;
DROP INDEX usage_ledger_key_at;
CREATE INDEX usage_ledger_at_id ON usage_ledger (created_at, request_id);
CREATE INDEX usage_ledger_key_at_id ON usage_ledger (key_id, created_at, request_id);
CREATE INDEX usage_ledger_model_at_id ON usage_ledger (model_asked, created_at, request_id);
CREATE INDEX usage_ledger_status_at_id ON usage_ledger (status, created_at, request_id);
