/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * `cirtkit match` (detect/detect.h): logs against the indicator set, one
 * JSON line per match; and `cirtkit indicators`: what the set holds and
 * what it left out. The same work as POST /api/v1/detect/logs and GET
 * /api/v1/detect/indicators.
 *
 * Layer: cli.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/mem.h"
#include "core/time.h"
#include "detect/detect.h"

#include "core/banned.h"

static const char match_usage[] =
	"usage: cirtkit match [--format F] [--fields MAP] [--indicators FILE]\n"
	"         [--keep-special] [--no-store] [--quiet] [--watch DIR] "
	"[FILE...]\n"
	"\n"
	"Match logs against the indicator set and print one JSON line per\n"
	"match. The set is compiled from the store (STIX indicators with a\n"
	"simple pattern, and the addresses, names and URLs of recent feed\n"
	"events), or from --indicators FILE (one value per line; no store is\n"
	"needed then). FILE may be gzip-compressed; '-' or none reads\n"
	"standard input.\n"
	"\n"
	"  --format F      zeek, zeek-json, eve, bind, squid, csv, or auto\n"
	"                  (the default: guessed from the first line)\n"
	"  --fields MAP    name=kind,... : which fields hold what (kinds ip,\n"
	"                  domain, host, url, md5, sha1, sha256, hash, "
	"email,\n"
	"                  time, ignore); csv needs one\n"
	"  --keep-special  keep indicators in private, reserved and\n"
	"                  documentation ranges, and look such addresses\n"
	"                  up in logs (else they are known-good)\n"
	"  --no-store      print only: record no Sightings, events or\n"
	"                  incidents (always so with --indicators)\n"
	"  --quiet         print no match lines, only the summary\n"
	"  --watch DIR     read each new file that appears in DIR, until\n"
	"                  interrupted; the set is recompiled when the\n"
	"                  store's indicators change\n"
	"\n"
	"On standard error: the compiled set (indicators: ...), then one\n"
	"summary line (lines read, lines/s, matches, "
	"malformed).\n" CIRT_CLI_STORE_HELP;

static const char indicators_usage[] =
	"usage: cirtkit indicators [--indicators FILE] [--format table|json]\n"
	"\n"
	"Compile the indicator set and report what it holds, which STIX\n"
	"indicators could not be compiled and why, and which values the\n"
	"allow-lists left out.\n" CIRT_CLI_STORE_HELP;

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct printer {
	bool quiet;
	bool failed;
};

static int print_match(const struct cirt_detect_match *mt, void *arg)
{
	struct printer *p = arg;
	char *line;

	if (p->quiet)
		return 0;
	line = cirt_detect_match_json(mt);
	if (!line || fputs(line, stdout) == EOF || putchar('\n') == EOF)
		p->failed = true;
	free(line);
	return p->failed ? -CIRT_EIO : 0;
}

static int compile(struct cirt_cli *c, struct cirt_db *db, const char *file,
		   struct cirt_detect_set **set)
{
	struct cirt_diag d;
	int rc;

	cirt_diag_init(&d);
	rc = file ? cirt_detect_compile_file(file, &c->cfg, set, &d)
		  : cirt_detect_compile(db, &c->cfg, set, &d);
	return rc < 0 ? cirt_cli_fail(&d) : CIRT_EXIT_OK;
}

static void print_set(const struct cirt_detect_set *s)
{
	json_t *r = s->report;
	json_int_t dropped =
		json_integer_value(json_object_get(r, "excluded_count")) +
		json_integer_value(json_object_get(r, "invalid_count"));

	fprintf(stderr,
		"indicators: %lld compiled in %.2f s, %lld bytes, %lld "
		"dropped\n",
		(long long)json_integer_value(json_object_get(r, "sources")),
		s->seconds,
		(long long)json_integer_value(json_object_get(r, "bytes")),
		(long long)dropped);
}

/* One log (path, or standard input for "-"). */
static int one(struct cirt_detect_run *run, const char *path,
	       enum cirt_log_format fmt, const struct cirt_log_map *map)
{
	struct cirt_diag d;
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	cirt_diag_init(&d);
	if (fd < 0) {
		fprintf(stderr, "cirtkit: %s: %s\n", path, strerror(errno));
		return CIRT_EXIT_FAIL;
	}
	rc = cirt_detect_run_fd(run, fd, fd == 0 ? "stdin" : path, fmt, map,
				&d);
	if (fd != 0)
		close(fd);
	return rc < 0 ? cirt_cli_fail(&d) : CIRT_EXIT_OK;
}

