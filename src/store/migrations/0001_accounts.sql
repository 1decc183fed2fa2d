-- SPDX-License-Identifier: Apache-2.0
-- Accounts (organisations, users, API tokens, browser sessions) and the
-- hash-chained audit log. Times are microseconds since the Unix epoch, UTC.
-- Valid in SQLite and PostgreSQL; @ID@ is the backend's 64-bit serial key.

CREATE TABLE orgs (
	id @ID@,
	name TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL CHECK (kind IN ('team', 'constituent', 'partner')),
	created_at BIGINT NOT NULL
);
-- The team itself is one organisation.
CREATE UNIQUE INDEX orgs_one_team ON orgs (kind) WHERE kind = 'team';

CREATE TABLE users (
	id @ID@,
	name TEXT NOT NULL UNIQUE,
	org_id BIGINT NOT NULL REFERENCES orgs (id),
	role TEXT NOT NULL
		CHECK (role IN ('admin', 'analyst', 'constituent', 'partner')),
	password_hash TEXT NOT NULL,
	disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX users_org ON users (org_id);

-- API tokens: only the SHA-256 of the secret is kept.
CREATE TABLE tokens (
	id @ID@,
	user_id BIGINT NOT NULL REFERENCES users (id),
	hash TEXT NOT NULL UNIQUE,
	label TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	expires_at BIGINT,		-- NULL: never expires
	revoked_at BIGINT,		-- NULL: not revoked
	last_used_at BIGINT		-- updated at most once an hour
);
CREATE INDEX tokens_user ON tokens (user_id);

-- Browser sessions: the cookie secret is kept as SHA-256 too.
CREATE TABLE sessions (
	id @ID@,
	user_id BIGINT NOT NULL REFERENCES users (id),
	hash TEXT NOT NULL UNIQUE,
	csrf TEXT NOT NULL,
	addr TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- The audit log. Entry n stores the hash of entry n-1 (prev_hash) and its
-- own hash over all its fields (see docs/internals/audit.md), so an edited,
-- inserted or deleted row breaks the chain. audit_head holds the newest
-- entry: a deleted tail shows, and updating it first serialises appends.
CREATE TABLE audit (
	seq BIGINT PRIMARY KEY,
	at BIGINT NOT NULL,
	actor TEXT NOT NULL,
	addr TEXT NOT NULL,
	action TEXT NOT NULL,
	object TEXT NOT NULL,
	detail TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);

CREATE TABLE audit_head (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	seq BIGINT NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0,
	'0000000000000000000000000000000000000000000000000000000000000000');
