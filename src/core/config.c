/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Configuration keys, file parser and precedence. See core/config.h.
 */
#include "core/config.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mem.h"
#include "core/parse.h"
#include "core/banned.h"

#define CONFIG_FILE_MAX (1u << 20)
#define CONFIG_LINE_MAX 4096

enum key_type {
	KEY_STR,
	KEY_BOOL,
	KEY_INT,
	KEY_SIZE,
	KEY_LEVEL
};

struct key {
	const char *name;
	enum key_type type;
	size_t offset;
	const char *def;
	int64_t min, max;
};

#define OFF(f) offsetof(struct cirt_config, f)

/* The one list of keys; docs/cli.md documents each. */
static const struct key keys[] = {
	{"data", KEY_STR, OFF(data), "/var/lib/cirtkit", 0, 0},
	{"db", KEY_STR, OFF(db), "", 0, 0},
	{"listen", KEY_STR, OFF(listen), "127.0.0.1:8080", 0, 0},
	{"tls_cert", KEY_STR, OFF(tls_cert), "", 0, 0},
	{"tls_key", KEY_STR, OFF(tls_key), "", 0, 0},
	{"insecure_http", KEY_BOOL, OFF(insecure_http), "false", 0, 0},
	{"threads", KEY_INT, OFF(threads), "0", 0, 256},
	{"max_body", KEY_SIZE, OFF(max_body), "1m", 1024, INT64_C(1) << 30},
	{"access_log", KEY_STR, OFF(access_log), "-", 0, 0},
	{"log_level", KEY_LEVEL, OFF(log_level), "info", 0, 0},
	{"team", KEY_STR, OFF(team), "CIRT", 0, 0},
	{"token_days", KEY_INT, OFF(token_days), "90", 0, 3650},
	{"session_hours", KEY_INT, OFF(session_hours), "12", 1, 720},
	{"incident_prefix", KEY_STR, OFF(incident_prefix), "CIRT", 0, 0},
	{"team_domain", KEY_STR, OFF(team_domain), "cirtkit.invalid", 0, 0},
	{"iodef_schema", KEY_STR, OFF(iodef_schema), "", 0, 0},
	{"evidence_max", KEY_SIZE, OFF(evidence_max), "8m", 1,
	 INT64_C(1) << 30},
	{"smtp", KEY_STR, OFF(smtp), "", 0, 0},
	{"smtp_user", KEY_STR, OFF(smtp_user), "", 0, 0},
	{"smtp_password", KEY_STR, OFF(smtp_password), "", 0, 0},
	{"mail_from", KEY_STR, OFF(mail_from), "", 0, 0},
	{"geo_table", KEY_STR, OFF(geo_table), "", 0, 0},
	{"geo_asn_mmdb", KEY_STR, OFF(geo_asn_mmdb), "", 0, 0},
	{"geo_country_mmdb", KEY_STR, OFF(geo_country_mmdb), "", 0, 0},
	{"feed_max", KEY_SIZE, OFF(feed_max), "2g", 1024, INT64_C(1) << 40},
	{"feed_timeout", KEY_INT, OFF(feed_timeout), "300", 1, 86400},
	{"notify_max", KEY_INT, OFF(notify_max), "10000", 1, 1000000},
	{"schedule", KEY_INT, OFF(schedule), "60", 0, 86400},
	{"feed_root", KEY_STR, OFF(feed_root), "", 0, 0},
	{"detect_allow_special", KEY_BOOL, OFF(detect_allow_special), "true", 0,
	 0},
	{"detect_allow_networks", KEY_STR, OFF(detect_allow_networks), "", 0,
	 0},
	{"detect_allow_domains", KEY_STR, OFF(detect_allow_domains), "", 0, 0},
	{"detect_event_days", KEY_INT, OFF(detect_event_days), "30", 0, 3650},
	{"detect_collection", KEY_STR, OFF(detect_collection), "sightings", 0,
	 0},
	{"detect_poll", KEY_INT, OFF(detect_poll), "2", 0, 86400},
	{"detect_rebuild", KEY_INT, OFF(detect_rebuild), "3600", 60, 604800},
};

