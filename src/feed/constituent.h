/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The constituency registry: for each constituent (an organisation of
 * kind constituent, account/org.h) its country, what it owns (AS numbers,
 * IPv4 and IPv6 ranges, domain names: what routing looks up,
 * feed/route.h), and its contacts, each with a language, a role and
 * notification preferences (how often, in which format, up to which TLP).
 *
 * A change arrives as a JSON body, the same from the API, the command
 * line and each row of a CSV import (docs/feeds.md):
 *
 *   {"name", "sector"?, "country"?, "asns"?: [64512 | "AS64512"],
 *    "cidrs"?: ["192.0.2.0/24"], "domains"?: ["ministry.example"],
 *    "contacts"?: [{"email", "lang"?, "role"?, "frequency"?, "format"?,
 *                   "tlp"?}]}
 *
 * A network has one owner: giving one that another constituent owns is
 * a conflict naming it. Every change is one transaction with its audit
 * entry; an import is one transaction for the whole file, all or
 * nothing.
 *
 * Layer: feed.
 */
#ifndef CIRT_FEED_CONSTITUENT_H
#define CIRT_FEED_CONSTITUENT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "audit/audit.h"
#include "store/db.h"

/* Most networks or contacts in one change (an import row may repeat a
 * name to give more). */
#define CIRT_CONSTITUENT_ITEMS_MAX 10000

/* Create a constituent from body; -CIRT_ECONFLICT if the name is taken.
 * *out (may be NULL) gets it as cirt_constituent_get shows it. */
int cirt_constituent_add(struct cirt_db *db, const struct cirt_actor *who,
			 json_t *body, json_t **out,
			 struct cirt_diag *d) CIRT_MUST_CHECK;

/* What an import did. */
struct cirt_constituent_import {
	int64_t rows;
	int64_t created; /* constituents */
	int64_t networks;
	int64_t contacts;
};

/*
 * Import a CSV file (fd) with a header row naming its columns: name
 * (required), sector, country, asns, cidrs, domains (lists separated by
 * spaces or ';'), email, lang, role, frequency, format, tlp. A row for a
 * name that exists adds to it (what it already has is left as is); rows
 * may repeat a name. One transaction; an error names the line and
 * column and nothing is kept.
 */
int cirt_constituent_import_csv(struct cirt_db *db,
				const struct cirt_actor *who, int fd,
				struct cirt_constituent_import *r,
				struct cirt_diag *d) CIRT_MUST_CHECK;

/* One constituent with its networks and contacts. */
int cirt_constituent_get(struct cirt_db *db, const char *name, json_t **out,
			 struct cirt_diag *d) CIRT_MUST_CHECK;

/* Every constituent, by name, with counts of networks and contacts. */
int cirt_constituent_list(struct cirt_db *db, json_t **out,
			  struct cirt_diag *d) CIRT_MUST_CHECK;

/* The contact preference vocabularies. */
extern const char *const cirt_contact_roles[];
extern const char *const cirt_contact_frequencies[];
extern const char *const cirt_contact_formats[];

/* Check an e-mail address (a plain addr-spec: local@domain, printable
 * ASCII without spaces, quotes or angle brackets, at most 254 bytes; the
 * domain a valid name). 0 or -CIRT_EINVAL naming field. */
int cirt_email_check(const char *s, const char *field, struct cirt_diag *d);

#endif
