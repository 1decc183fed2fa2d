/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Threat sharing: TAXII API roots and the collections in them. A
 * collection has a TLP ceiling chosen when it is made (CLEAR to
 * AMBER+STRICT: TLP:RED never enters one), and grants that say which
 * organisations other than the team may read and write it. Who may do
 * what is decided by account/authz.c from those grants; the objects
 * themselves are share/share_object.h.
 *
 * Layer: share (above account and stix). Changes run in a transaction with
 * their audit entry.
 */
#ifndef CIRT_SHARE_H
#define CIRT_SHARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "account/authz.h"
#include "account/org.h"
#include "audit/audit.h"
#include "core/tlp.h"
#include "core/uuid.h"
#include "store/db.h"

#define CIRT_ROOT_NAME_MAX   64
#define CIRT_TITLE_MAX	     256
#define CIRT_DESCRIPTION_MAX 1024
#define CIRT_ALIAS_MAX	     128
/* Organisations named in a collection's grants. */
#define CIRT_GRANTS_MAX 64

struct cirt_api_root {
	int64_t id;
	char name[CIRT_ROOT_NAME_MAX + 1];
	char title[CIRT_TITLE_MAX + 1];
	char description[CIRT_DESCRIPTION_MAX + 1];
	int64_t created_at;
};

/* Check an API root name: it is a path segment, so 1 to 64 of a-z, 0-9,
 * '.', '_', '-', starting with a letter or digit. */
int cirt_root_check_name(const char *name, size_t len, struct cirt_diag *d);

/* The API root named name, made with title and description (may be NULL)
 * if missing; *made (may be NULL) tells whether it was. Runs in its own
 * transaction. */
int cirt_root_ensure(struct cirt_db *db, const struct cirt_actor *who,
		     const char *name, const char *title,
		     const char *description, struct cirt_api_root *out,
		     bool *made, struct cirt_diag *d) CIRT_MUST_CHECK;

/* -CIRT_ENOTFOUND if there is none. */
int cirt_root_get(struct cirt_db *db, const char *name,
		  struct cirt_api_root *out,
		  struct cirt_diag *d) CIRT_MUST_CHECK;

typedef int (*cirt_root_fn)(const struct cirt_api_root *r, void *arg);

/* Every API root, by name. */
int cirt_root_list(struct cirt_db *db, cirt_root_fn fn, void *arg,
		   struct cirt_diag *d) CIRT_MUST_CHECK;

struct cirt_collection {
	int64_t id;
	char uuid[CIRT_UUID_LEN + 1];
	int64_t root_id;
	char root[CIRT_ROOT_NAME_MAX + 1];
	char title[CIRT_TITLE_MAX + 1];
	char description[CIRT_DESCRIPTION_MAX + 1];
	char alias[CIRT_ALIAS_MAX + 1]; /* "" when none */
	enum cirt_tlp tlp_max;
	char spec_versions[32]; /* "2.0,2.1": what is stored so far */
	int64_t created_at;
};

/* A grant to one organisation, by name. */
struct cirt_grant {
	const char *org;
	bool can_read;
	bool can_write;
};

/* The organisation named, which may be granted collections: any but the
 * team, which has them all. -CIRT_ENOTFOUND or -CIRT_EINVAL naming it. */
int cirt_grantee_get(struct cirt_db *db, const char *name, struct cirt_org *out,
		     struct cirt_diag *d) CIRT_MUST_CHECK;

/* What a new collection is made of; strings borrowed. */
struct cirt_collection_new {
	const char *root; /* made if missing, titled after its name */
	const char *uuid; /* NULL for a new UUIDv4 (medallion keeps its) */
	const char *title;
	const char *description; /* may be NULL */
	const char *alias;	 /* may be NULL */
	enum cirt_tlp tlp_max;	 /* CLEAR to AMBER+STRICT */
	const struct cirt_grant *grants;
	size_t ngrants;
};

int cirt_collection_add(struct cirt_db *db, const struct cirt_actor *who,
			const struct cirt_collection_new *n,
			struct cirt_collection *out,
			struct cirt_diag *d) CIRT_MUST_CHECK;

/*
 * The collection whose id (a UUID) or alias is key, in the API root
 * root_id (0 for any root). -CIRT_ENOTFOUND if there is none.
 */
int cirt_collection_get(struct cirt_db *db, int64_t root_id, const char *key,
			struct cirt_collection *out,
			struct cirt_diag *d) CIRT_MUST_CHECK;

typedef int (*cirt_collection_fn)(const struct cirt_collection *c, void *arg);

/* The collections of root_id (0 for all), in order of creation. */
int cirt_collection_list(struct cirt_db *db, int64_t root_id,
			 cirt_collection_fn fn, void *arg,
			 struct cirt_diag *d) CIRT_MUST_CHECK;

/* What p may do with c (account/authz.c decides, from c's grants). */
int cirt_collection_access(struct cirt_db *db, const struct cirt_principal *p,
			   const struct cirt_collection *c, bool *can_read,
			   bool *can_write,
			   struct cirt_diag *d) CIRT_MUST_CHECK;

typedef int (*cirt_grant_fn)(const char *org, bool can_read, bool can_write,
			     void *arg);

/* The grants of c, by organisation name. */
int cirt_collection_grants(struct cirt_db *db, const struct cirt_collection *c,
			   cirt_grant_fn fn, void *arg,
			   struct cirt_diag *d) CIRT_MUST_CHECK;

#endif
