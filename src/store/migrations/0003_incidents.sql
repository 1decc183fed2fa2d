-- SPDX-License-Identifier: Apache-2.0
-- Incident handling: incidents with their affected constituents, related
-- incidents, observables and links to STIX objects, tasks, a timeline of
-- notes and communications, evidence stored by SHA-256, playbooks (task
-- templates per class), SLA targets per severity, and full-text search
-- (FTS5 on SQLite, tsvector indexes on PostgreSQL). Times are microseconds
-- since the Unix epoch, UTC; NULL means "not yet".

-- The sector of a constituent (national statistics), '' when unknown.
ALTER TABLE orgs ADD COLUMN sector TEXT NOT NULL DEFAULT '';

-- The next serial number of each year's readable identifiers.
CREATE TABLE incident_counters (
	year INTEGER PRIMARY KEY,
	next BIGINT NOT NULL
);

CREATE TABLE incidents (
	id @ID@,
	uuid TEXT NOT NULL UNIQUE,
	ref TEXT NOT NULL UNIQUE,		-- CIRT-2026-000123
	title TEXT NOT NULL,
	description TEXT NOT NULL,
	class TEXT NOT NULL,			-- taxonomy class and type
	type TEXT NOT NULL,
	-- 0 low, 1 medium, 2 high, 3 critical
	severity INTEGER NOT NULL CHECK (severity BETWEEN 0 AND 3),
	impact TEXT NOT NULL,			-- IODEF BusinessImpact type
	-- 0 clear .. 4 red
	tlp INTEGER NOT NULL CHECK (tlp BETWEEN 0 AND 4),
	status TEXT NOT NULL CHECK (status IN ('new', 'triaged',
		'in-progress', 'contained', 'eradicated', 'recovered',
		'resolved', 'closed', 'rejected', 'duplicate')),
	reporter_kind TEXT NOT NULL CHECK (reporter_kind IN ('team',
		'person', 'constituent', 'partner', 'feed')),
	reporter TEXT NOT NULL,
	reporter_org_id BIGINT REFERENCES orgs (id),
	assignee_id BIGINT REFERENCES users (id),
	version BIGINT NOT NULL,		-- +1 on every change
	reported_at BIGINT NOT NULL,		-- the SLA clocks start here
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	acknowledged_at BIGINT,
	resolved_at BIGINT,
	closed_at BIGINT,
	source TEXT NOT NULL DEFAULT ''	-- IODEF IncidentID of an import
);
CREATE INDEX incidents_status ON incidents (status, id);
CREATE INDEX incidents_class ON incidents (class, type, id);
CREATE INDEX incidents_severity ON incidents (severity, id);
CREATE INDEX incidents_assignee ON incidents (assignee_id, id);
CREATE INDEX incidents_reported ON incidents (reported_at, id);
-- The SLA list: incidents whose clocks still run.
CREATE INDEX incidents_open ON incidents (severity, reported_at)
	WHERE closed_at IS NULL;
CREATE INDEX incidents_source ON incidents (source) WHERE source <> '';

-- The constituents an incident affects, and when each acknowledged it.
CREATE TABLE incident_orgs (
	incident_id BIGINT NOT NULL REFERENCES incidents (id),
	org_id BIGINT NOT NULL REFERENCES orgs (id),
	acknowledged_at BIGINT,
	PRIMARY KEY (incident_id, org_id)
);
CREATE INDEX incident_orgs_org ON incident_orgs (org_id, incident_id);

-- duplicate-of, merged-into, split-from, related-to: "incident_id is
-- <relation> other_id".
CREATE TABLE incident_relations (
	incident_id BIGINT NOT NULL REFERENCES incidents (id),
	relation TEXT NOT NULL CHECK (relation IN ('duplicate-of',
		'merged-into', 'split-from', 'related-to')),
	other_id BIGINT NOT NULL REFERENCES incidents (id),
	created_at BIGINT NOT NULL,
	PRIMARY KEY (incident_id, relation, other_id)
);
CREATE INDEX incident_relations_other ON incident_relations (other_id);

