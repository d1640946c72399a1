-- Two more rollups of the usage ledger beside V6's usage_rollup, with the same sums, each keyed for its readers:
--   usage_rollup_daily   per (epoch day, key, model asked): the whole UTC days of a usage report (a month is a
--                        few thousand rows, where usage_rollup holds a few hundred thousand);
--   usage_rollup_status  per (epoch hour, status, error code): the overview of a window.
-- day = created_at / 86400000 = hour / 24. The ledger writer adds to every rollup in the transaction that inserts
-- the ledger rows (JdbcUsageLedger), so a day or an hour here always equals the ledger's. Both are filled here
-- from usage_rollup, which holds every row the ledger does. Portable SQL (SQLite and PostgreSQL).
CREATE TABLE usage_rollup_daily (
  day              BIGINT           NOT NULL,
  key_id           VARCHAR(64)      NOT NULL,
  model_asked      VARCHAR(200)     NOT NULL,
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
  PRIMARY KEY (day, key_id, model_asked)
);

-- One key's days (its spend for a budget period, its usage report) without walking every key's.
CREATE INDEX usage_rollup_daily_key_day ON usage_rollup_daily (key_id, day);

INSERT INTO usage_rollup_daily (day, key_id, model_asked, requests, images, text_in_tokens, image_in_tokens,
    image_out_tokens, cost_usd, latency_ms_sum, le_250ms, le_500ms, le_1s, le_2s, le_5s, le_10s, le_20s, le_30s, le_60s,
    le_120s, le_300s, le_600s)
SELECT hour / 24, key_id, model_asked, SUM(requests), SUM(images), SUM(text_in_tokens), SUM(image_in_tokens),
    SUM(image_out_tokens), SUM(cost_usd), SUM(latency_ms_sum), SUM(le_250ms), SUM(le_500ms), SUM(le_1s), SUM(le_2s),
    SUM(le_5s), SUM(le_10s), SUM(le_20s), SUM(le_30s), SUM(le_60s), SUM(le_120s), SUM(le_300s), SUM(le_600s)
FROM usage_rollup
GROUP BY hour / 24, key_id, model_asked;

CREATE TABLE usage_rollup_status (
  hour             BIGINT           NOT NULL,
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
  PRIMARY KEY (hour, status, error_code)
);

INSERT INTO usage_rollup_status (hour, status, error_code, requests, images, text_in_tokens, image_in_tokens,
    image_out_tokens, cost_usd, latency_ms_sum, le_250ms, le_500ms, le_1s, le_2s, le_5s, le_10s, le_20s, le_30s, le_60s,
    le_120s, le_300s, le_600s)
SELECT hour, status, error_code, SUM(requests), SUM(images), SUM(text_in_tokens), SUM(image_in_tokens),
    SUM(image_out_tokens), SUM(cost_usd), SUM(latency_ms_sum), SUM(le_250ms), SUM(le_500ms), SUM(le_1s), SUM(le_2s),
    SUM(le_5s), SUM(le_10s), SUM(le_20s), SUM(le_30s), SUM(le_60s), SUM(le_120s), SUM(le_300s), SUM(le_600s)
FROM usage_rollup
GROUP BY hour, status, error_code;

-- A key's spend and usage now read its whole days from usage_rollup_daily (indexed on key_id, day above); the
-- hourly rollup is read for the hours at either end of a window only, across keys.
DROP INDEX usage_rollup_key_hour;
