/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * `cirtkit user add|list|disable|enable|password`. A password comes from
 * standard input with --password-stdin; otherwise a random one is made and
 * printed alone on stdout, once.
 *
 * Layer: cli.
 */
#include <stdio.h>
#include <string.h>

#include "account/password.h"
#include "account/user.h"
#include "cli/cli.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/banned.h"

static const char add_usage[] =
	"usage: cirtkit user add NAME --org ORG "
	"--role admin|analyst|constituent|partner\n"
	"                        [--password-stdin]\n"
	"\n"
	"Add a user to an organisation. Admins and analysts belong to the\n"
	"team, constituents to a constituent, partners to a partner team.\n"
	"Without --password-stdin a random password is printed, once.\n"
	"\n"
	"  --password-stdin  read the password from the first line of "
	"stdin\n" CIRT_CLI_STORE_HELP;

static const char list_usage[] =
	"usage: cirtkit user list [--org ORG] [--format table|json]\n"
	"\n"
	"List users.\n" CIRT_CLI_STORE_HELP;

static const char disable_usage[] =
	"usage: cirtkit user disable NAME\n"
	"\n"
	"Disable a user: their sessions end and their tokens stop working at\n"
	"once (and work again after `cirtkit user "
	"enable`).\n" CIRT_CLI_STORE_HELP;

static const char enable_usage[] =
	"usage: cirtkit user enable NAME\n"
	"\n"
	"Enable a disabled user again.\n" CIRT_CLI_STORE_HELP;

static const char password_usage[] =
	"usage: cirtkit user password NAME [--password-stdin]\n"
	"\n"
	"Set a user's password (a random one, printed once, unless\n"
	"--password-stdin). Ends the user's browser "
	"sessions.\n" CIRT_CLI_STORE_HELP;

/* The password to set: from stdin, or generated (then *generated). */
static int get_password(bool from_stdin, char *buf, size_t size, size_t *len,
			bool *generated, struct cirt_diag *d)
{
	*generated = !from_stdin;
	if (from_stdin)
		return cirt_cli_read_secret(buf, size, len, d);
	CIRT_ASSERT(size > CIRT_PASSWORD_GEN_LEN);
	cirt_password_generate(buf);
	*len = strlen(buf);
	return 0;
}

static int add(struct cirt_cli *c, const char *org, const char *role,
	       bool from_stdin)
{
	char pw[CIRT_PASSWORD_MAX + 2];
	struct cirt_user_new u = {0};
	struct cirt_db *db = NULL;
	struct cirt_diag d;
	bool generated;
	int rc;

	cirt_diag_init(&d);
	if (org == NULL)
		return cirt_cli_usage(c, "--org is required");
	if (role == NULL || cirt_role_parse(role, &u.role) < 0)
		return cirt_cli_usage(c, "--role must be admin, analyst, "
					 "constituent or partner");
	if (get_password(from_stdin, pw, sizeof(pw), &u.password_len,
			 &generated, &d) < 0)
		return cirt_cli_fail(&d);
	rc = cirt_cli_open(c, false, &db);
	if (rc == CIRT_EXIT_OK) {
		u.name = c->args[0];
		u.name_len = strlen(u.name);
		u.org = org;
		u.password = pw;
		if (cirt_user_add(db, &c->actor, &u, NULL, &d) < 0) {
			rc = cirt_cli_fail(&d);
		} else {
			fprintf(stderr, "cirtkit: added user '%s'%s\n", u.name,
				generated ? "; its password, shown only now:"
					  : "");
			if (generated)
				printf("%s\n", pw);
		}
	}
	cirt_wipe(pw, sizeof(pw));
	cirt_db_close(db);
	return rc;
}

