-- Key limits and lifecycle (issue #4). One ALTER per column, which SQLite and PostgreSQL both accept.
-- scopes is a comma list ('images', 'admin'); the admin column stays and means the scope 'admin'.
-- NULL limits mean unlimited. budget_period is 'total', 'daily' or 'monthly'; expires_at is epoch ms.
ALTER TABLE api_keys ADD COLUMN owner VARCHAR(200);
ALTER TABLE api_keys ADD COLUMN scopes VARCHAR(500);
ALTER TABLE api_keys ADD COLUMN rpm INTEGER;
ALTER TABLE api_keys ADD COLUMN ipm INTEGER;
ALTER TABLE api_keys ADD COLUMN budget_usd DOUBLE PRECISION;
ALTER TABLE api_keys ADD COLUMN budget_period VARCHAR(16);
ALTER TABLE api_keys ADD COLUMN expires_at BIGINT;
ALTER TABLE api_keys ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;
