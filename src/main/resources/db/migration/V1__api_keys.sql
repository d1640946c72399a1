-- API keys: only a SHA-256 hash of each secret is stored, with a short prefix to recognise it by.
CREATE TABLE api_keys (
  id          VARCHAR(40)  NOT NULL PRIMARY KEY,
  name        VARCHAR(200) NOT NULL,
  prefix      VARCHAR(16)  NOT NULL,
  secret_hash VARCHAR(64)  NOT NULL UNIQUE,
  models      VARCHAR(2000),
  admin       BOOLEAN      NOT NULL DEFAULT FALSE,
  created_at  BIGINT       NOT NULL,
  revoked_at  BIGINT
);