static const struct key *find_key(const char *name)
{
	for (size_t i = 0; i < CIRT_ARRAY_LEN(keys); i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static int set_value(struct cirt_config *cfg, const struct key *k,
		     const char *value, const char *origin, struct cirt_diag *d)
{
	char *base = (char *)cfg + k->offset;
	uint64_t size;
	int64_t i;
	bool b;

	switch (k->type) {
	case KEY_STR:
		free(*(char **)(void *)base);
		*(char **)(void *)base = cirt_xstrdup(value);
		return 0;
	case KEY_LEVEL:
		if (cirt_log_parse_level(value) < 0)
			break;
		free(*(char **)(void *)base);
		*(char **)(void *)base = cirt_xstrdup(value);
		return 0;
	case KEY_BOOL:
		if (cirt_parse_bool(value, &b) < 0)
			break;
		*(bool *)(void *)base = b;
		return 0;
	case KEY_INT:
		if (cirt_parse_i64(value, k->min, k->max, &i) < 0)
			break;
		*(int64_t *)(void *)base = i;
		return 0;
	case KEY_SIZE:
		if (cirt_parse_size(value, (uint64_t)k->min, (uint64_t)k->max,
				    &size) < 0)
			break;
		*(uint64_t *)(void *)base = size;
		return 0;
	}
	switch (k->type) {
	case KEY_BOOL:
		return cirt_diag_set(d, -CIRT_EINVAL, k->name,
				     "%s: %s must be true or false, not '%s'",
				     origin, k->name, value);
	case KEY_LEVEL:
		return cirt_diag_set(d, -CIRT_EINVAL, k->name,
				     "%s: %s must be error, warning, info or "
				     "debug, not '%s'",
				     origin, k->name, value);
	default:
		return cirt_diag_set(
			d, -CIRT_EINVAL, k->name,
			"%s: %s must be a number from %lld to %lld%s, not '%s'",
			origin, k->name, (long long)k->min, (long long)k->max,
			k->type == KEY_SIZE ? " (k, m, g suffixes allowed)"
					    : "",
			value);
	}
}

void cirt_config_init(struct cirt_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < CIRT_ARRAY_LEN(keys); i++)
		if (set_value(cfg, &keys[i], keys[i].def, "default", NULL) < 0)
			cirt_fatalx("bad default for %s", keys[i].name);
}

void cirt_config_release(struct cirt_config *cfg)
{
	for (size_t i = 0; i < CIRT_ARRAY_LEN(keys); i++) {
		if (keys[i].type == KEY_STR || keys[i].type == KEY_LEVEL) {
			char **p =
				(char **)(void *)((char *)cfg + keys[i].offset);
			CIRT_FREE(*p);
		}
	}
}

int cirt_config_set(struct cirt_config *cfg, const char *key, const char *value,
		    const char *origin, struct cirt_diag *d)
{
	const struct key *k = find_key(key);

	if (k == NULL)
		return cirt_diag_set(d, -CIRT_EINVAL, key,
				     "%s: unknown configuration key '%s'",
				     origin, key);
	return set_value(cfg, k, value, origin, d);
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\r' || end[-1] == '\n'))
		*--end = '\0';
	return s;
}

/* Parse one `key = value` line; comments and blank lines are fine. */
static int parse_line(struct cirt_config *cfg, char *line, const char *origin,
		      struct cirt_diag *d)
{
	char *eq, *key, *value;
	size_t n;

	line = trim(line);
	if (*line == '\0' || *line == '#')
		return 0;
	eq = strchr(line, '=');
	if (eq == NULL)
		return cirt_diag_set(d, -CIRT_EINVAL, NULL,
				     "%s: expected 'key = value'", origin);
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	n = strlen(value);
	if (n >= 2 && value[0] == '"' && value[n - 1] == '"') {
		value[n - 1] = '\0';
		value++;
	}
	return cirt_config_set(cfg, key, value, origin, d);
}

static int load_file(struct cirt_config *cfg, const char *path,
		     struct cirt_diag *d)
{
	char line[CONFIG_LINE_MAX + 2];
	char origin[CONFIG_LINE_MAX];
	size_t total = 0;
	unsigned lineno = 0;
	int rc = 0;
	FILE *f;

	f = fopen(path, "r");
	if (f == NULL)
		return cirt_diag_set(d, -CIRT_EIO, "config",
				     "cannot read configuration file %s: %s",
				     path, strerror(errno));
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		total += strlen(line);
		snprintf(origin, sizeof(origin), "%s:%u", path, lineno);
		if (strlen(line) > CONFIG_LINE_MAX || total > CONFIG_FILE_MAX)
			rc = cirt_diag_set(d, -CIRT_ELIMIT, "config",
					   "%s: line or file too long", origin);
		else
			rc = parse_line(cfg, line, origin, d);
	}
	fclose(f);
	return rc;
}

static int load_env(struct cirt_config *cfg, struct cirt_diag *d)
{
	char var[64];
	const char *value;
	size_t j;
	int rc;

	for (size_t i = 0; i < CIRT_ARRAY_LEN(keys); i++) {
		snprintf(var, sizeof(var), "CIRTKIT_%s", keys[i].name);
		for (j = 8; var[j]; j++)
			var[j] = (char)toupper((unsigned char)var[j]);
		value = getenv(var);
		if (value == NULL)
			continue;
		rc = set_value(cfg, &keys[i], value, var, d);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int cirt_config_load(struct cirt_config *cfg, const char *path,
		     struct cirt_diag *d)
{
	int rc;

	if (path == NULL)
		path = getenv("CIRTKIT_CONFIG");
	if (path != NULL && *path != '\0') {
		rc = load_file(cfg, path, d);
		if (rc < 0)
			return rc;
	}
	return load_env(cfg, d);
}

int cirt_config_check(const struct cirt_config *cfg, struct cirt_diag *d)
{
	bool cert = cfg->tls_cert[0] != '\0', key = cfg->tls_key[0] != '\0';

	if (cert != key)
		return cirt_diag_set(d, -CIRT_EINVAL,
				     cert ? "tls_key" : "tls_cert",
				     "TLS needs both a certificate and a key");
	if (cfg->db[0] == '\0' && cfg->data[0] == '\0')
		return cirt_diag_set(
			d, -CIRT_EINVAL, "data",
			"no store: give --data DIR or --db CONNINFO");
	return 0;
}
