/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * `cirtkit sla list` and `cirtkit sla set`: the service-level targets per
 * severity (incident/sla.h), the same calls as GET and PUT /api/v1/sla.
 *
 * Layer: cli.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/parse.h"
#include "incident/sla.h"
#include "core/banned.h"

static const char list_usage[] =
	"usage: cirtkit sla list [--format table|json]\n"
	"\n"
	"Show the target times to acknowledge and to resolve an incident of\n"
	"each severity, counted from when it was "
	"reported.\n" CIRT_CLI_STORE_HELP;

static const char set_usage[] =
	"usage: cirtkit sla set SEVERITY [--acknowledge MINUTES] "
	"[--resolve MINUTES]\n"
	"\n"
	"Change the targets of a severity (low, medium, high, critical); what\n"
	"is not given stays as it is. Minutes are 1 to 525600 (a year), and\n"
	"the time to acknowledge is at most the time to resolve.\n"
	"\n"
	"  --acknowledge MINUTES  target time to acknowledge\n"
	"  --resolve MINUTES      target time to resolve\n" CIRT_CLI_STORE_HELP;

/* Minutes for a humane table: "15m", "4h", "3d", "1d 12h", "90m". */
static const char *minutes_text(int64_t m, char *buf, size_t n)
{
	if (m % 1440 == 0)
		snprintf(buf, n, "%lldd", (long long)(m / 1440));
	else if (m > 1440 && m % 60 == 0)
		snprintf(buf, n, "%lldd %lldh", (long long)(m / 1440),
			 (long long)(m % 1440 / 60));
	else if (m % 60 == 0)
		snprintf(buf, n, "%lldh", (long long)(m / 60));
	else
		snprintf(buf, n, "%lldm", (long long)m);
	return buf;
}

static int list(struct cirt_cli *c, const char *format)
{
	struct cirt_sla_target t[CIRT_SEVERITY_COUNT];
	enum cirt_cli_format f;
	struct cirt_db *db = NULL;
	struct cirt_diag d;
	char a[32], r[32];
	int rc;

	cirt_diag_init(&d);
	if (cirt_cli_parse_format(format, &f) < 0)
		return cirt_cli_usage(c, "--format must be table or json");
	rc = cirt_cli_open(c, false, &db);
	if (rc != CIRT_EXIT_OK)
		return rc;
	if (cirt_sla_targets(db, t, &d) < 0) {
		cirt_db_close(db);
		return cirt_cli_fail(&d);
	}
	cirt_db_close(db);
	if (f == CIRT_FORMAT_JSON) {
		cirt_cli_print_json(cirt_sla_targets_json(t));
		return CIRT_EXIT_OK;
	}
	printf("SEVERITY  ACKNOWLEDGE  RESOLVE      (MINUTES)\n");
	for (int i = CIRT_SEVERITY_COUNT - 1; i >= 0; i--)
		printf("%-9s %-12s %-12s %lld / %lld\n", cirt_severity_name(i),
		       minutes_text(t[i].acknowledge_minutes, a, sizeof(a)),
		       minutes_text(t[i].resolve_minutes, r, sizeof(r)),
		       (long long)t[i].acknowledge_minutes,
		       (long long)t[i].resolve_minutes);
	return CIRT_EXIT_OK;
}

int cirt_cmd_sla_list(int argc, char **argv)
{
	const char *format = "table";
	const struct cirt_cli_opt opts[] = {
		{"format", &format, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, list_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 0, 0);
	if (rc < 0)
		rc = list(&c, format);
	cirt_cli_release(&c);
	return rc;
}

static int set(struct cirt_cli *c, const char *sev_text, const char *ack,
	       const char *res)
{
	struct cirt_sla_target t[CIRT_SEVERITY_COUNT];
	struct cirt_db *db = NULL;
	struct cirt_diag d;
	int64_t a = 0, r = 0;
	int sev, rc;

	cirt_diag_init(&d);
	if (cirt_severity_parse(sev_text, &sev) < 0)
		return cirt_cli_usage(c, "SEVERITY must be low, medium, high "
					 "or critical");
	if (ack == NULL && res == NULL)
		return cirt_cli_usage(c, "give --acknowledge, --resolve or "
					 "both");
	if (ack && cirt_parse_i64(ack, 1, 525600, &a) < 0)
		return cirt_cli_usage(c, "--acknowledge must be 1 to 525600 "
					 "minutes");
	if (res && cirt_parse_i64(res, 1, 525600, &r) < 0)
		return cirt_cli_usage(c, "--resolve must be 1 to 525600 "
					 "minutes");
	rc = cirt_cli_open(c, false, &db);
	if (rc != CIRT_EXIT_OK)
		return rc;
	rc = cirt_sla_targets(db, t, &d);
	if (rc == 0) {
		if (ack)
			t[sev].acknowledge_minutes = a;
		if (res)
			t[sev].resolve_minutes = r;
		rc = cirt_sla_set(db, &c->actor, sev, &t[sev], &d);
	}
	cirt_db_close(db);
	if (rc < 0)
		return cirt_cli_fail(&d);
	printf("%s: acknowledge within %lld minutes, resolve within %lld "
	       "minutes\n",
	       cirt_severity_name(sev), (long long)t[sev].acknowledge_minutes,
	       (long long)t[sev].resolve_minutes);
	return CIRT_EXIT_OK;
}

int cirt_cmd_sla_set(int argc, char **argv)
{
	const char *ack = NULL, *res = NULL;
	const struct cirt_cli_opt opts[] = {
		{"acknowledge", &ack, NULL, NULL, 0},
		{"resolve", &res, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, set_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 1, 1);
	if (rc < 0)
		rc = set(&c, c.args[0], ack, res);
	cirt_cli_release(&c);
	return rc;
}
