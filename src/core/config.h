/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Configuration: one table of keys, each settable from the configuration
 * file, the environment (CIRTKIT_<KEY>) and command-line flags, applied in
 * that order so that later sources win:
 *
 *   built-in defaults < file < environment < flags
 *
 * The file is the one named by --config or CIRTKIT_CONFIG; without either
 * no file is read. Its syntax is `key = value` lines with '#' comments
 * (docs/cli.md lists the keys).
 *
 * Layer: core. A config is filled once at start-up and then read-only.
 */
#ifndef CIRT_CORE_CONFIG_H
#define CIRT_CORE_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct cirt_config {
	char *data;	    /* data directory (the SQLite store lives in it) */
	char *db;	    /* PostgreSQL conninfo; "" selects SQLite */
	char *listen;	    /* HOST:PORT */
	char *tls_cert;	    /* PEM file, "" for plain HTTP */
	char *tls_key;	    /* PEM file */
	bool insecure_http; /* allow plain HTTP on a non-loopback address */
	int64_t threads;    /* HTTP worker threads */
	uint64_t max_body;  /* largest accepted request body, bytes */
	char *access_log;   /* file, "-" for stdout, "off" */
	char *log_level;    /* error, warning, info, debug */
	char *team;	    /* name of the team organisation made by init */
	int64_t token_days; /* default token lifetime; 0 = no expiry */
	int64_t session_hours; /* browser session lifetime */
	char *incident_prefix; /* incident identifiers: PREFIX-YEAR-N */
	char *team_domain;     /* the team's domain: IODEF IncidentID @name */
	char *iodef_schema;    /* iodef-2.0.xsd for imports, "" built-in */
	uint64_t evidence_max; /* largest evidence file, bytes */
	char *smtp;	       /* smtp[s]://host:port for digests, "" none */
	char *smtp_user;       /* SMTP AUTH, "" for none */
	char *smtp_password;
	char *mail_from;	   /* digests' From, "" for cirt@team_domain */
	char *geo_table;	   /* prefix table: PREFIX ASN CC, "" none */
	char *geo_asn_mmdb;	   /* MaxMind-format ASN database, "" none */
	char *geo_country_mmdb;	   /* MaxMind-format country database */
	uint64_t feed_max;	   /* largest feed download or input, bytes */
	int64_t feed_timeout;	   /* seconds for one download */
	int64_t notify_max;	   /* most events in one digest */
	char *feed_root;	   /* API feeds may read local files only
				 * below it; "" none */
	int64_t schedule;	   /* serve: seconds between looks for due
				 * feeds and digests; 0 off */
	bool detect_allow_special; /* drop indicators in special ranges */
	char *detect_allow_networks; /* "CIDR,CIDR": never indicators */
	char *detect_allow_domains;  /* file of popular domains, "" none */
	int64_t detect_event_days;   /* feed events of the last N days are
				      * indicators; 0 none */
	char *detect_collection;     /* where sightings are stored */
	int64_t detect_poll;	     /* serve: seconds between looks for new
				 * indicators; 0 off */
	int64_t detect_rebuild;	     /* serve: rebuild at least this often */
};

/* Fill cfg with the built-in defaults. */
void cirt_config_init(struct cirt_config *cfg);

/* Free the strings of cfg. */
void cirt_config_release(struct cirt_config *cfg);

/*
 * Read the file (path, or CIRTKIT_CONFIG when path is NULL; nothing if
 * neither) and then the environment. 0, or -CIRT_EINVAL (bad line or
 * value), -CIRT_EIO (unreadable file) or -CIRT_ELIMIT (a line over 4096
 * bytes or a file over 1 MiB), with a message naming the file and line or
 * the variable.
 */
int cirt_config_load(struct cirt_config *cfg, const char *path,
		     struct cirt_diag *d);

/*
 * Set key to the text value. origin names where the value came from
 * ("--listen", "CIRTKIT_LISTEN", "cirtkit.conf:3") for the error message.
 */
int cirt_config_set(struct cirt_config *cfg, const char *key, const char *value,
		    const char *origin, struct cirt_diag *d);

/* Check combinations (TLS cert without key, ...). */
int cirt_config_check(const struct cirt_config *cfg, struct cirt_diag *d);

#endif
