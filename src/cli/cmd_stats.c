/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * `cirtkit stats`: the national statistics of incidents (incident/
 * stats.h) as a table, CSV or JSON, the same figures as GET
 * /api/v1/stats; and `cirtkit taxonomy`: the incident classification
 * (incident/taxonomy.h), which needs no store.
 *
 * Layer: cli.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/time.h"
#include "incident/stats.h"
#include "incident/taxonomy.h"
#include "core/banned.h"

#define OUT_MAX (256u << 20) /* a rendering */

static const char stats_usage[] =
	"usage: cirtkit stats [--by class|sector|constituent|month] "
	"[--from D] [--to D]\n"
	"                     [--format table|csv|json]\n"
	"\n"
	"Count incidents (not rejected or duplicate ones) by class:type, by\n"
	"sector or constituent affected (an incident counts once for each),\n"
	"or by month reported (UTC), with how many were acknowledged and\n"
	"resolved and the mean and median times to do so.\n"
	"\n"
	"  --by KEY          what to count by (default: class)\n"
	"  --from D          reported at or after D: YYYY-MM-DD or RFC 3339\n"
	"  --to D            reported before D (not included)\n"
	"  --format F        table (default), csv or "
	"json\n" CIRT_CLI_STORE_HELP;

static const char taxonomy_usage[] =
	"usage: cirtkit taxonomy [--format table|json]\n"
	"\n"
	"List the incident classes and types: RSIT, and ours for WTSA\n"
	"Resolution 50 terms, with the RSIT type each of ours rolls up "
	"to.\n" CIRT_CLI_STORE_HELP;

static int parse_time(struct cirt_cli *c, const char *flag, const char *s,
		      int64_t *us)
{
	const char *why = NULL;

	if (s == NULL)
		return -1;
	if (cirt_time_parse_day(s, us, &why) < 0)
		return cirt_cli_usage(c, "%s '%s' %s (YYYY-MM-DD or RFC 3339)",
				      flag, s, why ? why : "is not a date");
	return -1;
}

static int render(json_t *stats, const char *format)
{
	struct cirt_buf b;
	int rc;

	if (strcmp(format, "json") == 0) {
		cirt_cli_print_json(stats);
		return CIRT_EXIT_OK;
	}
	cirt_buf_init(&b, OUT_MAX);
	rc = strcmp(format, "csv") == 0 ? cirt_stats_csv(stats, &b)
					: cirt_stats_table(stats, &b);
	json_decref(stats);
	if (rc < 0) {
		fprintf(stderr,
			"cirtkit: the statistics are larger than "
			"%u bytes\n",
			OUT_MAX);
		return CIRT_EXIT_FAIL;
	}
	fwrite(cirt_buf_str(&b), 1, b.len, stdout);
	cirt_buf_release(&b);
	return CIRT_EXIT_OK;
}

static int stats(struct cirt_cli *c, const char *by_text, const char *from_s,
		 const char *to_s, const char *format)
{
	enum cirt_stats_by by;
	struct cirt_db *db = NULL;
	int64_t from = 0, to = 0;
	struct cirt_diag d;
	json_t *out = NULL;
	int rc;

	cirt_diag_init(&d);
	if (cirt_stats_by_parse(by_text, &by) < 0)
		return cirt_cli_usage(c, "--by must be class, sector, "
					 "constituent or month");
	if (strcmp(format, "table") && strcmp(format, "csv") &&
	    strcmp(format, "json"))
		return cirt_cli_usage(c, "--format must be table, csv or json");
	rc = parse_time(c, "--from", from_s, &from);
	if (rc < 0)
		rc = parse_time(c, "--to", to_s, &to);
	if (rc >= 0)
		return rc;
	if (from && to && from >= to)
		return cirt_cli_usage(c, "--to must be after --from");
	rc = cirt_cli_open(c, false, &db);
	if (rc != CIRT_EXIT_OK)
		return rc;
	rc = cirt_stats(db, by, from, to, &out, &d);
	cirt_db_close(db);
	if (rc < 0)
		return cirt_cli_fail(&d);
	return render(out, format);
}

int cirt_cmd_stats(int argc, char **argv)
{
	const char *by = "class", *from = NULL, *to = NULL, *format = "table";
	const struct cirt_cli_opt opts[] = {
		{"by", &by, NULL, NULL, 0},  {"from", &from, NULL, NULL, 0},
		{"to", &to, NULL, NULL, 0},  {"format", &format, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, stats_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 0, 0);
	if (rc < 0)
		rc = stats(&c, by, from, to, format);
	cirt_cli_release(&c);
	return rc;
}

static void print_type(const struct cirt_taxonomy_type *t)
{
	char name[CIRT_TAXONOMY_CLASS_MAX + CIRT_TAXONOMY_TYPE_MAX + 2];
	char note[160] = "";

	snprintf(name, sizeof(name), "%s:%s", t->cls, t->type);
	if (t->rsit_type && t->wtsa)
		snprintf(note, sizeof(note),
			 "  (ours, rolls up to %s; WTSA: %s)", t->rsit_type,
			 t->wtsa);
	else if (t->rsit_type)
		snprintf(note, sizeof(note), "  (ours, rolls up to %s)",
			 t->rsit_type);
	else if (t->wtsa)
		snprintf(note, sizeof(note), "  (WTSA: %s)", t->wtsa);
	printf("%-60s %s%s\n", name, t->label, note);
}

int cirt_cmd_taxonomy(int argc, char **argv)
{
	const char *format = "table";
	const struct cirt_cli_opt opts[] = {
		{"format", &format, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	enum cirt_cli_format f;
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, taxonomy_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 0, 0);
	if (rc < 0 && cirt_cli_parse_format(format, &f) < 0)
		rc = cirt_cli_usage(&c, "--format must be table or json");
	if (rc < 0 && f == CIRT_FORMAT_JSON) {
		cirt_cli_print_json(cirt_taxonomy_json());
		rc = CIRT_EXIT_OK;
	} else if (rc < 0) {
		printf("%-60s %s\n", "CLASS:TYPE", "LABEL");
		for (size_t i = 0; i < cirt_taxonomy_count(); i++)
			print_type(cirt_taxonomy_at(i));
		rc = CIRT_EXIT_OK;
	}
	cirt_cli_release(&c);
	return rc;
}
