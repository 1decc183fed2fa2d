-- SPDX-License-Identifier: Apache-2.0
-- The constituency and its feeds: what each constituent owns (AS numbers,
-- address ranges, domains), its contacts with their notification
-- preferences, the feeds the team takes in, the normalised events they
-- give, the digests sent about them, and the rules that open incidents.
-- Times are microseconds since the Unix epoch, UTC.

-- ISO 3166-1 alpha-2 of a constituent, '' when unknown.
ALTER TABLE orgs ADD COLUMN country TEXT NOT NULL DEFAULT '';

-- What a constituent owns. value is canonical: "64512", "192.0.2.0/24"
-- (IPv4 as written, IPv6 as RFC 5952), "example.gov" (A-labels, lower
-- case). A network has one owner; a more specific range may have
-- another.
CREATE TABLE org_networks (
	id @ID@,
	org_id BIGINT NOT NULL REFERENCES orgs (id),
	kind TEXT NOT NULL CHECK (kind IN ('asn', 'cidr', 'domain')),
	value TEXT NOT NULL,
	UNIQUE (kind, value)
);
CREATE INDEX org_networks_org ON org_networks (org_id);

-- Who hears about a constituent's events, how often, in which format and
-- language, and up to which TLP (0 clear .. 4 red).
CREATE TABLE contacts (
	id @ID@,
	org_id BIGINT NOT NULL REFERENCES orgs (id),
	email TEXT NOT NULL,
	lang TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('abuse', 'security', 'technical',
		'management')),
	frequency TEXT NOT NULL CHECK (frequency IN ('immediate', 'daily',
		'weekly', 'never')),
	format TEXT NOT NULL CHECK (format IN ('csv', 'xarf', 'iodef')),
	tlp_max INTEGER NOT NULL CHECK (tlp_max BETWEEN 0 AND 4),
	created_at BIGINT NOT NULL,
	UNIQUE (org_id, email)
);

-- A feed: where it comes from (collector and location), how it is read
-- (parser and its options), how often, its TLP and default
-- classification, and what the last run left (conditional GET, TAXII
-- cursor).
CREATE TABLE feeds (
	id @ID@,
	name TEXT NOT NULL UNIQUE,
	parser TEXT NOT NULL,
	options TEXT NOT NULL,
	collector TEXT NOT NULL CHECK (collector IN ('file', 'dir', 'url',
		'maildir', 'taxii')),
	location TEXT NOT NULL,
	every_s BIGINT NOT NULL,		-- 0: only when asked
	tlp INTEGER NOT NULL CHECK (tlp BETWEEN 0 AND 4),
	class TEXT NOT NULL,			-- default classification
	type TEXT NOT NULL,
	provider TEXT NOT NULL,
	dedup_s BIGINT NOT NULL,		-- deduplication window
	enabled INTEGER NOT NULL,
	etag TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	cursor TEXT NOT NULL DEFAULT '',	-- TAXII added_after
	next_run BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL
);

