/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * `cirtkit init`: create or upgrade the store. Idempotent: it creates the
 * data directory and the SQLite file if missing, applies the migrations
 * this binary has that the store lacks, creates the team organisation if
 * there is none, creates an `admin` user, printing its password once, if
 * there is no admin yet, and the TAXII API root "default". Running it
 * again changes nothing.
 *
 * Layer: cli.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "account/org.h"
#include "account/password.h"
#include "account/user.h"
#include "cli/cli.h"
#include "core/mem.h"
#include "incident/playbook.h"
#include "share/share.h"
#include "store/migrate.h"
#include "core/banned.h"

static const char usage[] =
	"usage: cirtkit init [--data DIR | --db CONNINFO] [--team NAME]\n"
	"\n"
	"Create the store, or upgrade it to this version of cirtkit. Creates\n"
	"the team's own organisation and an 'admin' user (printing its\n"
	"password once) when they do not exist yet. Safe to run again.\n"
	"\n"
	"  --team NAME       name of the team organisation (config: "
	"team)\n" CIRT_CLI_STORE_HELP;

/* mkdir -p, with mode 0700 for what is created. */
static int make_dirs(const char *path, struct cirt_diag *d)
{
	char buf[4096];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(buf))
		return cirt_diag_set(d, -CIRT_EINVAL, "data",
				     "data directory path is empty or too "
				     "long");
	memcpy(buf, path, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0700) < 0 && errno != EEXIST)
			return cirt_diag_set(d, -CIRT_EIO, "data",
					     "cannot create %s: %s", buf,
					     strerror(errno));
		buf[i] = i < n ? '/' : '\0';
	}
	return 0;
}

static int find_admin(const struct cirt_user *u, void *arg)
{
	(void)u;
	*(bool *)arg = true;
	return 0;
}

static int ensure_team(struct cirt_cli *c, struct cirt_db *db,
		       struct cirt_diag *d)
{
	struct cirt_org team;
	int rc = cirt_org_team(db, &team, d);

	if (rc == -CIRT_ENOTFOUND) {
		cirt_diag_init(d);
		rc = cirt_org_add(db, &c->actor, c->cfg.team,
				  strlen(c->cfg.team), CIRT_ORG_TEAM, &team, d);
		if (rc == 0)
			printf("team:    created organisation '%s'\n",
			       team.name);
		return rc;
	}
	if (rc == 0)
		printf("team:    %s\n", team.name);
	return rc;
}

static int ensure_admin(struct cirt_cli *c, struct cirt_db *db,
			struct cirt_diag *d)
{
	char pw[CIRT_PASSWORD_GEN_LEN + 1];
	struct cirt_user_filter f = {.role = CIRT_ROLE_ADMIN, .limit = 1};
	struct cirt_user_new u = {0};
	struct cirt_org team;
	bool found = false;
	int rc;

	rc = cirt_user_list(db, &f, find_admin, &found, d);
	if (rc < 0 || found)
		return rc;
	rc = cirt_org_team(db, &team, d);
	if (rc < 0)
		return rc;
	cirt_password_generate(pw);
	u.name = "admin";
	u.name_len = 5;
	u.org = team.name;
	u.role = CIRT_ROLE_ADMIN;
	u.password = pw;
	u.password_len = strlen(pw);
	rc = cirt_user_add(db, &c->actor, &u, NULL, d);
	if (rc == 0)
		printf("admin:   created user 'admin'; its password is shown "
		       "only now:\n%s\n",
		       pw);
	cirt_wipe(pw, sizeof(pw));
	return rc;
}

/* The TAXII API root "default", titled after the team. */
static int ensure_root(struct cirt_cli *c, struct cirt_db *db,
		       struct cirt_diag *d)
{
	char title[CIRT_ORG_NAME_MAX + 32];
	struct cirt_api_root root;
	struct cirt_org team;
	bool made = false;
	int rc = cirt_org_team(db, &team, d);

	snprintf(title, sizeof(title), "%s shared threat information",
		 team.name);
	if (rc == 0)
		rc = cirt_root_ensure(db, &c->actor, "default", title, NULL,
				      &root, &made, d);
	if (rc == 0 && made)
		printf("taxii:   created API root /taxii2/default/\n");
	return rc;
}

/* The shipped playbooks, the first time only (incident/playbook.c). */
static int ensure_playbooks(struct cirt_cli *c, struct cirt_db *db,
			    struct cirt_diag *d)
{
	int n = cirt_playbook_seed(db, &c->actor, d);

	if (n > 0)
		printf("incident: added %d shipped playbooks\n", n);
	return n < 0 ? n : 0;
}

static int run(struct cirt_cli *c)
{
	struct cirt_db *db = NULL;
	struct cirt_diag d;
	int from = 0, to = 0, rc;
	size_t n;
	const struct cirt_migration *m = cirt_migrations(&n);

	cirt_diag_init(&d);
	if (c->cfg.db[0] == '\0' && make_dirs(c->cfg.data, &d) < 0)
		return cirt_cli_fail(&d);
	rc = cirt_cli_open(c, true, &db);
	if (rc != CIRT_EXIT_OK)
		return rc;
	rc = cirt_migrate(db, m, n, &from, &to, &d);
	if (rc == 0) {
		if (c->cfg.db[0])
			printf("store:   PostgreSQL, schema version %d", to);
		else
			printf("store:   %s, schema version %d", c->store_path,
			       to);
		printf(from == to ? " (up to date)\n" : " (was %d)\n", from);
		rc = ensure_team(c, db, &d);
	}
	if (rc == 0)
		rc = ensure_root(c, db, &d);
	if (rc == 0)
		rc = ensure_playbooks(c, db, &d);
	/* Last, so that a new password is the last line printed. */
	if (rc == 0)
		rc = ensure_admin(c, db, &d);
	cirt_db_close(db);
	return rc < 0 ? cirt_cli_fail(&d) : CIRT_EXIT_OK;
}

int cirt_cmd_init(int argc, char **argv)
{
	static const struct cirt_cli_opt opts[] = {
		{"team", NULL, "team", NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 0, 0);
	if (rc < 0)
		rc = run(&c);
	cirt_cli_release(&c);
	return rc;
}
