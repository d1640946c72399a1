-- OpenAI's Files and Batch API for images (issue #12). Portable SQL (SQLite and PostgreSQL); times are epoch
-- milliseconds. A file's bytes live in the image store (file-{id}.content.json), never here. A batch's lines are
-- image_jobs rows that name the batch (batch_id, line_no, custom_id) and the price factor their charge gets.
CREATE TABLE batch_files (
  id         VARCHAR(64)  NOT NULL PRIMARY KEY,
  key_id     VARCHAR(64)  NOT NULL,
  purpose    VARCHAR(32)  NOT NULL,
  filename   VARCHAR(512) NOT NULL,
  bytes      BIGINT       NOT NULL,
  created_at BIGINT       NOT NULL
);

CREATE INDEX batch_files_key ON batch_files (key_id, id);

CREATE TABLE batches (
  id                VARCHAR(64)  NOT NULL PRIMARY KEY,
  key_id            VARCHAR(64)  NOT NULL,
  endpoint          VARCHAR(64)  NOT NULL,
  input_file_id     VARCHAR(64)  NOT NULL,
  status            VARCHAR(16)  NOT NULL,
  metadata          TEXT,
  errors            TEXT,
  total             INTEGER      NOT NULL,
  output_file_id    VARCHAR(64),
  error_file_id     VARCHAR(64),
  created_at        BIGINT       NOT NULL,
  in_progress_at    BIGINT,
  finalizing_at     BIGINT,
  completed_at      BIGINT,
  failed_at         BIGINT,
  expires_at        BIGINT       NOT NULL,
  expired_at        BIGINT,
  cancelling_at     BIGINT,
  cancelled_at      BIGINT,
  finalize_until    BIGINT,
  completed         INTEGER,
  failed            INTEGER,
  base_url          TEXT         NOT NULL
);

CREATE INDEX batches_key ON batches (key_id, id);
CREATE INDEX batches_status ON batches (status);

ALTER TABLE image_jobs ADD COLUMN batch_id VARCHAR(64);
ALTER TABLE image_jobs ADD COLUMN line_no INTEGER;
ALTER TABLE image_jobs ADD COLUMN custom_id VARCHAR(512);
ALTER TABLE image_jobs ADD COLUMN price_factor DOUBLE PRECISION;
CREATE INDEX image_jobs_batch ON image_jobs (batch_id, line_no);