static int finish(struct cirt_detect_run *run, int64_t t0, bool storing)
{
	struct cirt_detect_stats st;
	struct cirt_diag d;
	double secs;
	int rc;

	cirt_diag_init(&d);
	rc = cirt_detect_run_finish(run, &st, &d);
	fflush(stdout);
	secs = (double)(cirt_time_mono_ns() - t0) / 1e9;
	for (size_t i = 0; i < st.log.malformed && i < CIRT_LOG_BAD_KEEP; i++)
		fprintf(stderr, "malformed: line %llu: %s\n",
			(unsigned long long)st.log.bad[i].line,
			st.log.bad[i].reason);
	fprintf(stderr,
		"summary: %llu lines read, %.0f lines/s, %llu matches, %llu "
		"malformed\n",
		(unsigned long long)st.log.lines,
		secs > 0 ? (double)st.log.lines / secs : 0.0,
		(unsigned long long)st.matches,
		(unsigned long long)st.log.malformed);
	if (storing)
		fprintf(stderr,
			"recorded: %llu sightings, %llu events, %llu "
			"incidents\n",
			(unsigned long long)st.sightings,
			(unsigned long long)st.events,
			(unsigned long long)st.incidents);
	return rc < 0 ? cirt_cli_fail(&d) : CIRT_EXIT_OK;
}

/* Files already read by --watch, by name, size and time. */
struct seen_file {
	char *name;
	off_t size;
	int64_t mtime;
};

static bool seen_has(const struct seen_file *s, size_t n, const char *name,
		     const struct stat *st)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s[i].name, name) == 0 && s[i].size == st->st_size &&
		    s[i].mtime == (int64_t)st->st_mtime)
			return true;
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The new files of dir, in name order, that have not grown since the
 * last look (a file still being written waits). */
static int watch_once(struct cirt_detect_run *run, const char *dir,
		      enum cirt_log_format fmt, const struct cirt_log_map *map,
		      struct seen_file **seen, size_t *nseen,
		      struct seen_file **pending, size_t *npending)
{
	DIR *dh = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;
	int rc = CIRT_EXIT_OK;

	if (!dh) {
		fprintf(stderr, "cirtkit: %s: %s\n", dir, strerror(errno));
		return CIRT_EXIT_FAIL;
	}
	while ((e = readdir(dh)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		names = cirt_xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = cirt_xstrdup(e->d_name);
	}
	closedir(dh);
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		bool steady = false;

		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) ||
		    seen_has(*seen, *nseen, names[i], &st))
			continue;
		/* Steady: the same size and time as at the last look. */
		for (size_t j = 0; j < *npending; j++)
			if (strcmp((*pending)[j].name, names[i]) == 0) {
				steady = (*pending)[j].size == st.st_size &&
					 (*pending)[j].mtime ==
						 (int64_t)st.st_mtime;
				(*pending)[j].size = st.st_size;
				(*pending)[j].mtime = (int64_t)st.st_mtime;
				goto decided;
			}
		*pending = cirt_xrealloc(*pending,
					 (*npending + 1) * sizeof **pending);
		(*pending)[(*npending)++] =
			(struct seen_file){cirt_xstrdup(names[i]), st.st_size,
					   (int64_t)st.st_mtime};
	decided:
		if (!steady)
			continue;
		*seen = cirt_xrealloc(*seen, (*nseen + 1) * sizeof **seen);
		(*seen)[(*nseen)++] =
			(struct seen_file){cirt_xstrdup(names[i]), st.st_size,
					   (int64_t)st.st_mtime};
		if (one(run, path, fmt, map) != CIRT_EXIT_OK)
			rc = CIRT_EXIT_FAIL; /* reported; the watch goes on */
		fflush(stdout);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static void free_files(struct seen_file *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i].name);
	free(s);
}

/* Watch dir until a signal; the store's set is recompiled as a server's
 * is (detect/live.c): when its indicators change, or when it is older
 * than detect_rebuild. */
