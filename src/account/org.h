/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Organisations: the team itself (exactly one), its constituents (the
 * ministries, operators, banks it serves) and its partner teams. Names are
 * free text (any language, 1 to 128 bytes of UTF-8 on one line) and
 * unique; they are how people and scripts refer to an organisation.
 * An organisation may name its sector (for the national statistics) from
 * a fixed vocabulary modelled on the NIS2 sectors (cirt_org_sectors());
 * "" means unknown.
 *
 * Layer: account. Functions take a store connection owned by the caller's
 * thread; changes run in their own transaction with their audit entry.
 */
#ifndef CIRT_ACCOUNT_ORG_H
#define CIRT_ACCOUNT_ORG_H

#include <stddef.h>
#include <stdint.h>

#include "audit/audit.h"
#include "store/db.h"

#define CIRT_ORG_NAME_MAX   128
#define CIRT_ORG_SECTOR_MAX 40

enum cirt_org_kind {
	CIRT_ORG_TEAM,
	CIRT_ORG_CONSTITUENT,
	CIRT_ORG_PARTNER,
	CIRT_ORG_KIND_COUNT
};

struct cirt_org {
	int64_t id;
	char name[CIRT_ORG_NAME_MAX + 1];
	enum cirt_org_kind kind;
	char sector[CIRT_ORG_SECTOR_MAX + 1]; /* "" when unknown */
	int64_t created_at;
};

/* What cirt_org_create() makes: name[0..name_len), a kind, and a sector
 * ("" or NULL for unknown). Pointers borrowed. */
struct cirt_org_new {
	const char *name;
	size_t name_len;
	enum cirt_org_kind kind;
	const char *sector;
};

const char *cirt_org_kind_name(enum cirt_org_kind k);
/* 0 or -CIRT_EINVAL. */
int cirt_org_kind_parse(const char *s, enum cirt_org_kind *out);

/* The sector vocabulary, in its documented order; *n gets its size. */
const char *const *cirt_org_sectors(size_t *n);

/* Check a sector: "" or one of cirt_org_sectors(). 0 or -CIRT_EINVAL
 * naming field and listing the sectors. */
int cirt_org_check_sector(const char *sector, const char *field,
			  struct cirt_diag *d);

/* Check an organisation name; 0 or -CIRT_EINVAL naming field. */
int cirt_org_check_name(const char *name, size_t len, const char *field,
			struct cirt_diag *d);

/* Create an organisation. -CIRT_ECONFLICT if the name is taken or a second
 * team is asked for. out may be NULL. */
int cirt_org_add(struct cirt_db *db, const struct cirt_actor *who,
		 const char *name, size_t len, enum cirt_org_kind kind,
		 struct cirt_org *out, struct cirt_diag *d) CIRT_MUST_CHECK;

/* Create an organisation with a sector (audit "org.add"); as above. */
int cirt_org_create(struct cirt_db *db, const struct cirt_actor *who,
		    const struct cirt_org_new *n, struct cirt_org *out,
		    struct cirt_diag *d) CIRT_MUST_CHECK;

/* Create an organisation inside the caller's transaction, without an
 * audit entry (the caller writes one for the whole change); checks as
 * cirt_org_create. */
int cirt_org_insert(struct cirt_db *db, const struct cirt_org_new *n,
		    struct cirt_org *out, struct cirt_diag *d) CIRT_MUST_CHECK;

/* Look up by name (-CIRT_ENOTFOUND if none). */
int cirt_org_get(struct cirt_db *db, const char *name, struct cirt_org *out,
		 struct cirt_diag *d) CIRT_MUST_CHECK;

/* The team's own organisation (-CIRT_ENOTFOUND before init). */
int cirt_org_team(struct cirt_db *db, struct cirt_org *out,
		  struct cirt_diag *d) CIRT_MUST_CHECK;

struct cirt_org_filter {
	int kind;      /* an enum cirt_org_kind, or -1 for any */
	int64_t only;  /* only this id, or 0 */
	int64_t after; /* ids greater than this (paging cursor) */
	int64_t limit;
};

/* The JSON representation used by the API and `--format json`. */
json_t *cirt_org_json(const struct cirt_org *o);

typedef int (*cirt_org_fn)(const struct cirt_org *o, void *arg);

/* Call fn for each matching organisation in id order; a negative return
 * from fn stops and is returned. */
int cirt_org_list(struct cirt_db *db, const struct cirt_org_filter *f,
		  cirt_org_fn fn, void *arg,
		  struct cirt_diag *d) CIRT_MUST_CHECK;

#endif