-- Each run of a feed, and what it counted.
CREATE TABLE feed_runs (
	id @ID@,
	feed TEXT NOT NULL,
	started_at BIGINT NOT NULL,
	ended_at BIGINT,
	status TEXT NOT NULL CHECK (status IN ('running', 'ok',
		'not-modified', 'error')),
	inputs BIGINT NOT NULL DEFAULT 0,
	records BIGINT NOT NULL DEFAULT 0,
	events BIGINT NOT NULL DEFAULT 0,
	duplicates BIGINT NOT NULL DEFAULT 0,
	bad BIGINT NOT NULL DEFAULT 0,
	unrouted BIGINT NOT NULL DEFAULT 0,
	error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX feed_runs_feed ON feed_runs (feed, id);

-- Inputs of a directory or maildir already taken in, by content digest,
-- so a file seen again is skipped.
CREATE TABLE feed_inputs (
	feed TEXT NOT NULL,
	digest TEXT NOT NULL,
	name TEXT NOT NULL,
	done_at BIGINT NOT NULL,
	PRIMARY KEY (feed, digest)
);

-- The normalised events. dedup is the hex SHA-256 (first 32 digits) of
-- what makes two events the same (feed_int.h); time_key is the time it
-- is deduplicated on (the source time, else the input's time), so a run
-- repeated after a crash finds what the first one stored.
CREATE TABLE events (
	id @ID@,
	feed TEXT NOT NULL,
	provider TEXT NOT NULL,
	time_source BIGINT NOT NULL,		-- 0 unknown
	time_observation BIGINT NOT NULL,
	time_key BIGINT NOT NULL,
	src_ip TEXT NOT NULL,			-- canonical, or prefix, or ''
	src_port INTEGER NOT NULL,		-- -1 unknown
	src_asn BIGINT NOT NULL,		-- 0 unknown
	src_cc TEXT NOT NULL,
	src_fqdn TEXT NOT NULL,
	url TEXT NOT NULL,
	dst_ip TEXT NOT NULL,
	dst_port INTEGER NOT NULL,
	dst_asn BIGINT NOT NULL,
	dst_cc TEXT NOT NULL,
	dst_fqdn TEXT NOT NULL,
	transport TEXT NOT NULL,
	application TEXT NOT NULL,
	class TEXT NOT NULL,
	type TEXT NOT NULL,
	identifier TEXT NOT NULL,
	malware TEXT NOT NULL,
	tlp INTEGER NOT NULL CHECK (tlp BETWEEN 0 AND 4),
	org_id BIGINT REFERENCES orgs (id),	-- NULL: unrouted
	route TEXT NOT NULL,			-- cidr, asn, domain, ''
	extra TEXT NOT NULL,			-- JSON object
	raw @BLOB@ NOT NULL,
	dedup TEXT NOT NULL
);
CREATE INDEX events_dedup ON events (dedup, time_key);
CREATE INDEX events_org ON events (org_id, id);
CREATE INDEX events_feed ON events (feed, id);
CREATE INDEX events_class ON events (org_id, class, type, time_observation);

-- Digests: one message to one contact about some events. status goes
-- pending -> sent, or failed (retried at next_try) -> ... -> abandoned.
CREATE TABLE notifications (
	id @ID@,
	contact_id BIGINT NOT NULL REFERENCES contacts (id),
	org_id BIGINT NOT NULL REFERENCES orgs (id),
	recipient TEXT NOT NULL,
	format TEXT NOT NULL,
	lang TEXT NOT NULL,
	events BIGINT NOT NULL,
	message_id TEXT NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed',
		'abandoned')),
	attempts INTEGER NOT NULL,
	next_try BIGINT NOT NULL,
	error TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	sent_at BIGINT
);
CREATE INDEX notifications_contact ON notifications (contact_id, id);
CREATE INDEX notifications_status ON notifications (status, next_try);

-- Which events went (or are going) to which contact: an event is in at
-- most one digest per contact.
CREATE TABLE notification_events (
	contact_id BIGINT NOT NULL,
	event_id BIGINT NOT NULL,
	notification_id BIGINT NOT NULL REFERENCES notifications (id),
	PRIMARY KEY (contact_id, event_id)
);
CREATE INDEX notification_events_n ON notification_events
	(notification_id);

-- Rules that open an incident for a constituent when its events cross a
-- threshold: at least threshold events of class (and type, '' for any)
-- within window_s. One incident per rule and constituent per window.
CREATE TABLE feed_rules (
	id @ID@,
	name TEXT NOT NULL UNIQUE,
	class TEXT NOT NULL,
	type TEXT NOT NULL,
	threshold BIGINT NOT NULL CHECK (threshold >= 1),
	window_s BIGINT NOT NULL CHECK (window_s >= 1),
	severity INTEGER NOT NULL CHECK (severity BETWEEN 0 AND 3),
	enabled INTEGER NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE TABLE rule_hits (
	rule_id BIGINT NOT NULL REFERENCES feed_rules (id),
	org_id BIGINT NOT NULL REFERENCES orgs (id),
	incident_id BIGINT NOT NULL REFERENCES incidents (id),
	opened_at BIGINT NOT NULL,
	PRIMARY KEY (rule_id, org_id, opened_at)
);

INSERT INTO feed_rules (name, class, type, threshold, window_s, severity,
	enabled, created_at)
VALUES ('c2', 'malicious-code', 'c2-server', 1, 86400, 2, 1, 0),
	('infected-systems', 'malicious-code', 'infected-system', 10, 86400,
	 1, 1, 0);
