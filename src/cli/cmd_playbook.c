/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * `cirtkit playbook list|show|set|delete`: the task templates that new
 * incidents get by class (incident/playbook.h), the same calls as
 * /api/v1/playbooks. `show` prints JSON that `set` takes back.
 *
 * Layer: cli.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/json.h"
#include "incident/playbook.h"
#include "core/banned.h"

#define FILE_MAX   (1u << 20) /* a playbook file */
#define JSON_DEPTH 32

static const char list_usage[] =
	"usage: cirtkit playbook list [--format table|json]\n"
	"\n"
	"List the playbooks: the tasks a new incident of their classes "
	"gets.\n" CIRT_CLI_STORE_HELP;

static const char show_usage[] = "usage: cirtkit playbook show NAME\n"
				 "\n"
				 "Print a playbook as JSON (what `playbook "
				 "set` takes).\n" CIRT_CLI_STORE_HELP;

static const char set_usage[] =
	"usage: cirtkit playbook set NAME FILE\n"
	"\n"
	"Create or replace playbook NAME (1-64 of a-z, 0-9, '-') from FILE, a\n"
	"JSON object {\"title\", \"classes\": [\"class:type\" or \"class\", "
	"...],\n"
	"\"tasks\": [{\"title\", \"due_hours\"}, ...]}; \"-\" reads standard "
	"input.\n"
	"A class entry belongs to one playbook at most; an incident gets the\n"
	"playbook of its class:type, else the one of its "
	"class.\n" CIRT_CLI_STORE_HELP;

static const char delete_usage[] = "usage: cirtkit playbook delete NAME\n"
				   "\n"
				   "Delete a playbook. Tasks it gave to "
				   "incidents stay.\n" CIRT_CLI_STORE_HELP;

/* Run one command's store work in fn with the store open. */
static int with_store(struct cirt_cli *c,
		      int (*fn)(struct cirt_cli *c, struct cirt_db *db,
				struct cirt_diag *d))
{
	struct cirt_db *db = NULL;
	struct cirt_diag d;
	int rc;

	cirt_diag_init(&d);
	rc = cirt_cli_open(c, false, &db);
	if (rc != CIRT_EXIT_OK)
		return rc;
	rc = fn(c, db, &d);
	cirt_db_close(db);
	return rc < 0 ? cirt_cli_fail(&d) : CIRT_EXIT_OK;
}

/* A command of nargs operands and no options of its own. */
static int
start(struct cirt_cli *c, const char *usage, int argc, char **argv, int nargs,
      int (*fn)(struct cirt_cli *c, struct cirt_db *db, struct cirt_diag *d))
{
	static const struct cirt_cli_opt none[] = {{NULL, NULL, NULL, NULL, 0}};
	int rc;

	cirt_cli_init(c, usage);
	rc = cirt_cli_start(c, argc, argv, none, nargs, nargs);
	if (rc < 0)
		rc = with_store(c, fn);
	cirt_cli_release(c);
	return rc;
}

static void print_row(json_t *p)
{
	json_t *classes = json_object_get(p, "classes"), *v;
	char text[256];
	size_t i, used = 0;

	text[0] = '\0';
	json_array_foreach (classes, i, v) {
		int n = snprintf(text + used, sizeof(text) - used, "%s%s",
				 i ? "," : "", json_string_value(v));

		if (n < 0 || (size_t)n >= sizeof(text) - used)
			break;
		used += (size_t)n;
	}
	printf("%-20s %5zu  %-40s %s\n",
	       json_string_value(json_object_get(p, "name")),
	       json_array_size(json_object_get(p, "tasks")),
	       json_string_value(json_object_get(p, "title")), text);
}

static int list(struct cirt_cli *c, enum cirt_cli_format f)
{
	struct cirt_db *db = NULL;
	json_t *all = NULL, *p;
	struct cirt_diag d;
	size_t i;
	int rc;

	cirt_diag_init(&d);
	rc = cirt_cli_open(c, false, &db);
	if (rc != CIRT_EXIT_OK)
		return rc;
	rc = cirt_playbook_list(db, &all, &d);
	cirt_db_close(db);
	if (rc < 0)
		return cirt_cli_fail(&d);
	if (f == CIRT_FORMAT_JSON) {
		cirt_cli_print_json(all);
		return CIRT_EXIT_OK;
	}
	printf("%-20s %5s  %-40s %s\n", "NAME", "TASKS", "TITLE", "CLASSES");
	json_array_foreach (all, i, p)
		print_row(p);
	json_decref(all);
	return CIRT_EXIT_OK;
}

int cirt_cmd_playbook_list(int argc, char **argv)
{
	const char *format = "table";
	const struct cirt_cli_opt opts[] = {
		{"format", &format, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	enum cirt_cli_format f;
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, list_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 0, 0);
	if (rc < 0 && cirt_cli_parse_format(format, &f) < 0)
		rc = cirt_cli_usage(&c, "--format must be table or json");
	if (rc < 0)
		rc = list(&c, f);
	cirt_cli_release(&c);
	return rc;
}

static int show(struct cirt_cli *c, struct cirt_db *db, struct cirt_diag *d)
{
	json_t *p = NULL;
	int rc = cirt_playbook_get(db, c->args[0], &p, d);

	if (rc == 0)
		cirt_cli_print_json(p);
	return rc;
}

int cirt_cmd_playbook_show(int argc, char **argv)
{
	struct cirt_cli c;

	return start(&c, show_usage, argc, argv, 1, show);
}

/* FILE, or standard input for "-". */
static int read_body(const char *path, json_t **out, struct cirt_diag *d)
{
	char *text = NULL;
	size_t len;
	int rc;

	rc = cirt_cli_read_file(strcmp(path, "-") == 0 ? "/dev/stdin" : path,
				FILE_MAX, &text, &len, d);
	if (rc == 0)
		rc = cirt_json_parse(text, len, JSON_DEPTH, out, d);
	free(text);
	return rc;
}

static int set(struct cirt_cli *c, struct cirt_db *db, struct cirt_diag *d)
{
	json_t *body = NULL, *p = NULL;
	int rc = read_body(c->args[1], &body, d);

	if (rc == 0)
		rc = cirt_playbook_put(db, &c->actor, c->args[0], body, &p, d);
	json_decref(body);
	if (rc == 0)
		printf("playbook '%s' saved: %zu tasks\n", c->args[0],
		       json_array_size(json_object_get(p, "tasks")));
	json_decref(p);
	return rc;
}

int cirt_cmd_playbook_set(int argc, char **argv)
{
	struct cirt_cli c;

	return start(&c, set_usage, argc, argv, 2, set);
}

static int delete (struct cirt_cli *c, struct cirt_db *db, struct cirt_diag *d)
{
	int rc = cirt_playbook_delete(db, &c->actor, c->args[0], d);

	if (rc == 0)
		printf("playbook '%s' deleted\n", c->args[0]);
	return rc;
}

int cirt_cmd_playbook_delete(int argc, char **argv)
{
	struct cirt_cli c;

	return start(&c, delete_usage, argc, argv, 1, delete);
}
