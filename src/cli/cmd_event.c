/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * `cirtkit event list|show` (feed/events.h) and `cirtkit notify run|log`
 * (notify/notify.h): the events the feeds stored, and the digests that
 * tell constituents about them. The same calls as /api/v1/events and
 * /api/v1/notifications.
 *
 * Layer: cli.
 */
#include <stdio.h>
#include <string.h>

#include "account/org.h"
#include "cli/cli.h"
#include "core/parse.h"
#include "core/time.h"
#include "core/tlp.h"
#include "feed/events.h"
#include "notify/notify.h"

#include "core/banned.h"

static const char list_usage[] =
	"usage: cirtkit event list [--constituent NAME | --unrouted] [--feed "
	"NAME]\n"
	"         [--class C[:T]] [--since DAY] [--until DAY] [--limit N]\n"
	"         [--format table|json]\n"
	"\n"
	"List stored events, newest first (100 unless --limit, at most\n"
	"100000).\n" CIRT_CLI_STORE_HELP;

static const char show_usage[] = "usage: cirtkit event show ID\n"
				 "\n"
				 "Print one event as JSON, with its raw record "
				 "(base64).\n" CIRT_CLI_STORE_HELP;

static const char run_usage[] =
	"usage: cirtkit notify run [--dry-run] [--format table|json]\n"
	"\n"
	"Send the digests that are due: to each contact of each constituent\n"
	"the events it owns that it has not had, up to its TLP, when its\n"
	"frequency says so; and retry digests that failed. The SMTP server\n"
	"is the smtp setting or CIRTKIT_SMTP (smtp://host:port). --dry-run\n"
	"lists what is due and sends nothing.\n" CIRT_CLI_STORE_HELP;

static const char log_usage[] =
	"usage: cirtkit notify log [--constituent NAME] [--limit N] "
	"[--format table|json]\n"
	"\n"
	"What was sent to whom: the digests, newest first, with their\n"
	"Message-ID and status.\n" CIRT_CLI_STORE_HELP;

struct lister {
	enum cirt_cli_format fmt;
	json_t *all;
	int64_t last, count;
};

static int print_event(int64_t id, json_t *e, void *arg)
{
	struct lister *l = arg;
	const char *ip = json_string_value(json_object_get(e, "source.ip"));

	l->last = id;
	l->count++;
	if (l->fmt == CIRT_FORMAT_JSON) {
		json_array_append_new(l->all, e);
		return 0;
	}
	if (!ip)
		ip = json_string_value(json_object_get(e, "source.network"));
	if (!ip)
		ip = json_string_value(json_object_get(e, "source.fqdn"));
	if (!ip)
		ip = json_string_value(json_object_get(e, "source.url"));
	printf("%-9lld %-19.19s %-20s %-26s %-40.40s %s\n", (long long)id,
	       json_string_value(json_object_get(e, "time.observation")),
	       json_string_value(json_object_get(e, "feed.name")),
	       json_string_value(json_object_get(e, "classification.type")),
	       ip ? ip : "-",
	       json_object_get(e, "constituent")
		       ? json_string_value(json_object_get(e, "constituent"))
		       : "-");
	json_decref(e);
	return 0;
}

/* The org id of a constituent's name, or a failure exit. */
static int org_id(struct cirt_db *db, const char *name, int64_t *id)
{
	struct cirt_org o;
	struct cirt_diag d;

	cirt_diag_init(&d);
	if (cirt_org_get(db, name, &o, &d) < 0)
		return cirt_cli_fail(&d);
	*id = o.id;
	return CIRT_EXIT_OK;
}