-- Observables of an incident: the addresses, names and files involved.
CREATE TABLE incident_observables (
	id @ID@,
	incident_id BIGINT NOT NULL REFERENCES incidents (id),
	type TEXT NOT NULL,		-- ipv4-addr, domain-name, url, ...
	value TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('source', 'target', 'other')),
	UNIQUE (incident_id, type, value, role)
);
CREATE INDEX incident_observables_value ON incident_observables (value);

-- STIX objects (indicators, observables, ...) an incident refers to.
CREATE TABLE incident_stix (
	incident_id BIGINT NOT NULL REFERENCES incidents (id),
	stix_id TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (incident_id, stix_id)
);

CREATE TABLE incident_tasks (
	id @ID@,
	incident_id BIGINT NOT NULL REFERENCES incidents (id),
	title TEXT NOT NULL,
	owner_id BIGINT REFERENCES users (id),
	due_at BIGINT,
	done_at BIGINT,
	playbook TEXT NOT NULL DEFAULT '',	-- the playbook that made it
	created_at BIGINT NOT NULL
);
CREATE INDEX incident_tasks_incident ON incident_tasks (incident_id, id);

-- Notes (team only), comments (shared with the affected constituents),
-- communications in and out, and events (status changes).
CREATE TABLE incident_timeline (
	id @ID@,
	incident_id BIGINT NOT NULL REFERENCES incidents (id),
	kind TEXT NOT NULL CHECK (kind IN ('note', 'comment', 'in', 'out',
		'event')),
	author TEXT NOT NULL,
	counterpart TEXT NOT NULL DEFAULT '',	-- the other side of a message
	body TEXT NOT NULL,
	at BIGINT NOT NULL
);
CREATE INDEX incident_timeline_incident ON incident_timeline (incident_id, id);

-- Evidence files, stored once by content and named per incident.
CREATE TABLE evidence_blobs (
	sha256 TEXT PRIMARY KEY,
	size BIGINT NOT NULL,
	data @BLOB@ NOT NULL
);
CREATE TABLE incident_evidence (
	incident_id BIGINT NOT NULL REFERENCES incidents (id),
	sha256 TEXT NOT NULL REFERENCES evidence_blobs (sha256),
	name TEXT NOT NULL,
	media_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	added_by TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (incident_id, sha256)
);

-- Task templates per incident class. classes: "class:type" or "class"
-- entries separated by commas; tasks: a JSON array of {title, due_hours}.
CREATE TABLE playbooks (
	name TEXT PRIMARY KEY,
	title TEXT NOT NULL,
	classes TEXT NOT NULL,
	tasks TEXT NOT NULL,
	updated_at BIGINT NOT NULL
);

-- SLA targets per severity, in minutes.
CREATE TABLE sla_targets (
	severity INTEGER PRIMARY KEY CHECK (severity BETWEEN 0 AND 3),
	acknowledge_minutes BIGINT NOT NULL,
	resolve_minutes BIGINT NOT NULL
);
INSERT INTO sla_targets VALUES (0, 1440, 43200);
INSERT INTO sla_targets VALUES (1, 240, 10080);
INSERT INTO sla_targets VALUES (2, 60, 4320);
INSERT INTO sla_targets VALUES (3, 15, 1440);

--@sqlite
-- Kept by incident/incident.c (triggers may not write virtual tables while
-- trusted_schema is off): the text of incidents and of timeline entries.
CREATE VIRTUAL TABLE incidents_fts USING fts5 (title, description,
	content='incidents', content_rowid='id',
	tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE incident_timeline_fts USING fts5 (body,
	content='incident_timeline', content_rowid='id',
	tokenize='unicode61 remove_diacritics 2');
--@pg
CREATE INDEX incidents_fts ON incidents USING gin
	(to_tsvector('simple', title || ' ' || description));
CREATE INDEX incident_timeline_fts ON incident_timeline USING gin
	(to_tsvector('simple', body));
--@end
