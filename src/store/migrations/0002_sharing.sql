-- SPDX-License-Identifier: Apache-2.0
-- Threat sharing: TAXII API roots and collections (with a TLP ceiling and
-- per-organisation grants), every version of every STIX object in each
-- collection with the bytes as received, TAXII status resources and the key
-- that signs paging cursors. Times are microseconds since the Unix epoch, UTC.

CREATE TABLE api_roots (
	id @ID@,
	name TEXT NOT NULL UNIQUE,		-- /taxii2/<name>/
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);

CREATE TABLE collections (
	id @ID@,
	uuid TEXT NOT NULL UNIQUE,		-- the TAXII collection id
	api_root_id BIGINT NOT NULL REFERENCES api_roots (id),
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	alias TEXT,				-- unique within its API root
	-- 0 clear .. 3 amber+strict: TLP:RED never enters a collection.
	tlp_max INTEGER NOT NULL CHECK (tlp_max BETWEEN 0 AND 3),
	-- the spec versions stored so far, "2.0,2.1" (for media_types)
	spec_versions TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX collections_alias ON collections (api_root_id, alias);
CREATE INDEX collections_root ON collections (api_root_id, id);

-- What each organisation other than the team may do with a collection.
CREATE TABLE collection_grants (
	collection_id BIGINT NOT NULL REFERENCES collections (id),
	org_id BIGINT NOT NULL REFERENCES orgs (id),
	can_read INTEGER NOT NULL CHECK (can_read IN (0, 1)),
	can_write INTEGER NOT NULL CHECK (can_write IN (0, 1)),
	PRIMARY KEY (collection_id, org_id)
);

-- One row per version of an object in a collection. seq orders rows added
-- at the same date_added; (collection_id, date_added, seq) is the paging key.
CREATE TABLE stix_objects (
	seq @ID@,
	collection_id BIGINT NOT NULL REFERENCES collections (id),
	stix_id TEXT NOT NULL,
	type TEXT NOT NULL,
	version TEXT NOT NULL,		-- modified, else created, else ''
	version_key TEXT NOT NULL,	-- version in a sortable fixed form
	spec_version TEXT NOT NULL,	-- '2.0' or '2.1'
	created TEXT NOT NULL,		-- '' when absent
	created_by_ref TEXT NOT NULL,	-- '' when absent
	revoked INTEGER NOT NULL CHECK (revoked IN (0, 1)),
	tlp INTEGER NOT NULL,		-- -1 unmarked, 0 clear .. 3 amber+strict
	date_added BIGINT NOT NULL,
	body TEXT NOT NULL,		-- the object's JSON, as received
	-- What the object has besides this version, for the first / last
	-- queries: the lowest tlp among its newer and its older versions in
	-- this spec version, among its newer and older versions in any, and
	-- among its versions of a newer spec version; 9 when there are none.
	-- This version is the last one a reader sees when newer_* is above
	-- the reader's ceiling. Kept by share/share_object.c whenever a
	-- version of the object comes or goes.
	newer_in_spec INTEGER NOT NULL DEFAULT 9,
	older_in_spec INTEGER NOT NULL DEFAULT 9,
	newer_any INTEGER NOT NULL DEFAULT 9,
	older_any INTEGER NOT NULL DEFAULT 9,
	newer_spec INTEGER NOT NULL DEFAULT 9
);
CREATE UNIQUE INDEX stix_objects_version
	ON stix_objects (collection_id, stix_id, version_key);
CREATE INDEX stix_objects_added
	ON stix_objects (collection_id, date_added, seq);
CREATE INDEX stix_objects_type
	ON stix_objects (collection_id, type, date_added, seq);

-- TAXII status resources (one per POST), kept for 7 days from when they
-- were written (also those taken over from another server).
CREATE TABLE taxii_status (
	id TEXT PRIMARY KEY,		-- UUIDv4
	api_root_id BIGINT NOT NULL REFERENCES api_roots (id),
	-- the collection posted to: who may read it may read the status;
	-- NULL (taken over from another server): the team only
	collection_id BIGINT REFERENCES collections (id),
	status TEXT NOT NULL CHECK (status IN ('complete', 'pending')),
	request_timestamp BIGINT NOT NULL,
	total_count BIGINT NOT NULL,
	success_count BIGINT NOT NULL,
	failure_count BIGINT NOT NULL,
	pending_count BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE INDEX taxii_status_expiry ON taxii_status (expires_at);

CREATE TABLE taxii_status_details (
	status_id TEXT NOT NULL REFERENCES taxii_status (id) ON DELETE CASCADE,
	n BIGINT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('success', 'failure', 'pending')),
	stix_id TEXT NOT NULL,
	version TEXT NOT NULL,
	message TEXT NOT NULL,
	PRIMARY KEY (status_id, n)
);

-- Secrets shared by the servers of one store, made on first use:
-- 'cursor' (64 hex digits) signs the TAXII paging cursors (`next`), so
-- that a page costs no write and any server can check any cursor.
CREATE TABLE server_secrets (
	name TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
