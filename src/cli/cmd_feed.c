/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * `cirtkit feed add|list|run|ingest|parsers` and `cirtkit rule
 * add|list|delete`: feeds as data (feed/feed.h) and the rules that open
 * incidents from their events (feed/rule.h), the same calls as
 * /api/v1/feeds and /api/v1/rules.
 *
 * Layer: cli.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/parse.h"
#include "core/time.h"
#include "feed/feed.h"
#include "feed/parser.h"
#include "feed/rule.h"

#include "core/banned.h"

static const char add_usage[] =
	"usage: cirtkit feed add NAME --parser P (--url URL | --dir DIR |\n"
	"         --maildir DIR | --file FILE | --taxii COLLECTION-URL)\n"
	"         [--every DURATION] [--tlp L] [--class C[:T]] [--provider "
	"NAME]\n"
	"         [--option K=V]... [--dedup DURATION] [--disabled]\n"
	"\n"
	"Add a feed: where its inputs come from, how they are read, how\n"
	"often (30m, 6h, 1d; without --every only `feed run` runs it), its\n"
	"TLP (amber), the classification of events whose record does not\n"
	"say, and the deduplication window (24h). Parser options such as\n"
	"report=scan_ntp or map=... (docs/feeds.md) are given with --option;\n"
	"a TAXII collection takes --option user=U --option password=P or\n"
	"--option token=T.\n" CIRT_CLI_STORE_HELP;

static const char list_usage[] =
	"usage: cirtkit feed list [--format table|json]\n"
	"\n"
	"List the feeds with their last run.\n" CIRT_CLI_STORE_HELP;

static const char run_usage[] =
	"usage: cirtkit feed run (NAME | --due) [--dry-run] [--format "
	"table|json]\n"
	"\n"
	"Run a feed now: collect its new inputs and take them through\n"
	"parsing, enrichment, deduplication, routing and storage, then the\n"
	"rules. --due runs every enabled feed whose schedule says it is time\n"
	"(for cron). --dry-run parses, enriches and routes but stores "
	"nothing.\n" CIRT_CLI_STORE_HELP;

static const char ingest_usage[] =
	"usage: cirtkit feed ingest --parser P FILE... [--feed NAME]\n"
	"         [--tlp L] [--class C[:T]] [--provider NAME] [--option "
	"K=V]...\n"
	"         [--dry-run | --parse-only] [--format table|json]\n"
	"\n"
	"Run files through the whole pipeline once, as a feed named\n"
	"--feed (default: ingest-PARSER) would; the settings of an existing\n"
	"feed of that name apply. --dry-run stores nothing; --parse-only\n"
	"runs the parser alone.\n" CIRT_CLI_STORE_HELP;

static const char parsers_usage[] = "usage: cirtkit feed parsers\n"
				    "\n"
				    "List the parsers.\n";

static const char rule_add_usage[] =
	"usage: cirtkit rule add NAME --class C[:T] --threshold N --window "
	"DURATION\n"
	"         [--severity low|medium|high|critical]\n"
	"\n"
	"Open an incident for a constituent when at least N of its events of\n"
	"the class (and type) are observed within the "
	"window.\n" CIRT_CLI_STORE_HELP;

static const char rule_list_usage[] =
	"usage: cirtkit rule list [--format table|json]\n" CIRT_CLI_STORE_HELP;

static const char rule_delete_usage[] =
	"usage: cirtkit rule delete NAME\n" CIRT_CLI_STORE_HELP;

/* body.options = {K: V} from the --option values. -1 or a usage exit. */
static int put_options(const struct cirt_cli *c, json_t *body,
		       const struct cirt_cli_repeated *r)
{
	json_t *o = json_object();

	for (size_t i = 0; i < r->n; i++) {
		const char *eq = strchr(r->v[i], '=');
		json_t *v;
		char key[64];

		if (!eq || eq == r->v[i] ||
		    (size_t)(eq - r->v[i]) >= sizeof key) {
			json_decref(o);
			return cirt_cli_usage(c, "--option must be K=V: %s",
					      r->v[i]);
		}
		memcpy(key, r->v[i], (size_t)(eq - r->v[i]));
		key[eq - r->v[i]] = '\0';
		v = json_string(eq + 1);
		if (!v) {
			json_decref(o);
			return cirt_cli_usage(c, "--option must be UTF-8");
		}
		json_object_set_new(o, key, v);
	}
	json_object_set_new(body, "options", o);
	return -1;
}

