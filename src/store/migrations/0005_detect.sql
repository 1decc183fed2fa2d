-- SPDX-License-Identifier: Apache-2.0
-- Detection: matching logs against indicators (docs/detection.md). The
-- indicator set is compiled from stix_objects and events; these indexes
-- make its reads and the "has anything changed" check cheap.
CREATE INDEX stix_objects_indicators ON stix_objects (stix_id, version_key)
	WHERE type = 'indicator';
CREATE INDEX stix_objects_indicator_seq ON stix_objects (seq)
	WHERE type = 'indicator';
CREATE INDEX events_threats ON events (id) WHERE feed <> 'detect';

-- One STIX Sighting per indicator and organisation where it was sighted;
-- each time more is seen, its count grows, first and last seen widen,
-- and a new version of the Sighting object is stored in the
-- detect_collection. Times are microseconds since the Unix epoch.
CREATE TABLE sightings (
	indicator TEXT NOT NULL,		-- indicator--<uuid>
	org_id BIGINT NOT NULL REFERENCES orgs (id),
	sighting TEXT NOT NULL UNIQUE,		-- sighting--<uuid>
	count BIGINT NOT NULL CHECK (count >= 1),
	first_seen BIGINT NOT NULL,
	last_seen BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (indicator, org_id)
);

-- A match in a constituent's logs is an event of class
-- intrusion-attempts:ids-alert; one is enough to open an incident.
INSERT INTO feed_rules (name, class, type, threshold, window_s, severity,
	enabled, created_at)
VALUES ('detection', 'intrusion-attempts', 'ids-alert', 1, 86400, 2, 1, 0);
