/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * `cirtkit audit verify` (exit 0 when the chain is intact, 1 naming the
 * first broken entry otherwise) and `cirtkit audit list`.
 *
 * Layer: cli.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "core/json.h"
#include "core/parse.h"
#include "core/banned.h"

static const char verify_usage[] =
	"usage: cirtkit audit verify\n"
	"\n"
	"Recompute the audit log's hash chain. Exits 0 if it is intact, or 1\n"
	"naming the first entry that was edited, inserted or "
	"deleted.\n" CIRT_CLI_STORE_HELP;

static const char list_usage[] =
	"usage: cirtkit audit list [--after SEQ] [--limit N] "
	"[--format table|json]\n"
	"\n"
	"Print audit log entries, oldest first.\n"
	"\n"
	"  --after SEQ       only entries after this one\n"
	"  --limit N         at most N entries (default: "
	"all)\n" CIRT_CLI_STORE_HELP;

int cirt_cli_audit_report(struct cirt_db *db, struct cirt_diag *d)
{
	struct cirt_audit_report r;
	int rc = cirt_audit_verify(db, &r, d);

	if (rc < 0)
		return rc;
	if (r.broken) {
		fflush(stdout);
		fprintf(stderr, "cirtkit: audit log broken at entry %lld: %s\n",
			(long long)r.broken, r.reason);
		return 1;
	}
	printf("audit:   intact, %lld entries, head %s\n", (long long)r.entries,
	       r.head);
	return 0;
}

static int verify(struct cirt_cli *c)
{
	struct cirt_db *db = NULL;
	struct cirt_diag d;
	int rc;

	cirt_diag_init(&d);
	rc = cirt_cli_open(c, false, &db);
	if (rc != CIRT_EXIT_OK)
		return rc;
	rc = cirt_cli_audit_report(db, &d);
	cirt_db_close(db);
	if (rc < 0)
		return cirt_cli_fail(&d);
	return rc ? CIRT_EXIT_FAIL : CIRT_EXIT_OK;
}

int cirt_cmd_audit_verify(int argc, char **argv)
{
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, verify_usage);
	rc = cirt_cli_start(&c, argc, argv, NULL, 0, 0);
	if (rc < 0)
		rc = verify(&c);
	cirt_cli_release(&c);
	return rc;
}

struct list_state {
	struct cirt_cli_list out;
	int64_t left; /* entries still wanted, -1 for all */
};

static int print_entry(const struct cirt_audit_entry *e, void *arg)
{
	struct list_state *s = arg;
	char t[32];

	if (s->left == 0)
		return -CIRT_ELIMIT; /* stops the walk */
	if (s->left > 0)
		s->left--;
	if (cirt_cli_list_item(&s->out, e->seq, cirt_audit_entry_json(e)))
		printf("%-8lld %-20s %-20s %-16s %-16s %s %s\n",
		       (long long)e->seq, cirt_cli_time(e->at, t, sizeof(t)),
		       e->actor, e->addr, e->action, e->object, e->detail);
	return 0;
}

static int list(struct cirt_cli *c, const char *after, const char *limit,
		const char *format)
{
	struct list_state s = {.left = -1};
	struct cirt_db *db = NULL;
	struct cirt_diag d;
	int64_t from = 0;
	int rc;

	cirt_diag_init(&d);
	if (after && cirt_parse_i64(after, 0, INT64_MAX, &from) < 0)
		return cirt_cli_usage(c, "--after must be an entry number");
	if (limit && cirt_parse_i64(limit, 0, INT64_MAX, &s.left) < 0)
		return cirt_cli_usage(c, "--limit must be a number");
	rc = cirt_cli_list_begin(c, &s.out, format,
				 "SEQ      TIME                 ACTOR          "
				 "      ADDR             ACTION           "
				 "OBJECT DETAIL");
	if (rc >= 0)
		return rc;
	rc = cirt_cli_open(c, false, &db);
	if (rc == CIRT_EXIT_OK) {
		s.out.last = from;
		do {
			cirt_cli_list_page(&s.out, &from);
			rc = cirt_audit_list(db, from, CIRT_CLI_PAGE,
					     print_entry, &s, &d);
		} while (rc == 0 && s.out.count == CIRT_CLI_PAGE);
		rc = cirt_cli_list_end(&s.out, rc == -CIRT_ELIMIT ? 0 : rc, &d);
	}
	cirt_cli_list_release(&s.out);
	cirt_db_close(db);
	return rc;
}

int cirt_cmd_audit_list(int argc, char **argv)
{
	const char *after = NULL, *limit = NULL, *format = "table";
	const struct cirt_cli_opt opts[] = {
		{"after", &after, NULL, NULL, 0},
		{"limit", &limit, NULL, NULL, 0},
		{"format", &format, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, list_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 0, 0);
	if (rc < 0)
		rc = list(&c, after, limit, format);
	cirt_cli_release(&c);
	return rc;
}
