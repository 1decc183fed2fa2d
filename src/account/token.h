/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * API tokens: "cirt_" followed by 64 hex digits (256 random bits), shown
 * once when created and stored only as their SHA-256. A token belongs to
 * one user, may carry a label, expires (by default after token_days days;
 * 0 means never) and can be revoked. It stops working when it expires, is
 * revoked, or its user is disabled, whichever comes first.
 *
 * Layer: account. Creation and revocation run in a transaction with their
 * audit entry. Authentication is one indexed lookup, plus a write at most
 * once an hour per token to record when it was last used.
 */
#ifndef CIRT_ACCOUNT_TOKEN_H
#define CIRT_ACCOUNT_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "account/authz.h"
#include "audit/audit.h"
#include "store/db.h"

#define CIRT_TOKEN_PREFIX    "cirt_"
#define CIRT_TOKEN_LEN	     (5 + 64)
#define CIRT_TOKEN_LABEL_MAX 128
#define CIRT_TOKEN_DAYS_MAX  3650

struct cirt_token {
	int64_t id;
	int64_t user_id;
	char user[CIRT_USER_NAME_MAX + 1];
	int64_t org_id;
	char label[CIRT_TOKEN_LABEL_MAX + 1];
	int64_t created_at;
	int64_t expires_at;   /* 0: never */
	int64_t revoked_at;   /* 0: not revoked */
	int64_t last_used_at; /* 0: never used */
};

/* True if s has the shape of a token (so HTTP Basic can tell a token used
 * as password from a real password). */
bool cirt_token_looks_like(const char *s, size_t len);

/*
 * Create a token for user, valid for days days (0: no expiry). secret gets
 * the token text, which exists nowhere else afterwards. label may be NULL.
 */
int cirt_token_create(struct cirt_db *db, const struct cirt_actor *who,
		      const char *user, const char *label, size_t label_len,
		      int64_t days, struct cirt_token *out,
		      char secret[CIRT_TOKEN_LEN + 1],
		      struct cirt_diag *d) CIRT_MUST_CHECK;

/* -CIRT_ENOTFOUND if there is no such token. */
int cirt_token_get(struct cirt_db *db, int64_t id, struct cirt_token *out,
		   struct cirt_diag *d) CIRT_MUST_CHECK;

/* Revoke; -CIRT_ECONFLICT if it was already revoked. */
int cirt_token_revoke(struct cirt_db *db, const struct cirt_actor *who,
		      int64_t id, struct cirt_diag *d) CIRT_MUST_CHECK;

/* The JSON representation (never the secret). */
json_t *cirt_token_json(const struct cirt_token *t);

struct cirt_token_filter {
	int64_t user_id; /* 0 for any */
	int64_t org_id;	 /* 0 for any */
	int64_t after;	 /* paging cursor */
	int64_t limit;
};

typedef int (*cirt_token_fn)(const struct cirt_token *t, void *arg);

int cirt_token_list(struct cirt_db *db, const struct cirt_token_filter *f,
		    cirt_token_fn fn, void *arg,
		    struct cirt_diag *d) CIRT_MUST_CHECK;

/* Authenticate a token; -CIRT_EAUTH saying whether it is unknown, expired
 * or revoked, or its user disabled. */
int cirt_token_authenticate(struct cirt_db *db, const char *secret, size_t len,
			    struct cirt_principal *out,
			    struct cirt_diag *d) CIRT_MUST_CHECK;

#endif
