/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * `cirtkit collection add` and `cirtkit collection list`: the TAXII
 * collections other teams and constituents read and write.
 *
 * Layer: cli.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/tlp.h"
#include "share/share.h"
#include "core/banned.h"

static const char add_usage[] =
	"usage: cirtkit collection add --root NAME --title TITLE\n"
	"                [--description TEXT] [--alias ALIAS]\n"
	"                [--read ORG,...] [--write ORG,...]\n"
	"                [--tlp-max clear|green|amber|amber+strict]\n"
	"\n"
	"Add a TAXII collection to an API root (made if missing) and print\n"
	"its id. The team reads and writes every collection; --read and\n"
	"--write grant other organisations (names separated by commas).\n"
	"Objects marked above the TLP ceiling (default green) are refused;\n"
	"TLP:RED never enters a collection.\n" CIRT_CLI_STORE_HELP;

static const char list_usage[] =
	"usage: cirtkit collection list [--root NAME] [--format table|json]\n"
	"\n"
	"List TAXII collections with their grants.\n" CIRT_CLI_STORE_HELP;

#define NAME_LIST_MAX 4096

/* Add the organisations of a comma list to the grants. */
static int grant(struct cirt_cli *c, const char *list, bool write, char *names,
		 struct cirt_grant *g, size_t *n)
{
	char *p, *comma;
	size_t i;

	if (list == NULL)
		return -1;
	if (strlen(list) >= NAME_LIST_MAX)
		return cirt_cli_usage(c, "--read/--write list is too long");
	snprintf(names, NAME_LIST_MAX, "%s", list);
	for (p = names; p; p = comma) {
		comma = strchr(p, ',');
		if (comma)
			*comma++ = '\0';
		if (*p == '\0')
			return cirt_cli_usage(c, "empty organisation name in "
						 "--read/--write");
		for (i = 0; i < *n && strcmp(g[i].org, p) != 0; i++)
			;
		if (i == *n) {
			if (*n == CIRT_GRANTS_MAX)
				return cirt_cli_usage(c,
						      "too many organisations");
			g[(*n)++].org = p;
		}
		if (write)
			g[i].can_write = true;
		else
			g[i].can_read = true;
	}
	return -1;
}

struct add_args {
	const char *root, *title, *description, *alias, *read, *write, *tlp;
};

static int add(struct cirt_cli *c, const struct add_args *a)
{
	char rnames[NAME_LIST_MAX], wnames[NAME_LIST_MAX];
	struct cirt_grant g[CIRT_GRANTS_MAX] = {{0}};
	struct cirt_collection_new n = {0};
	struct cirt_collection out;
	struct cirt_db *db = NULL;
	struct cirt_diag d;
	int rc;

	cirt_diag_init(&d);
	if (a->root == NULL || a->title == NULL)
		return cirt_cli_usage(c, "--root and --title are required");
	n.tlp_max = CIRT_TLP_GREEN;
	if (a->tlp && (cirt_tlp_parse(a->tlp, &n.tlp_max) < 0 ||
		       n.tlp_max == CIRT_TLP_RED))
		return cirt_cli_usage(c, "--tlp-max must be clear, green, "
					 "amber or amber+strict");
	rc = grant(c, a->read, false, rnames, g, &n.ngrants);
	if (rc < 0)
		rc = grant(c, a->write, true, wnames, g, &n.ngrants);
	if (rc >= 0)
		return rc;
	n.root = a->root;
	n.title = a->title;
	n.description = a->description;
	n.alias = a->alias;
	n.grants = g;
	rc = cirt_cli_open(c, false, &db);
	if (rc != CIRT_EXIT_OK)
		return rc;
	if (cirt_collection_add(db, &c->actor, &n, &out, &d) < 0)
		rc = cirt_cli_fail(&d);
	else
		printf("%s\n", out.uuid);
	cirt_db_close(db);
	return rc;
}

int cirt_cmd_collection_add(int argc, char **argv)
{
	struct add_args a = {0};
	const struct cirt_cli_opt opts[] = {
		{"root", &a.root, NULL, NULL, 0},
		{"title", &a.title, NULL, NULL, 0},
		{"description", &a.description, NULL, NULL, 0},
		{"alias", &a.alias, NULL, NULL, 0},
		{"read", &a.read, NULL, NULL, 0},
		{"write", &a.write, NULL, NULL, 0},
		{"tlp-max", &a.tlp, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, add_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 0, 0);
	if (rc < 0)
		rc = add(&c, &a);
	cirt_cli_release(&c);
	return rc;
}

struct listing {
	struct cirt_db *db;
	struct cirt_cli_list *out;
	struct cirt_diag *d;
};

static int add_grant(const char *org, bool r, bool w, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s, s:b, s:b}", "org", org,
					     "read", r, "write", w));
	return 0;
}

static int print_one(const struct cirt_collection *c, void *arg)
{
	struct listing *l = arg;
	json_t *grants = json_array(), *g, *item;
	size_t i;
	int rc;

	rc = cirt_collection_grants(l->db, c, add_grant, grants, l->d);
	if (rc < 0) {
		json_decref(grants);
		return rc;
	}
	item = json_pack("{s:s, s:s, s:s, s:s, s:s, s:O}", "id", c->uuid,
			 "root", c->root, "title", c->title, "alias", c->alias,
			 "tlp_max", cirt_tlp_name(c->tlp_max), "grants",
			 grants);
	if (cirt_cli_list_item(l->out, c->id, item)) {
		printf("%-36s %-12s %-12s %-16s %s\n", c->uuid, c->root,
		       cirt_tlp_name(c->tlp_max), c->alias[0] ? c->alias : "-",
		       c->title);
		json_array_foreach (grants, i, g)
			printf("    %s: %s%s\n",
			       json_string_value(json_object_get(g, "org")),
			       json_is_true(json_object_get(g, "read"))
				       ? "read "
				       : "",
			       json_is_true(json_object_get(g, "write"))
				       ? "write"
				       : "");
	}
	json_decref(grants);
	return 0;
}

static int list(struct cirt_cli *c, const char *root, const char *format)
{
	struct cirt_db *db = NULL;
	struct cirt_cli_list out;
	struct cirt_api_root r = {0};
	struct listing l;
	struct cirt_diag d;
	int64_t after;
	int rc;

	cirt_diag_init(&d);
	rc = cirt_cli_list_begin(
		c, &out, format,
		"ID                                   ROOT     "
		"    TLP MAX      ALIAS            TITLE");
	if (rc >= 0)
		return rc;
	rc = cirt_cli_open(c, false, &db);
	if (rc == CIRT_EXIT_OK) {
		l.db = db;
		l.out = &out;
		l.d = &d;
		cirt_cli_list_page(&out, &after);
		rc = root ? cirt_root_get(db, root, &r, &d) : 0;
		if (rc == 0)
			rc = cirt_collection_list(db, r.id, print_one, &l, &d);
		rc = cirt_cli_list_end(&out, rc, &d);
	}
	cirt_cli_list_release(&out);
	cirt_db_close(db);
	return rc;
}

int cirt_cmd_collection_list(int argc, char **argv)
{
	const char *root = NULL, *format = "table";
	const struct cirt_cli_opt opts[] = {
		{"root", &root, NULL, NULL, 0},
		{"format", &format, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, list_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 0, 0);
	if (rc < 0)
		rc = list(&c, root, format);
	cirt_cli_release(&c);
	return rc;
}
