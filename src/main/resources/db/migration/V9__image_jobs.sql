-- Async image jobs (issue #12): one row per job submitted with Prefer: respond-async. Portable SQL (SQLite and
-- PostgreSQL). Times are epoch milliseconds. The request and the answer live in the image store as blobs
-- (job-{id}.request.json, job-{id}.result.json), never here; error is the small spec §8 error object.
-- A running job is leased to one instance (lease_owner) until lease_until, renewed by its heartbeats; a
-- lease that ran out lets any instance claim the job again. Ids sort by creation time.
CREATE TABLE image_jobs (
  id           VARCHAR(64)  NOT NULL PRIMARY KEY,
  key_id       VARCHAR(64)  NOT NULL,
  operation    VARCHAR(16)  NOT NULL,
  model        VARCHAR(200) NOT NULL,
  status       VARCHAR(16)  NOT NULL,
  created_at   BIGINT       NOT NULL,
  started_at   BIGINT,
  finished_at  BIGINT,
  base_url     TEXT         NOT NULL,
  idem_key     VARCHAR(255),
  fingerprint  VARCHAR(128),
  lease_owner  VARCHAR(64),
  lease_until  BIGINT,
  attempts     INTEGER      NOT NULL,
  error_status INTEGER,
  error        TEXT
);

CREATE UNIQUE INDEX image_jobs_idem ON image_jobs (key_id, idem_key);
CREATE INDEX image_jobs_key ON image_jobs (key_id, id);
CREATE INDEX image_jobs_status ON image_jobs (status, created_at);