static int watch(struct cirt_cli *c, struct cirt_db *db,
		 struct cirt_detect_set *set, struct cirt_detect_run **run,
		 const struct cirt_detect_store *store, struct printer *pr,
		 const char *dir, enum cirt_log_format fmt,
		 const struct cirt_log_map *map, int64_t t0)
{
	struct seen_file *seen = NULL, *pending = NULL;
	struct cirt_detect_live *live = cirt_detect_live_new();
	size_t nseen = 0, npending = 0;
	struct sigaction sa;
	int rc = CIRT_EXIT_OK;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	cirt_detect_live_swap(live, cirt_detect_set_hold(set));
	while (!stop) {
		struct timespec pause = {1, 0};
		struct cirt_diag d;

		cirt_diag_init(&d);
		if (db && cirt_detect_live_refresh(live, db, &c->cfg, &d) > 0) {
			struct cirt_detect_set *fresh =
				cirt_detect_live_get(live);

			print_set(fresh);
			(void)finish(*run, t0, store->db != NULL);
			cirt_detect_run_free(*run);
			*run = cirt_detect_run_new(fresh, store, print_match,
						   pr);
			cirt_detect_set_drop(fresh);
		} else if (d.code) {
			rc = cirt_cli_fail(&d);
		}
		if (watch_once(*run, dir, fmt, map, &seen, &nseen, &pending,
			       &npending) != CIRT_EXIT_OK)
			rc = CIRT_EXIT_FAIL;
		/* Record what each look found, so nothing waits for the
		 * end of the watch. */
		cirt_diag_init(&d);
		if (cirt_detect_run_finish(*run, NULL, &d) < 0)
			rc = cirt_cli_fail(&d);
		if (!stop)
			nanosleep(&pause, NULL);
	}
	cirt_detect_live_free(live);
	free_files(seen, nseen);
	free_files(pending, npending);
	return rc;
}

