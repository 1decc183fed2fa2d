/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * `cirtkit token create|revoke|list`. `token create` prints the token
 * alone on stdout, the only time it is ever shown.
 *
 * Layer: cli.
 */
#include <stdio.h>
#include <string.h>

#include "account/token.h"
#include "account/user.h"
#include "cli/cli.h"
#include "core/mem.h"
#include "core/parse.h"
#include "core/banned.h"

static const char create_usage[] =
	"usage: cirtkit token create USER [--expires-days N] [--label TEXT]\n"
	"\n"
	"Create an API token for USER and print it alone on stdout. It is\n"
	"shown only now; only its hash is kept.\n"
	"\n"
	"  --expires-days N  days until it expires, 0 for never (default from\n"
	"                    the token_days setting: 90)\n"
	"  --label TEXT      what the token is for\n" CIRT_CLI_STORE_HELP;

static const char revoke_usage[] =
	"usage: cirtkit token revoke ID\n"
	"\n"
	"Revoke a token: it stops working at once.\n" CIRT_CLI_STORE_HELP;

static const char list_usage[] =
	"usage: cirtkit token list [--user USER] [--format table|json]\n"
	"\n"
	"List tokens (never their secrets).\n" CIRT_CLI_STORE_HELP;

static int create(struct cirt_cli *c, const char *days_text, const char *label)
{
	char secret[CIRT_TOKEN_LEN + 1], t[32];
	int64_t days = c->cfg.token_days;
	struct cirt_db *db = NULL;
	struct cirt_token tok;
	struct cirt_diag d;
	int rc;

	cirt_diag_init(&d);
	if (days_text &&
	    cirt_parse_i64(days_text, 0, CIRT_TOKEN_DAYS_MAX, &days) < 0)
		return cirt_cli_usage(c,
				      "--expires-days must be a number "
				      "from 0 to %d",
				      CIRT_TOKEN_DAYS_MAX);
	rc = cirt_cli_open(c, false, &db);
	if (rc != CIRT_EXIT_OK)
		return rc;
	if (cirt_token_create(db, &c->actor, c->args[0], label,
			      label ? strlen(label) : 0, days, &tok, secret,
			      &d) < 0) {
		rc = cirt_cli_fail(&d);
	} else {
		printf("%s\n", secret);
		fprintf(stderr, "cirtkit: token %lld for '%s', expires %s\n",
			(long long)tok.id, tok.user,
			tok.expires_at
				? cirt_cli_time(tok.expires_at, t, sizeof(t))
				: "never");
	}
	cirt_wipe(secret, sizeof(secret));
	cirt_db_close(db);
	return rc;
}

int cirt_cmd_token_create(int argc, char **argv)
{
	const char *days = NULL, *label = NULL;
	const struct cirt_cli_opt opts[] = {
		{"expires-days", &days, NULL, NULL, 0},
		{"label", &label, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, create_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 1, 1);
	if (rc < 0)
		rc = create(&c, days, label);
	cirt_cli_release(&c);
	return rc;
}

static int revoke(struct cirt_cli *c)
{
	struct cirt_db *db = NULL;
	struct cirt_diag d;
	int64_t id;
	int rc;

	cirt_diag_init(&d);
	if (cirt_parse_i64(c->args[0], 1, INT64_MAX, &id) < 0)
		return cirt_cli_usage(c, "ID must be a token id (a number)");
	rc = cirt_cli_open(c, false, &db);
	if (rc != CIRT_EXIT_OK)
		return rc;
	if (cirt_token_revoke(db, &c->actor, id, &d) < 0)
		rc = cirt_cli_fail(&d);
	else
		fprintf(stderr, "cirtkit: token %lld revoked\n", (long long)id);
	cirt_db_close(db);
	return rc;
}

int cirt_cmd_token_revoke(int argc, char **argv)
{
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, revoke_usage);
	rc = cirt_cli_start(&c, argc, argv, NULL, 1, 1);
	if (rc < 0)
		rc = revoke(&c);
	cirt_cli_release(&c);
	return rc;
}

static int print_token(const struct cirt_token *tok, void *arg)
{
	struct cirt_cli_list *out = arg;
	char c[32], e[32], r[32], u[32];

	if (cirt_cli_list_item(out, tok->id, cirt_token_json(tok)))
		printf("%-6lld %-24s %-20s %-20s %-20s %-20s %s\n",
		       (long long)tok->id, tok->user,
		       cirt_cli_time(tok->created_at, c, sizeof(c)),
		       cirt_cli_time(tok->expires_at, e, sizeof(e)),
		       cirt_cli_time(tok->revoked_at, r, sizeof(r)),
		       cirt_cli_time(tok->last_used_at, u, sizeof(u)),
		       tok->label);
	return 0;
}

static int list(struct cirt_cli *c, const char *user, const char *format)
{
	struct cirt_token_filter f = {.limit = CIRT_CLI_PAGE};
	struct cirt_db *db = NULL;
	struct cirt_cli_list out;
	struct cirt_user u;
	struct cirt_diag d;
	int rc;

	cirt_diag_init(&d);
	rc = cirt_cli_list_begin(
		c, &out, format,
		"ID     USER                     CREATED       "
		"       EXPIRES              REVOKED          "
		"    LAST USED            LABEL");
	if (rc >= 0)
		return rc;
	rc = cirt_cli_open(c, false, &db);
	if (rc != CIRT_EXIT_OK)
		goto out;
	if (user && cirt_user_get(db, user, &u, &d) < 0) {
		rc = cirt_cli_fail(&d);
		goto out;
	}
	f.user_id = user ? u.id : 0;
	do {
		cirt_cli_list_page(&out, &f.after);
		rc = cirt_token_list(db, &f, print_token, &out, &d);
	} while (rc == 0 && out.count == f.limit);
	rc = cirt_cli_list_end(&out, rc, &d);
out:
	cirt_cli_list_release(&out);
	cirt_db_close(db);
	return rc;
}

int cirt_cmd_token_list(int argc, char **argv)
{
	const char *user = NULL, *format = "table";
	const struct cirt_cli_opt opts[] = {
		{"user", &user, NULL, NULL, 0},
		{"format", &format, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, list_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 0, 0);
	if (rc < 0)
		rc = list(&c, user, format);
	cirt_cli_release(&c);
	return rc;
}
