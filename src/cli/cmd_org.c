/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * `cirtkit org add` and `cirtkit org list`.
 *
 * Layer: cli.
 */
#include <stdio.h>
#include <string.h>

#include "account/org.h"
#include "cli/cli.h"
#include "core/banned.h"

static const char add_usage[] =
	"usage: cirtkit org add NAME --kind team|constituent|partner "
	"[--sector S]\n"
	"\n"
	"Add an organisation: a constituent the team serves, a partner team,\n"
	"or the team itself (there is only one; `cirtkit init` creates "
	"it).\n"
	"\n"
	"  --sector S        its sector, for the national statistics: "
	"energy,\n"
	"                    transport, banking, "
	"financial-market-infrastructure,\n"
	"                    health, drinking-water, waste-water,\n"
	"                    digital-infrastructure, ict-service-management,\n"
	"                    public-administration, space, postal,\n"
	"                    waste-management, chemicals, food, "
	"manufacturing,\n"
	"                    digital-providers, research, education, "
	"government,\n"
	"                    other (default: unknown)\n" CIRT_CLI_STORE_HELP;

static const char list_usage[] =
	"usage: cirtkit org list [--kind KIND] [--format table|json]\n"
	"\n"
	"List organisations.\n" CIRT_CLI_STORE_HELP;

static int add(struct cirt_cli *c, const char *name, const char *kind,
	       const char *sector)
{
	struct cirt_org_new n = {name, strlen(name), CIRT_ORG_TEAM, sector};
	struct cirt_db *db = NULL;
	struct cirt_diag d;
	struct cirt_org o;
	int rc;

	cirt_diag_init(&d);
	if (kind == NULL || cirt_org_kind_parse(kind, &n.kind) < 0)
		return cirt_cli_usage(c, "--kind must be team, constituent or "
					 "partner");
	if (sector && cirt_org_check_sector(sector, "--sector", &d) < 0)
		return cirt_cli_usage(c, "%s", d.message);
	rc = cirt_cli_open(c, false, &db);
	if (rc != CIRT_EXIT_OK)
		return rc;
	if (cirt_org_create(db, &c->actor, &n, &o, &d) < 0)
		rc = cirt_cli_fail(&d);
	else
		printf("added organisation '%s' (%s, id %lld)\n", o.name,
		       cirt_org_kind_name(o.kind), (long long)o.id);
	cirt_db_close(db);
	return rc;
}

int cirt_cmd_org_add(int argc, char **argv)
{
	const char *kind = NULL, *sector = NULL;
	const struct cirt_cli_opt opts[] = {
		{"kind", &kind, NULL, NULL, 0},
		{"sector", &sector, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, add_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 1, 1);
	if (rc < 0)
		rc = add(&c, c.args[0], kind, sector);
	cirt_cli_release(&c);
	return rc;
}

static int print_org(const struct cirt_org *o, void *arg)
{
	char t[32];

	if (cirt_cli_list_item(arg, o->id, cirt_org_json(o)))
		printf("%-6lld %-12s %-20s %-31s %s\n", (long long)o->id,
		       cirt_org_kind_name(o->kind),
		       cirt_cli_time(o->created_at, t, sizeof(t)),
		       o->sector[0] ? o->sector : "-", o->name);
	return 0;
}

static int list(struct cirt_cli *c, const char *kind, const char *format)
{
	struct cirt_org_filter f = {.kind = -1, .limit = CIRT_CLI_PAGE};
	struct cirt_db *db = NULL;
	struct cirt_cli_list out;
	enum cirt_org_kind k;
	struct cirt_diag d;
	int rc;

	cirt_diag_init(&d);
	if (kind && cirt_org_kind_parse(kind, &k) < 0)
		return cirt_cli_usage(c, "--kind must be team, constituent or "
					 "partner");
	f.kind = kind ? (int)k : -1;
	rc = cirt_cli_list_begin(
		c, &out, format,
		"ID     KIND         CREATED              SECTOR"
		"                          NAME");
	if (rc >= 0)
		return rc;
	rc = cirt_cli_open(c, false, &db);
	if (rc == CIRT_EXIT_OK) {
		do {
			cirt_cli_list_page(&out, &f.after);
			rc = cirt_org_list(db, &f, print_org, &out, &d);
		} while (rc == 0 && out.count == f.limit);
		rc = cirt_cli_list_end(&out, rc, &d);
	}
	cirt_cli_list_release(&out);
	cirt_db_close(db);
	return rc;
}

int cirt_cmd_org_list(int argc, char **argv)
{
	const char *kind = NULL, *format = "table";
	const struct cirt_cli_opt opts[] = {
		{"kind", &kind, NULL, NULL, 0},
		{"format", &format, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, list_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 0, 0);
	if (rc < 0)
		rc = list(&c, kind, format);
	cirt_cli_release(&c);
	return rc;
}