int cirt_cmd_event_list(int argc, char **argv)
{
	const char *constituent = NULL, *feed = NULL, *cls = NULL;
	const char *since = NULL, *until = NULL, *limit = NULL;
	const char *format = "table";
	bool unrouted = false;
	const struct cirt_cli_opt opts[] = {
		{"constituent", &constituent, NULL, NULL, 0},
		{"unrouted", NULL, NULL, &unrouted, 0},
		{"feed", &feed, NULL, NULL, 0},
		{"class", &cls, NULL, NULL, 0},
		{"since", &since, NULL, NULL, 0},
		{"until", &until, NULL, NULL, 0},
		{"limit", &limit, NULL, NULL, 0},
		{"format", &format, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_event_filter f;
	struct lister l = {CIRT_FORMAT_TABLE, NULL, 0, 0};
	struct cirt_db *db = NULL;
	struct cirt_diag d;
	struct cirt_cli c;
	int64_t want = 100, got = 0;
	const char *why;
	int rc;

	cirt_diag_init(&d);
	cirt_event_filter_init(&f);
	cirt_cli_init(&c, list_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 0, 0);
	if (rc >= 0) { /* --help, or a usage error */
		cirt_cli_release(&c);
		return rc;
	}
	if (rc < 0 && cirt_cli_parse_format(format, &l.fmt) < 0)
		rc = cirt_cli_usage(&c, "--format must be table or json");
	if (rc < 0 && limit && cirt_parse_i64(limit, 1, 100000, &want) < 0)
		rc = cirt_cli_usage(&c, "--limit must be 1 to 100000");
	if (rc < 0 && since && cirt_time_parse_day(since, &f.since, &why) < 0)
		rc = cirt_cli_usage(&c, "--since %s", why);
	if (rc < 0 && until && cirt_time_parse_day(until, &f.until, &why) < 0)
		rc = cirt_cli_usage(&c, "--until %s", why);
	if (rc < 0 && constituent && unrouted)
		rc = cirt_cli_usage(&c, "give --constituent or --unrouted");
	if (rc < 0)
		rc = cirt_cli_open(&c, false, &db);
	if (rc == CIRT_EXIT_OK && constituent)
		rc = org_id(db, constituent, &f.org);
	if (rc == CIRT_EXIT_OK) {
		if (unrouted)
			f.org = 0;
		f.feed = feed ? feed : "";
		f.cls = cls ? cls : "";
		l.all = json_array();
		if (l.fmt == CIRT_FORMAT_TABLE)
			printf("%-9s %-19s %-20s %-26s %-40s %s\n", "ID",
			       "OBSERVED", "FEED", "TYPE", "SOURCE",
			       "CONSTITUENT");
		do {
			l.count = 0;
			f.limit = want - got > 1000 ? 1000 : want - got;
			f.before_id = l.last;
			if (cirt_events_list(db, &f, print_event, &l, &d) < 0) {
				rc = cirt_cli_fail(&d);
				break;
			}
			got += l.count;
		} while (l.count == f.limit && got < want);
		if (rc == CIRT_EXIT_OK && l.fmt == CIRT_FORMAT_JSON) {
			cirt_cli_print_json(l.all);
			l.all = NULL;
		}
		json_decref(l.all);
	}
	cirt_db_close(db);
	cirt_cli_release(&c);
	return rc;
}

int cirt_cmd_event_show(int argc, char **argv)
{
	struct cirt_event_filter f;
	struct cirt_db *db = NULL;
	struct cirt_diag d;
	struct cirt_cli c;
	json_t *out = NULL;
	int64_t id = 0;
	int rc;

	cirt_diag_init(&d);
	cirt_event_filter_init(&f);
	cirt_cli_init(&c, show_usage);
	rc = cirt_cli_start(&c, argc, argv, NULL, 1, 1);
	if (rc >= 0) { /* --help, or a usage error */
		cirt_cli_release(&c);
		return rc;
	}
	if (rc < 0 && cirt_parse_i64(c.args[0], 1, INT64_MAX, &id) < 0)
		rc = cirt_cli_usage(&c, "ID must be an event number");
	if (rc < 0)
		rc = cirt_cli_open(&c, false, &db);
	if (rc == CIRT_EXIT_OK) {
		if (cirt_event_get(db, &f, id, &out, &d) < 0)
			rc = cirt_cli_fail(&d);
		else
			cirt_cli_print_json(out);
	}
	cirt_db_close(db);
	cirt_cli_release(&c);
	return rc;
}

int cirt_cmd_notify_run(int argc, char **argv)
{
	const char *format = "table";
	bool dry = false;
	const struct cirt_cli_opt opts[] = {
		{"dry-run", NULL, NULL, &dry, 0},
		{"format", &format, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	enum cirt_cli_format fmt = CIRT_FORMAT_TABLE;
	struct cirt_notify_report r;
	struct cirt_db *db = NULL;
	struct cirt_diag d;
	struct cirt_cli c;
	int rc;

	cirt_diag_init(&d);
	memset(&r, 0, sizeof r);
	cirt_cli_init(&c, run_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 0, 0);
	if (rc >= 0) { /* --help, or a usage error */
		cirt_cli_release(&c);
		return rc;
	}
	if (rc < 0 && cirt_cli_parse_format(format, &fmt) < 0)
		rc = cirt_cli_usage(&c, "--format must be table or json");
	if (rc < 0)
		rc = cirt_cli_open(&c, false, &db);
	if (rc == CIRT_EXIT_OK) {
		struct cirt_notify_env env = {&c.cfg, &c.actor, dry};
		json_t *e;
		size_t i;

		if (cirt_notify_run(db, &env, &r, &d) < 0)
			rc = cirt_cli_fail(&d);
		if (fmt == CIRT_FORMAT_JSON) {
			cirt_cli_print_json(json_pack(
				"{s:I, s:I, s:I, s:I, s:O}", "due",
				(json_int_t)r.due, "sent", (json_int_t)r.sent,
				"failed", (json_int_t)r.failed, "events",
				(json_int_t)r.events, "digests", r.digests));
		} else {
			json_array_foreach (r.digests, i, e)
				printf("%-10s %-32s %-32s %5lld events  %s "
				       "%s\n",
				       json_string_value(
					       json_object_get(e, "status"))
					       ? json_string_value(
							 json_object_get(
								 e, "status"))
					       : "due",
				       json_string_value(json_object_get(
					       e, "constituent")),
				       json_string_value(
					       json_object_get(e, "recipient")),
				       (long long)json_integer_value(
					       json_object_get(e, "events")),
				       json_string_value(
					       json_object_get(e, "message_id"))
					       ? json_string_value(
							 json_object_get(
								 e,
								 "message_id"))
					       : "",
				       json_string_value(
					       json_object_get(e, "error"))
					       ? json_string_value(
							 json_object_get(
								 e, "error"))
					       : "");
			printf("%llu due, %llu sent, %llu failed, %llu "
			       "events\n",
			       (unsigned long long)r.due,
			       (unsigned long long)r.sent,
			       (unsigned long long)r.failed,
			       (unsigned long long)r.events);
		}
		if (rc == CIRT_EXIT_OK && r.failed > 0)
			rc = CIRT_EXIT_FAIL;
	}
	cirt_notify_report_release(&r);
	cirt_db_close(db);
	cirt_cli_release(&c);
	return rc;
}

struct log_query {
	const char *constituent;
	int64_t limit;
};

static int fetch_log(struct cirt_db *db, void *arg, json_t **out,
		     struct cirt_diag *d)
{
	const struct log_query *q = arg;

	return cirt_notify_log(db, q->constituent, q->limit, out, d);
}

static void log_row(const json_t *e)
{
	printf("%-6lld %-27s %-10s %-24s %-30s %-6lld %s\n",
	       (long long)json_integer_value(json_object_get(e, "id")),
	       json_string_value(json_object_get(e, "created_at")),
	       json_string_value(json_object_get(e, "status")),
	       json_string_value(json_object_get(e, "constituent")),
	       json_string_value(json_object_get(e, "recipient")),
	       (long long)json_integer_value(json_object_get(e, "events")),
	       json_string_value(json_object_get(e, "message_id")));
}

int cirt_cmd_notify_log(int argc, char **argv)
{
	const char *constituent = "", *limit = NULL, *format = "table";
	const struct cirt_cli_opt opts[] = {
		{"constituent", &constituent, NULL, NULL, 0},
		{"limit", &limit, NULL, NULL, 0},
		{"format", &format, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct log_query q = {NULL, 100};
	struct cirt_cli_items it = {
		NULL, fetch_log, &q,
		"ID     CREATED                     STATUS     CONSTITUENT    "
		"          RECIPIENT                      EVENTS MESSAGE-ID",
		log_row};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, log_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 0, 0);
	if (rc < 0 && limit && cirt_parse_i64(limit, 1, 100000, &q.limit) < 0)
		rc = cirt_cli_usage(&c, "--limit must be 1 to 100000");
	if (rc < 0) {
		q.constituent = constituent;
		it.format = format;
		rc = cirt_cli_items(&c, &it);
	}
	cirt_cli_release(&c);
	return rc;
}