int cirt_cmd_match(int argc, char **argv)
{
	const char *format = "auto", *fields = NULL, *file = NULL;
	const char *dir = NULL;
	bool keep_special = false, no_store = false, quiet = false;
	const struct cirt_cli_opt opts[] = {
		{"format", &format, NULL, NULL, 0},
		{"fields", &fields, NULL, NULL, 0},
		{"indicators", &file, NULL, NULL, 0},
		{"keep-special", NULL, NULL, &keep_special, 0},
		{"no-store", NULL, NULL, &no_store, 0},
		{"quiet", NULL, NULL, &quiet, 0},
		{"watch", &dir, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_detect_store store = {0};
	struct cirt_detect_set *set = NULL;
	struct cirt_detect_run *run = NULL;
	struct cirt_log_map *map = NULL;
	struct printer pr = {0};
	struct cirt_db *db = NULL;
	struct cirt_diag d;
	struct cirt_cli c;
	int fmt, rc, final;
	int64_t t0;

	cirt_diag_init(&d);
	cirt_cli_init(&c, match_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 0, 4096);
	if (rc >= 0) {
		cirt_cli_release(&c);
		return rc;
	}
	fmt = cirt_log_format_parse(format);
	if (fmt < 0)
		rc = cirt_cli_usage(&c, "--format must be one of zeek, "
					"zeek-json, eve, bind, squid, csv, "
					"auto");
	if (rc < 0 && dir && c.nargs > 0)
		rc = cirt_cli_usage(&c, "give --watch DIR or files, not both");
	if (rc < 0 && cirt_log_map_parse(fields, &map, &d) < 0)
		rc = cirt_cli_fail(&d);
	if (rc < 0) {
		pr.quiet = quiet;
		if (keep_special)
			c.cfg.detect_allow_special = false;
		if (!file)
			rc = cirt_cli_open(&c, false, &db);
		else
			rc = CIRT_EXIT_OK;
	}
	if (rc == CIRT_EXIT_OK)
		rc = compile(&c, db, file, &set);
	if (rc == CIRT_EXIT_OK) {
		print_set(set);
		if (db && !no_store)
			store = (struct cirt_detect_store){db, &c.cfg,
							   &c.actor};
		run = cirt_detect_run_new(set, &store, print_match, &pr);
		t0 = cirt_time_mono_ns();
		if (dir)
			rc = watch(&c, db, set, &run, &store, &pr, dir,
				   (enum cirt_log_format)fmt, map, t0);
		for (int i = 0; !dir && i < (c.nargs ? c.nargs : 1); i++)
			if (one(run, c.nargs ? c.args[i] : "-",
				(enum cirt_log_format)fmt, map) != CIRT_EXIT_OK)
				rc = CIRT_EXIT_FAIL;
		final = finish(run, t0, store.db != NULL);
		if (rc == CIRT_EXIT_OK)
			rc = final;
		if (pr.failed)
			rc = CIRT_EXIT_FAIL;
	}
	cirt_detect_run_free(run);
	cirt_detect_set_drop(set);
	cirt_log_map_free(map);
	cirt_db_close(db);
	cirt_cli_release(&c);
	return rc;
}

static long long num(json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* The report as text: counts, then the lists. */
static void print_report(json_t *r)
{
	json_t *stix = json_object_get(r, "stix"), *it;
	const char *key;
	size_t i;

	printf("compiled  %s in %.2f s, %lld bytes\n",
	       json_string_value(json_object_get(r, "compiled_at")),
	       json_real_value(json_object_get(r, "seconds")), num(r, "bytes"));
	printf("values    %lld distinct, %lld with their sources, %lld "
	       "ranges\n",
	       num(r, "values"), num(r, "sources"), num(r, "ranges"));
	json_object_foreach (json_object_get(r, "by_kind"), key, it)
		printf("  %-8s %lld\n", key, (long long)json_integer_value(it));
	printf("stix      %lld indicators: %lld compiled, %lld revoked, %lld "
	       "expired, %lld not yet valid, %lld uncompilable\n",
	       num(stix, "indicators"), num(stix, "compiled"),
	       num(stix, "revoked"), num(stix, "expired"),
	       num(stix, "not_yet_valid"), num(stix, "uncompilable"));
	printf("events    %lld\n", num(r, "events"));
	printf("excluded  %lld\n", num(r, "excluded_count"));
	json_object_foreach (json_object_get(r, "excluded_by_reason"), key, it)
		printf("  %-16s %lld\n", key,
		       (long long)json_integer_value(it));
	printf("invalid   %lld\n", num(r, "invalid_count"));
	json_array_foreach (json_object_get(r, "uncompilable_list"), i, it)
		printf("uncompilable %s: %s\n",
		       json_string_value(json_object_get(it, "id")),
		       json_string_value(json_object_get(it, "reason")));
	json_array_foreach (json_object_get(r, "excluded"), i, it)
		printf("excluded %s %s (%s): %s\n",
		       json_string_value(json_object_get(it, "kind")),
		       json_string_value(json_object_get(it, "value")),
		       json_string_value(json_object_get(it, "source")),
		       json_string_value(json_object_get(it, "reason")));
	json_array_foreach (json_object_get(r, "invalid"), i, it)
		printf("invalid %s \"%s\": %s\n",
		       json_string_value(json_object_get(it, "source")),
		       json_string_value(json_object_get(it, "value")),
		       json_string_value(json_object_get(it, "reason")));
}

int cirt_cmd_indicators(int argc, char **argv)
{
	const char *format = "table", *file = NULL;
	const struct cirt_cli_opt opts[] = {
		{"format", &format, NULL, NULL, 0},
		{"indicators", &file, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_detect_set *set = NULL;
	enum cirt_cli_format fmt;
	struct cirt_db *db = NULL;
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, indicators_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 0, 0);
	if (rc >= 0) {
		cirt_cli_release(&c);
		return rc;
	}
	if (cirt_cli_parse_format(format, &fmt) < 0)
		rc = cirt_cli_usage(&c, "--format must be table or json");
	if (rc < 0)
		rc = file ? CIRT_EXIT_OK : cirt_cli_open(&c, false, &db);
	if (rc == CIRT_EXIT_OK)
		rc = compile(&c, db, file, &set);
	if (rc == CIRT_EXIT_OK && fmt == CIRT_FORMAT_JSON) {
		char *text = json_dumps(set->report, JSON_INDENT(2));

		puts(text ? text : "{}");
		free(text);
	} else if (rc == CIRT_EXIT_OK) {
		print_report(set->report);
	}
	cirt_detect_set_drop(set);
	cirt_db_close(db);
	cirt_cli_release(&c);
	return rc;
}