static void put_str(json_t *body, const char *key, const char *v)
{
	if (v)
		json_object_set_new(body, key, json_string(v));
}

int cirt_cmd_feed_add(int argc, char **argv)
{
	static const char *const repeatable[] = {"option"};
	const char *parser = NULL, *url = NULL, *dir = NULL, *maildir = NULL;
	const char *file = NULL, *taxii = NULL, *every = NULL, *tlp = NULL;
	const char *cls = NULL, *provider = NULL, *dedup = NULL;
	bool disabled = false;
	const struct cirt_cli_opt opts[] = {
		{"parser", &parser, NULL, NULL, 0},
		{"url", &url, NULL, NULL, 0},
		{"dir", &dir, NULL, NULL, 0},
		{"maildir", &maildir, NULL, NULL, 0},
		{"file", &file, NULL, NULL, 0},
		{"taxii", &taxii, NULL, NULL, 0},
		{"every", &every, NULL, NULL, 0},
		{"tlp", &tlp, NULL, NULL, 0},
		{"class", &cls, NULL, NULL, 0},
		{"provider", &provider, NULL, NULL, 0},
		{"dedup", &dedup, NULL, NULL, 0},
		{"disabled", NULL, NULL, &disabled, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli_args a;
	struct cirt_db *db = NULL;
	struct cirt_diag d;
	struct cirt_cli c;
	json_t *body = NULL, *out = NULL;
	int rc;

	cirt_diag_init(&d);
	cirt_cli_init(&c, add_usage);
	cirt_cli_args_take(&a, argc, argv, opts, repeatable, 1);
	rc = cirt_cli_start(&c, a.argc, a.argv, opts, 1, 1);
	if (rc >= 0) { /* --help, or a usage error */
		cirt_cli_args_release(&a);
		cirt_cli_release(&c);
		return rc;
	}
	if (rc < 0 && a.bad)
		rc = cirt_cli_usage(&c, "missing value: %s", a.bad);
	if (rc < 0 && !parser)
		rc = cirt_cli_usage(&c, "--parser is required");
	if (rc < 0) {
		body = json_pack("{s:s, s:s}", "name", c.args[0], "parser",
				 parser);
		if (!body)
			rc = cirt_cli_usage(&c, "NAME must be UTF-8 text");
	}
	if (rc < 0) {
		put_str(body, "url", url);
		put_str(body, "dir", dir);
		put_str(body, "maildir", maildir);
		put_str(body, "file", file);
		put_str(body, "taxii", taxii);
		put_str(body, "every", every);
		put_str(body, "tlp", tlp);
		put_str(body, "class", cls);
		put_str(body, "provider", provider);
		put_str(body, "dedup", dedup);
		if (disabled)
			json_object_set_new(body, "enabled", json_false());
		rc = put_options(&c, body, &a.rep[0]);
	}
	if (rc < 0)
		rc = cirt_cli_open(&c, false, &db);
	if (rc == CIRT_EXIT_OK) {
		if (cirt_feed_add(db, &c.actor, body, &out, &d) < 0)
			rc = cirt_cli_fail(&d);
		else
			printf("%s\n", c.args[0]);
	}
	json_decref(out);
	json_decref(body);
	cirt_db_close(db);
	cirt_cli_args_release(&a);
	cirt_cli_release(&c);
	return rc;
}

static int fetch_feeds(struct cirt_db *db, void *arg, json_t **out,
		       struct cirt_diag *d)
{
	(void)arg;
	return cirt_feed_list(db, out, d);
}

static void feed_row(const json_t *e)
{
	json_t *last = json_object_get(e, "last_run");
	json_int_t every = json_integer_value(json_object_get(e, "every_s"));
	char ev[24] = "-", lr[32] = "-";

	if (every)
		snprintf(ev, sizeof ev, "%llds", (long long)every);
	if (last)
		snprintf(lr, sizeof lr, "%s %lld",
			 json_string_value(json_object_get(last, "status")),
			 (long long)json_integer_value(
				 json_object_get(last, "events")));
	printf("%-24s %-16s %-8s %-8s %-6s %-14s %s\n",
	       json_string_value(json_object_get(e, "name")),
	       json_string_value(json_object_get(e, "parser")), ev,
	       json_string_value(json_object_get(e, "collector")),
	       json_string_value(json_object_get(e, "tlp")), lr,
	       json_string_value(json_object_get(e, "location")));
}

int cirt_cmd_feed_list(int argc, char **argv)
{
	static const struct cirt_cli_items it = {
		NULL, fetch_feeds, NULL,
		"NAME                     PARSER           EVERY    COLLECT  "
		"TLP    LAST RUN       LOCATION",
		feed_row};

	return cirt_cli_items_command(argc, argv, list_usage, &it);
}

/* Print a run's report, as a table line or JSON. */
static void print_report(const struct cirt_feed *f,
			 const struct cirt_feed_report *r,
			 enum cirt_cli_format fmt)
{
	if (fmt == CIRT_FORMAT_JSON) {
		json_t *j = cirt_feed_report_json(f, r);

		json_object_set_new(j, "elapsed_s",
				    json_real((double)r->elapsed_us / 1e6));
		cirt_cli_print_json(j);
		return;
	}
	printf("%s: %s; %llu inputs, %llu records, %llu events, %llu stored, "
	       "%llu duplicates, %llu unrouted, %llu malformed, %llu "
	       "incidents (%.3f s)\n",
	       f->name, r->status, (unsigned long long)r->inputs,
	       (unsigned long long)r->records, (unsigned long long)r->events,
	       (unsigned long long)r->stored, (unsigned long long)r->duplicates,
	       (unsigned long long)r->unrouted, (unsigned long long)r->bad,
	       (unsigned long long)r->incidents, (double)r->elapsed_us / 1e6);
	for (uint64_t i = 0; i < r->bad && i < CIRT_FEED_BAD_KEEP; i++)
		printf("  malformed: %s\n", r->first_bad[i]);
}

/* Run f; print the report; the exit code. */
static int run_one(struct cirt_cli *c, struct cirt_db *db, struct cirt_feed *f,
		   enum cirt_feed_mode mode, char *const *files, int nfiles,
		   enum cirt_cli_format fmt)
{
	struct cirt_feed_env env = {&c->cfg, &c->actor, mode};
	struct cirt_feed_report r;
	struct cirt_diag d;
	int rc;

	cirt_diag_init(&d);
	rc = cirt_feed_run(db, &env, f, files, nfiles, &r, &d);
	print_report(f, &r, fmt);
	return rc < 0 ? cirt_cli_fail(&d) : CIRT_EXIT_OK;
}

/* cirt_feed_run_due's report of each feed. */
static void print_done(const struct cirt_feed *f,
		       const struct cirt_feed_report *r, int rc,
		       const struct cirt_diag *d, void *arg)
{
	print_report(f, r, *(const enum cirt_cli_format *)arg);
	if (rc < 0)
		(void)cirt_cli_fail(d);
}

int cirt_cmd_feed_run(int argc, char **argv)
{
	const char *format = "table";
	bool due = false, dry = false;
	const struct cirt_cli_opt opts[] = {
		{"due", NULL, NULL, &due, 0},
		{"dry-run", NULL, NULL, &dry, 0},
		{"format", &format, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	enum cirt_cli_format fmt = CIRT_FORMAT_TABLE;
	enum cirt_feed_mode mode;
	struct cirt_db *db = NULL;
	struct cirt_feed f;
	struct cirt_diag d;
	struct cirt_cli c;
	int rc;

	cirt_diag_init(&d);
	cirt_cli_init(&c, run_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 0, 1);
	if (rc >= 0) { /* --help, or a usage error */
		cirt_cli_release(&c);
		return rc;
	}
	if (rc < 0 && cirt_cli_parse_format(format, &fmt) < 0)
		rc = cirt_cli_usage(&c, "--format must be table or json");
	if (rc < 0 && due == (c.nargs == 1))
		rc = cirt_cli_usage(&c, "give a feed's NAME or --due");
	if (rc < 0)
		rc = cirt_cli_open(&c, false, &db);
	mode = dry ? CIRT_FEED_ROUTE : CIRT_FEED_STORE;
	if (rc == CIRT_EXIT_OK && !due) {
		if (cirt_feed_get(db, c.args[0], &f, &d) < 0)
			rc = cirt_cli_fail(&d);
		else
			rc = run_one(&c, db, &f, mode, NULL, 0, fmt);
	} else if (rc == CIRT_EXIT_OK) {
		struct cirt_feed_env env = {&c.cfg, &c.actor, mode};
		int failed = 0;

		if (cirt_feed_run_due(db, &env, print_done, &fmt, &failed, &d) <
		    0)
			rc = cirt_cli_fail(&d);
		else if (failed > 0)
			rc = CIRT_EXIT_FAIL;
	}
	cirt_db_close(db);
	cirt_cli_release(&c);
	return rc;
}

int cirt_cmd_feed_ingest(int argc, char **argv)
{
	static const char *const repeatable[] = {"option"};
	const char *parser = NULL, *feed = NULL, *tlp = NULL, *cls = NULL;
	const char *provider = NULL, *format = "table";
	bool dry = false, parse_only = false;
	const struct cirt_cli_opt opts[] = {
		{"parser", &parser, NULL, NULL, 0},
		{"feed", &feed, NULL, NULL, 0},
		{"tlp", &tlp, NULL, NULL, 0},
		{"class", &cls, NULL, NULL, 0},
		{"provider", &provider, NULL, NULL, 0},
		{"format", &format, NULL, NULL, 0},
		{"dry-run", NULL, NULL, &dry, 0},
		{"parse-only", NULL, NULL, &parse_only, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	enum cirt_cli_format fmt = CIRT_FORMAT_TABLE;
	struct cirt_cli_args a;
	struct cirt_db *db = NULL;
	struct cirt_feed f;
	struct cirt_diag d;
	struct cirt_cli c;
	char name[CIRT_FEED_NAME_MAX + 1];
	int rc;

	cirt_diag_init(&d);
	cirt_cli_init(&c, ingest_usage);
	cirt_cli_args_take(&a, argc, argv, opts, repeatable, 1);
	rc = cirt_cli_start(&c, a.argc, a.argv, opts, 1, 1 << 20);
	if (rc >= 0) { /* --help, or a usage error */
		cirt_cli_args_release(&a);
		cirt_cli_release(&c);
		return rc;
	}
	if (rc < 0 && a.bad)
		rc = cirt_cli_usage(&c, "missing value: %s", a.bad);
	if (rc < 0 && cirt_cli_parse_format(format, &fmt) < 0)
		rc = cirt_cli_usage(&c, "--format must be table or json");
	if (rc < 0 && !parser)
		rc = cirt_cli_usage(&c, "--parser is required");
	if (rc < 0 && !cirt_parser_find(parser))
		rc = cirt_cli_usage(&c,
				    "no parser named '%s' (cirtkit feed "
				    "parsers)",
				    parser);
	if (rc < 0 && dry && parse_only)
		rc = cirt_cli_usage(&c, "give --dry-run or --parse-only, "
					"not both");
	if (rc < 0)
		rc = cirt_cli_open(&c, false, &db);
	if (rc == CIRT_EXIT_OK) {
		json_t *body = json_object();

		if (feed && cirt_feed_get(db, feed, &f, &d) == 0) {
			snprintf(f.parser, sizeof f.parser, "%s", parser);
		} else if (feed && d.code != -CIRT_ENOTFOUND) {
			rc = cirt_cli_fail(&d);
		} else {
			cirt_diag_init(&d);
			snprintf(name, sizeof name, "%s", feed ? feed : "");
			if (!feed)
				snprintf(name, sizeof name, "ingest-%s",
					 parser);
			cirt_feed_defaults(&f, name, parser);
		}
		/* What is given here is checked as feed add would. */
		put_str(body, "tlp", tlp);
		put_str(body, "class", cls);
		put_str(body, "provider", provider);
		if (rc == CIRT_EXIT_OK && a.rep[0].n &&
		    put_options(&c, body, &a.rep[0]) >= 0)
			rc = CIRT_EXIT_USAGE;
		if (rc == CIRT_EXIT_OK && cirt_feed_apply(&f, body, &d) < 0)
			rc = cirt_cli_fail(&d);
		json_decref(body);
	}
	if (rc == CIRT_EXIT_OK)
		rc = run_one(&c, db, &f,
			     parse_only ? CIRT_FEED_PARSE
			     : dry	? CIRT_FEED_ROUTE
					: CIRT_FEED_STORE,
			     c.args, c.nargs, fmt);
	cirt_db_close(db);
	cirt_cli_args_release(&a);
	cirt_cli_release(&c);
	return rc;
}

int cirt_cmd_feed_parsers(int argc, char **argv)
{
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, parsers_usage);
	rc = cirt_cli_start(&c, argc, argv, NULL, 0, 0);
	if (rc >= 0) { /* --help, or a usage error */
		cirt_cli_release(&c);
		return rc;
	}
	if (rc < 0) {
		for (size_t i = 0; cirt_parsers[i]; i++)
			printf("%-18s %s\n", cirt_parsers[i]->name,
			       cirt_parsers[i]->summary);
		rc = CIRT_EXIT_OK;
	}
	cirt_cli_release(&c);
	return rc;
}

int cirt_cmd_rule_add(int argc, char **argv)
{
	const char *cls = NULL, *threshold = NULL, *window = NULL, *sev = NULL;
	const struct cirt_cli_opt opts[] = {
		{"class", &cls, NULL, NULL, 0},
		{"threshold", &threshold, NULL, NULL, 0},
		{"window", &window, NULL, NULL, 0},
		{"severity", &sev, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_db *db = NULL;
	struct cirt_diag d;
	struct cirt_cli c;
	json_t *body = NULL;
	int64_t n = 0;
	int rc;

	cirt_diag_init(&d);
	cirt_cli_init(&c, rule_add_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 1, 1);
	if (rc >= 0) { /* --help, or a usage error */
		cirt_cli_release(&c);
		return rc;
	}
	if (rc < 0 && (!cls || !threshold || !window))
		rc = cirt_cli_usage(&c, "--class, --threshold and --window are "
					"required");
	if (rc < 0 && cirt_parse_i64(threshold, 1, 1000000, &n) < 0)
		rc = cirt_cli_usage(&c, "--threshold must be 1 to 1000000");
	if (rc < 0) {
		body = json_pack("{s:s, s:s, s:I, s:s}", "name", c.args[0],
				 "class", cls, "threshold", (json_int_t)n,
				 "window", window);
		put_str(body, "severity", sev);
		rc = body ? cirt_cli_open(&c, false, &db)
			  : cirt_cli_usage(&c, "arguments must be UTF-8");
	}
	if (rc == CIRT_EXIT_OK) {
		if (cirt_rule_add(db, &c.actor, body, NULL, &d) < 0)
			rc = cirt_cli_fail(&d);
		else
			printf("%s\n", c.args[0]);
	}
	json_decref(body);
	cirt_db_close(db);
	cirt_cli_release(&c);
	return rc;
}

static int fetch_rules(struct cirt_db *db, void *arg, json_t **out,
		       struct cirt_diag *d)
{
	(void)arg;
	return cirt_rule_list(db, out, d);
}

static void rule_row(const json_t *e)
{
	printf("%-20s %-40s %-9lld %-9lld %-8s %s\n",
	       json_string_value(json_object_get(e, "name")),
	       json_string_value(json_object_get(e, "class")),
	       (long long)json_integer_value(json_object_get(e, "threshold")),
	       (long long)json_integer_value(json_object_get(e, "window_s")),
	       json_string_value(json_object_get(e, "severity")),
	       json_is_true(json_object_get(e, "enabled")) ? "yes" : "no");
}

int cirt_cmd_rule_list(int argc, char **argv)
{
	static const struct cirt_cli_items it = {
		NULL, fetch_rules, NULL,
		"NAME                 CLASS                                    "
		"THRESHOLD WINDOW    SEVERITY ENABLED",
		rule_row};

	return cirt_cli_items_command(argc, argv, rule_list_usage, &it);
}

int cirt_cmd_rule_delete(int argc, char **argv)
{
	struct cirt_db *db = NULL;
	struct cirt_diag d;
	struct cirt_cli c;
	int rc;

	cirt_diag_init(&d);
	cirt_cli_init(&c, rule_delete_usage);
	rc = cirt_cli_start(&c, argc, argv, NULL, 1, 1);
	if (rc >= 0) { /* --help, or a usage error */
		cirt_cli_release(&c);
		return rc;
	}
	if (rc < 0)
		rc = cirt_cli_open(&c, false, &db);
	if (rc == CIRT_EXIT_OK &&
	    cirt_rule_delete(db, &c.actor, c.args[0], &d) < 0)
		rc = cirt_cli_fail(&d);
	cirt_db_close(db);
	cirt_cli_release(&c);
	return rc;
}
