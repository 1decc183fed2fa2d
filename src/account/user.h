/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Users: a login name (a-z, 0-9, '.', '_', '@', '-'; up to 64), an
 * organisation, a role that fits the organisation's kind, an Argon2id
 * password hash, and a disabled flag. Disabling a user ends their
 * sessions and stops every token of theirs at once: every authentication
 * checks the flag.
 *
 * Layer: account. Changes run in their own transaction with their audit
 * entry; password hashing is done before the transaction opens.
 */
#ifndef CIRT_ACCOUNT_USER_H
#define CIRT_ACCOUNT_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "account/authz.h"
#include "account/org.h"

struct cirt_user {
	int64_t id;
	char name[CIRT_USER_NAME_MAX + 1];
	enum cirt_role role;
	bool disabled;
	int64_t org_id;
	char org[CIRT_ORG_NAME_MAX + 1];
	enum cirt_org_kind org_kind;
	int64_t created_at;
	int64_t updated_at;
};

/* Check a user name; 0 or -CIRT_EINVAL naming field. */
int cirt_user_check_name(const char *name, size_t len, const char *field,
			 struct cirt_diag *d);

/* What a new user is made of; strings borrowed. */
struct cirt_user_new {
	const char *name;
	size_t name_len;
	const char *org;
	enum cirt_role role;
	const char *password;
	size_t password_len;
};

int cirt_user_add(struct cirt_db *db, const struct cirt_actor *who,
		  const struct cirt_user_new *u, struct cirt_user *out,
		  struct cirt_diag *d) CIRT_MUST_CHECK;

/* -CIRT_ENOTFOUND if there is no such user. */
int cirt_user_get(struct cirt_db *db, const char *name, struct cirt_user *out,
		  struct cirt_diag *d) CIRT_MUST_CHECK;

/* The JSON representation used by the API and `--format json`. */
json_t *cirt_user_json(const struct cirt_user *u);

struct cirt_user_filter {
	int64_t org_id; /* 0 for any */
	int64_t only;	/* only this user id, or 0 */
	int role;	/* an enum cirt_role, or -1 for any */
	int64_t after;	/* paging cursor: ids greater than this */
	int64_t limit;
};

typedef int (*cirt_user_fn)(const struct cirt_user *u, void *arg);

int cirt_user_list(struct cirt_db *db, const struct cirt_user_filter *f,
		   cirt_user_fn fn, void *arg,
		   struct cirt_diag *d) CIRT_MUST_CHECK;

/* A change to a user; only the parts marked set apply. */
struct cirt_user_change {
	bool set_role;
	enum cirt_role role;
	bool set_disabled;
	bool disabled;
	const char *password; /* NULL: unchanged */
	size_t password_len;
};

/*
 * Apply a change in one transaction, validated as a whole first: either
 * every part is applied and audited, or nothing is. Disabling the user or
 * setting a password also ends the user's sessions. Parts that ask for the
 * state the user is already in change nothing. out (may be NULL) gets the
 * user as it is afterwards.
 */
int cirt_user_update(struct cirt_db *db, const struct cirt_actor *who,
		     const char *name, const struct cirt_user_change *c,
		     struct cirt_user *out,
		     struct cirt_diag *d) CIRT_MUST_CHECK;

/*
 * Check a user name and password (HTTP Basic, browser login). On success
 * fills out (via = CIRT_VIA_PASSWORD). Failures are -CIRT_EAUTH with a
 * message that does not tell a wrong name from a wrong password.
 */
int cirt_user_login(struct cirt_db *db, const char *name, const char *pw,
		    size_t len, struct cirt_principal *out,
		    struct cirt_diag *d) CIRT_MUST_CHECK;

#endif