int cirt_cmd_user_add(int argc, char **argv)
{
	const char *org = NULL, *role = NULL;
	bool from_stdin = false;
	const struct cirt_cli_opt opts[] = {
		{"org", &org, NULL, NULL, 0},
		{"role", &role, NULL, NULL, 0},
		{"password-stdin", NULL, NULL, &from_stdin, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, add_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 1, 1);
	if (rc < 0)
		rc = add(&c, org, role, from_stdin);
	cirt_cli_release(&c);
	return rc;
}

static int print_user(const struct cirt_user *u, void *arg)
{
	char t[32];

	if (cirt_cli_list_item(arg, u->id, cirt_user_json(u)))
		printf("%-6lld %-24s %-12s %-9s %-20s %s\n", (long long)u->id,
		       u->name, cirt_role_name(u->role),
		       u->disabled ? "disabled" : "active",
		       cirt_cli_time(u->created_at, t, sizeof(t)), u->org);
	return 0;
}

static int list(struct cirt_cli *c, const char *org, const char *format)
{
	struct cirt_user_filter f = {.role = -1, .limit = CIRT_CLI_PAGE};
	struct cirt_db *db = NULL;
	struct cirt_cli_list out;
	struct cirt_diag d;
	struct cirt_org o;
	int rc;

	cirt_diag_init(&d);
	rc = cirt_cli_list_begin(c, &out, format,
				 "ID     NAME                     ROLE         "
				 "STATE     CREATED              ORG");
	if (rc >= 0)
		return rc;
	rc = cirt_cli_open(c, false, &db);
	if (rc != CIRT_EXIT_OK)
		goto out;
	if (org && cirt_org_get(db, org, &o, &d) < 0) {
		rc = cirt_cli_fail(&d);
		goto out;
	}
	f.org_id = org ? o.id : 0;
	do {
		cirt_cli_list_page(&out, &f.after);
		rc = cirt_user_list(db, &f, print_user, &out, &d);
	} while (rc == 0 && out.count == f.limit);
	rc = cirt_cli_list_end(&out, rc, &d);
out:
	cirt_cli_list_release(&out);
	cirt_db_close(db);
	return rc;
}

int cirt_cmd_user_list(int argc, char **argv)
{
	const char *org = NULL, *format = "table";
	const struct cirt_cli_opt opts[] = {
		{"org", &org, NULL, NULL, 0},
		{"format", &format, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, list_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 0, 0);
	if (rc < 0)
		rc = list(&c, org, format);
	cirt_cli_release(&c);
	return rc;
}

/* Apply one change to the user named by the only operand. */
static int change(struct cirt_cli *c, const struct cirt_user_change *ch,
		  const char *done)
{
	struct cirt_db *db = NULL;
	struct cirt_diag d;
	int rc;

	cirt_diag_init(&d);
	rc = cirt_cli_open(c, false, &db);
	if (rc != CIRT_EXIT_OK)
		return rc;
	if (cirt_user_update(db, &c->actor, c->args[0], ch, NULL, &d) < 0)
		rc = cirt_cli_fail(&d);
	else
		fprintf(stderr, "cirtkit: user '%s' %s\n", c->args[0], done);
	cirt_db_close(db);
	return rc;
}

static int set_disabled(int argc, char **argv, const char *usage, bool disabled)
{
	struct cirt_user_change ch = {.set_disabled = true,
				      .disabled = disabled};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, usage);
	rc = cirt_cli_start(&c, argc, argv, NULL, 1, 1);
	if (rc < 0)
		rc = change(&c, &ch, disabled ? "disabled" : "enabled");
	cirt_cli_release(&c);
	return rc;
}

int cirt_cmd_user_disable(int argc, char **argv)
{
	return set_disabled(argc, argv, disable_usage, true);
}

int cirt_cmd_user_enable(int argc, char **argv)
{
	return set_disabled(argc, argv, enable_usage, false);
}

static int set_password(struct cirt_cli *c, bool from_stdin)
{
	char pw[CIRT_PASSWORD_MAX + 2];
	struct cirt_user_change ch = {0};
	struct cirt_diag d;
	bool generated;
	int rc;

	cirt_diag_init(&d);
	if (get_password(from_stdin, pw, sizeof(pw), &ch.password_len,
			 &generated, &d) < 0)
		return cirt_cli_fail(&d);
	ch.password = pw;
	rc = change(c, &ch,
		    generated ? "has a new password, shown only now:"
			      : "has a new password");
	if (rc == CIRT_EXIT_OK && generated)
		printf("%s\n", pw);
	cirt_wipe(pw, sizeof(pw));
	return rc;
}

int cirt_cmd_user_password(int argc, char **argv)
{
	bool from_stdin = false;
	const struct cirt_cli_opt opts[] = {
		{"password-stdin", NULL, NULL, &from_stdin, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, password_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 1, 1);
	if (rc < 0)
		rc = set_password(&c, from_stdin);
	cirt_cli_release(&c);
	return rc;
}
