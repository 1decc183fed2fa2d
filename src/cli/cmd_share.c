/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Moving STIX in and out of collections from the command line:
 *
 *   cirtkit import --collection ID FILE...   bundles of any size, streamed
 *   cirtkit export --collection ID [...]     a bundle of every version
 *   cirtkit validate FILE...                 findings, nothing stored
 *   cirtkit migrate-medallion FILE           from the OASIS reference server
 *
 * Import streams each bundle object by object (stix/stix_bundle.h) and
 * commits every 10,000 objects, each batch with its audit entry, so memory
 * stays flat and a crash keeps every batch already committed. Parsing and
 * storing run on a core each (share/share_ingest.h).
 *
 * Layer: cli.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/parse.h"
#include "core/time.h"
#include "core/tlp.h"
#include "share/share_ingest.h"
#include "share/share_object.h"
#include "share/share_status.h"
#include "stix/stix.h"
#include "stix/stix_bundle.h"
#include "core/banned.h"

/* Objects per transaction (--batch): fewer commits rewrite fewer index
 * pages; smaller ones show progress sooner on a slow input. */
#define BATCH_DEFAULT 10000
#define BATCH_MAX     1000000

/* What the reader may have parsed ahead of the store: flat memory. */
#define AHEAD_ITEMS 4096
#define AHEAD_BYTES (8u << 20)

static const char import_usage[] =
	"usage: cirtkit import --collection ID [--batch N] FILE...\n"
	"\n"
	"Store the objects of STIX bundles in a collection (its id or\n"
	"alias), streaming them one at a time so a bundle may be of any\n"
	"size. Each object is stored, found there already, or refused with\n"
	"the reason. FILE - is standard input. Exits 1 if anything was\n"
	"refused.\n"
	"\n"
	"  --batch N  objects per transaction, 1 to 1000000 (default "
	"10000)\n" CIRT_CLI_STORE_HELP;

static const char export_usage[] =
	"usage: cirtkit export --collection ID [--type T] [--added-after TS]\n"
	"                      [-o FILE]\n"
	"\n"
	"Write every version of the objects of a collection as one STIX\n"
	"bundle, oldest first: the bytes as they were received, so the\n"
	"bundle re-imports to the same objects.\n"
	"\n"
	"  --type T          only objects of these types (comma-separated)\n"
	"  --added-after TS  only versions added after this RFC 3339 time\n"
	"  -o, --output FILE write to FILE (whole, or not at "
	"all)\n" CIRT_CLI_STORE_HELP;

static const char validate_usage[] =
	"usage: cirtkit validate FILE...\n"
	"\n"
	"Check STIX 2.1 bundles (or single objects) without storing them:\n"
	"one line per finding, FILE: object N (ID): PATH: RULE: message.\n"
	"Exits 1 if there is any.\n" CIRT_CLI_STORE_HELP;

/* Print a refusal: each finding, or the one reason. */
static void print_refusal(const char *file, size_t index,
			  const struct cirt_share_result *r)
{
	const char *id = r->id[0] ? r->id : "no id";

	if (r->findings.n == 0) {
		printf("%s: object %zu (%s): %s\n", file, index, id,
		       r->message);
		return;
	}
	for (size_t i = 0; i < r->findings.n; i++)
		printf("%s: object %zu (%s): %s: %s: %s\n", file, index, id,
		       r->findings.f[i].path, r->findings.f[i].rule,
		       r->findings.f[i].message);
	if (r->findings.total > r->findings.n)
		printf("%s: object %zu (%s): and %zu findings more\n", file,
		       index, id, r->findings.total - r->findings.n);
}

/* Open FILE, or standard input for "-". */
static int open_input(const char *file, struct cirt_diag *d)
{
	int fd = strcmp(file, "-") == 0 ? dup(STDIN_FILENO)
					: open(file, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return cirt_diag_set(d, -CIRT_EIO, "file", "cannot read %s: %s",
				     file, strerror(errno));
	return fd;
}

/* ---- import ---- */

struct import {
	struct cirt_cli *cli;
	struct cirt_db *db;
	struct cirt_collection *c;
	const char *file;
	struct cirt_ingest *in; /* the file's; next_batch moves its
				   date_added on to the new batch's time */
	int64_t stored, present, refused, batch;
	int64_t batch_max;
	struct cirt_diag *d;
};

static int audit_batch(struct import *im)
{
	char object[CIRT_UUID_LEN + 16];
	json_t *detail;
	int rc;

	snprintf(object, sizeof(object), "collection:%s", im->c->uuid);
	detail = json_pack("{s:s, s:I}", "file", im->file, "objects",
			   (json_int_t)im->batch);
	rc = cirt_audit_append(im->db, &im->cli->actor, "objects.import",
			       object, detail, im->d);
	json_decref(detail);
	return rc;
}

/* Commit the batch (with its audit entry) and open the next. */
static int next_batch(struct import *im, bool last)
{
	int rc = im->batch ? audit_batch(im) : 0;
	int64_t now;

	rc = cirt_db_end(im->db, rc, im->d);
	if (rc == 0 && !last)
		rc = cirt_db_begin(im->db, im->d);
	im->batch = 0;
	/* Never back: the objects so far took a microsecond each. */
	now = cirt_time_now_us();
	if (now > im->in->date_added)
		im->in->date_added = now;
	return rc;
}

/* Count an outcome (and print a refusal); commit when the batch is full.
 * A cirt_ingest_fn; arg is the import. */
static int tally(size_t index, const struct cirt_share_result *r, void *arg)
{
	struct import *im = arg;

	switch (r->outcome) {
	case CIRT_SHARE_STORED:
		im->stored++;
		im->batch++;
		break;
	case CIRT_SHARE_DUPLICATE:
		im->present++;
		break;
	case CIRT_SHARE_REFUSED:
		im->refused++;
		print_refusal(im->file, index, r);
		break;
	}
	return im->batch == im->batch_max ? next_batch(im, false) : 0;
}

static int import_one(const char *bytes, size_t len, json_t *obj, size_t index,
		      void *arg)
{
	struct import *im = arg;
	struct cirt_share_result r;
	int rc = cirt_share_put(im->db, im->c, bytes, len, obj,
				im->in->date_added, &r, im->d);

	return rc < 0 ? rc : tally(index, &r, im);
}

/* A file holding one STIX object rather than a bundle: no "objects" and
 * a type other than "bundle". */
static bool lone_object(const struct cirt_bundle_info *info)
{
	const char *type =
		json_string_value(json_object_get(info->hdr, "type"));

	return !info->has_objects && type && strcmp(type, "bundle") != 0;
}

/* Hand a lone object to fn as the bundle reader hands each element. */
static int read_lone(const struct cirt_bundle_info *info, cirt_bundle_fn fn,
		     void *arg)
{
	size_t len;
	char *bytes = cirt_json_dump(info->hdr, &len);
	int rc = fn(bytes, len, info->hdr, 0, arg);

	free(bytes);
	return rc;
}

/* Bundle-level findings (STIX-15); 1 if there were any. */
static int check_bundle(const char *file, const struct cirt_bundle_info *info)
{
	struct cirt_stix_findings f;

	cirt_stix_findings_init(&f);
	cirt_stix_validate_bundle(info->hdr, info->count, &f);
	/* after: validating the header starts a new list of findings */
	if (info->has_objects && info->count == 0)
		cirt_stix_find(&f, "$.objects", "STIX-15",
			       "objects must not be empty when present");
	for (size_t i = 0; i < f.n; i++)
		printf("%s: bundle: %s: %s: %s\n", file, f.f[i].path,
		       f.f[i].rule, f.f[i].message);
	return f.total > 0;
}

static int import_file(struct import *im, const char *file)
{
	struct cirt_ingest in = {
		.db = im->db, .c = im->c, .fn = tally, .arg = im};
	struct cirt_bundle_src src = {-1, NULL, 0};
	int64_t refused = im->refused;
	int rc, bad = 0;

	im->file = file;
	im->stored = im->present = 0;
	src.fd = open_input(file, im->d);
	if (src.fd < 0) {
		cirt_cli_fail(im->d);
		cirt_diag_init(im->d);
		return 1;
	}
	rc = cirt_db_begin(im->db, im->d);
	im->in = &in;
	in.date_added = cirt_time_now_us();
	if (rc == 0) {
		rc = cirt_share_ingest(&in, &src, &cirt_bundle_default_limits,
				       im->d);
		/* What was stored before a bad object stays stored. */
		if (rc == 0 && in.read_rc < 0 && in.read_rc != -CIRT_EIO) {
			fprintf(stderr, "cirtkit: %s: %s\n", file,
				in.read_d.message);
			bad = 1;
		} else if (rc == 0 && in.read_rc < 0) {
			*im->d = in.read_d;
			rc = in.read_rc;
		}
		if (rc == 0 && !bad && lone_object(&in.info))
			rc = read_lone(&in.info, import_one, im);
		else if (rc == 0 && !bad)
			bad = check_bundle(file, &in.info);
		if (rc == 0)
			rc = next_batch(im, true);
		else
			cirt_db_rollback(im->db);
		cirt_bundle_info_release(&in.info);
	}
	im->in = NULL;
	close(src.fd);
	if (rc < 0)
		return cirt_cli_fail(im->d);
	printf("%s: %lld stored, %lld already there, %lld refused\n", file,
	       (long long)im->stored, (long long)im->present,
	       (long long)(im->refused - refused));
	return bad || im->refused > refused;
}

static int import(struct cirt_cli *c, const char *key, const char *batch)
{
	struct cirt_collection coll;
	struct import im = {.batch_max = BATCH_DEFAULT};
	struct cirt_db *db = NULL;
	struct cirt_diag d;
	int rc, failed = 0;

	cirt_diag_init(&d);
	if (key == NULL)
		return cirt_cli_usage(c, "--collection is required");
	if (batch && cirt_parse_i64(batch, 1, BATCH_MAX, &im.batch_max) < 0)
		return cirt_cli_usage(
			c, "--batch must be a number from 1 to %d", BATCH_MAX);
	rc = cirt_cli_open(c, false, &db);
	if (rc != CIRT_EXIT_OK)
		return rc;
	if (cirt_collection_get(db, 0, key, &coll, &d) < 0) {
		cirt_db_close(db);
		return cirt_cli_fail(&d);
	}
	im.cli = c;
	im.db = db;
	im.c = &coll;
	im.d = &d;
	for (int i = 0; i < c->nargs; i++)
		failed |= import_file(&im, c->args[i]);
	cirt_db_close(db);
	return failed ? CIRT_EXIT_FAIL : CIRT_EXIT_OK;
}

int cirt_cmd_import(int argc, char **argv)
{
	const char *key = NULL, *batch = NULL;
	const struct cirt_cli_opt opts[] = {
		{"collection", &key, NULL, NULL, 0},
		{"batch", &batch, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, import_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 1, 1000);
	if (rc < 0)
		rc = import(&c, key, batch);
	cirt_cli_release(&c);
	return rc;
}

/* ---- export ---- */

struct export
{
	FILE *out;
	int64_t n;
	int64_t in_page;
	int64_t last_added, last_seq;
};

static int write_one(const struct cirt_share_row *row, void *arg)
{
	struct export *e = arg;

	if (e->n > 0)
		fputs(",\n", e->out);
	fwrite(row->body, 1, row->body_len, e->out);
	e->n++;
	e->in_page++;
	e->last_added = row->date_added;
	e->last_seq = row->seq;
	return 0;
}

/* A JSON list of comma-separated values, or NULL. */
static char *json_list(const char *csv)
{
	json_t *a;
	const char *p, *comma;
	char *text;

	if (csv == NULL)
		return NULL;
	a = json_array();
	for (p = csv; p; p = comma ? comma + 1 : NULL) {
		comma = strchr(p, ',');
		json_array_append_new(
			a, json_stringn(p, comma ? (size_t)(comma - p)
						 : strlen(p)));
	}
	text = cirt_json_dump(a, NULL);
	json_decref(a);
	return text;
}

static int export_to(struct cirt_db *db, const struct cirt_collection *c,
		     struct cirt_share_query *q, FILE *out, int64_t *count,
		     struct cirt_diag *d)
{
	struct export e = {out, 0, 0, 0, 0};
	char uuid[CIRT_UUID_LEN + 1];
	int rc;

	cirt_uuid4(uuid);
	fprintf(out,
		"{\"type\":\"bundle\",\"id\":\"bundle--%s\",\"objects\":[\n",
		uuid);
	do {
		e.in_page = 0;
		rc = cirt_share_list(db, c, q, write_one, &e, d);
		q->after_added = e.last_added;
		q->after_seq = e.last_seq;
	} while (rc == 0 && e.in_page == q->limit);
	fputs("\n]}\n", out);
	*count = e.n;
	return rc;
}

struct export_args {
	const char *key, *type, *after, *output;
};

/* Export into FILE.tmp, then rename: FILE is whole or not there. */
static int export(struct cirt_cli *c, const struct export_args *a)
{
	struct cirt_share_query q = {.all = true, .limit = CIRT_CLI_PAGE};
	char tmp[4096], *types = NULL, *specs = NULL;
	struct cirt_collection coll;
	struct cirt_timestamp t;
	struct cirt_db *db = NULL;
	struct cirt_diag d;
	FILE *out = stdout;
	int64_t n = 0;
	int rc;

	cirt_diag_init(&d);
	if (a->key == NULL)
		return cirt_cli_usage(c, "--collection is required");
	q.after_added = -1;
	if (a->after) {
		if (cirt_time_parse(a->after, strlen(a->after), &t, NULL) < 0)
			return cirt_cli_usage(c, "--added-after must be an RFC "
						 "3339 UTC time such as "
						 "2026-01-31T00:00:00Z");
		q.after_added = t.us;
	}
	q.after_seq = a->after ? INT64_MAX : 0;
	rc = cirt_cli_open(c, false, &db);
	if (rc != CIRT_EXIT_OK)
		return rc;
	rc = cirt_collection_get(db, 0, a->key, &coll, &d);
	if (rc == 0 && a->output) {
		snprintf(tmp, sizeof(tmp), "%s.tmp", a->output);
		out = fopen(tmp, "w");
		if (out == NULL)
			rc = cirt_diag_set(&d, -CIRT_EIO, "output",
					   "cannot write %s: %s", tmp,
					   strerror(errno));
	}
	if (rc == 0) {
		types = json_list(a->type);
		specs = json_list(coll.spec_versions[0] ? coll.spec_versions
							: "2.1");
		q.types = types;
		q.spec_versions = specs;
		q.ceiling = coll.tlp_max;
		q.with_body = true;
		rc = export_to(db, &coll, &q, out, &n, &d);
	}
	if (a->output && out) {
		if (fflush(out) != 0 || fsync(fileno(out)) != 0)
			rc = rc ? rc
				: cirt_diag_set(&d, -CIRT_EIO, "output",
						"cannot write %s", tmp);
		fclose(out);
		if (rc == 0 && rename(tmp, a->output) != 0)
			rc = cirt_diag_set(&d, -CIRT_EIO, "output",
					   "cannot rename %s: %s", tmp,
					   strerror(errno));
		if (rc < 0)
			unlink(tmp);
	}
	free(types);
	free(specs);
	cirt_db_close(db);
	if (rc < 0)
		return cirt_cli_fail(&d);
	fprintf(stderr, "cirtkit: exported %lld object versions\n",
		(long long)n);
	return CIRT_EXIT_OK;
}

int cirt_cmd_export(int argc, char **argv)
{
	struct export_args a = {0};
	const struct cirt_cli_opt opts[] = {
		{"collection", &a.key, NULL, NULL, 0},
		{"type", &a.type, NULL, NULL, 0},
		{"added-after", &a.after, NULL, NULL, 0},
		{"output", &a.output, NULL, NULL, 'o'},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, export_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 0, 0);
	if (rc < 0)
		rc = export(&c, &a);
	cirt_cli_release(&c);
	return rc;
}

/* ---- validate ---- */

struct validate {
	const char *file;
	int64_t objects, bad;
};

static int print_findings(const char *file, size_t index, json_t *obj,
			  const struct cirt_stix_findings *f)
{
	const char *id = json_string_value(json_object_get(obj, "id"));

	for (size_t i = 0; i < f->n; i++)
		printf("%s: object %zu (%s): %s: %s: %s\n", file, index,
		       id ? id : "no id", f->f[i].path, f->f[i].rule,
		       f->f[i].message);
	if (f->total > f->n)
		printf("%s: object %zu: and %zu findings more\n", file, index,
		       f->total - f->n);
	return 0;
}

static int validate_one(const char *bytes, size_t len, json_t *obj,
			size_t index, void *arg)
{
	struct validate *v = arg;
	struct cirt_stix_findings f;
	struct cirt_stix_meta m;

	(void)bytes;
	(void)len;
	cirt_stix_findings_init(&f);
	v->objects++;
	if (cirt_stix_validate(obj, &m, &f) < 0) {
		v->bad++;
		print_findings(v->file, index, obj, &f);
	}
	return 0;
}

static int validate_file(const char *file, struct cirt_diag *d)
{
	struct validate v = {file, 0, 0};
	struct cirt_bundle_info info;
	struct cirt_bundle_src src = {-1, NULL, 0};
	int rc, bundle_bad = 0;

	src.fd = open_input(file, d);
	if (src.fd < 0)
		return cirt_cli_fail(d);
	rc = cirt_bundle_read(&src, &cirt_bundle_default_limits, validate_one,
			      &v, &info, d);
	close(src.fd);
	if (rc == 0 && lone_object(&info))
		read_lone(&info, validate_one, &v);
	else if (rc == 0)
		bundle_bad = check_bundle(file, &info);
	cirt_bundle_info_release(&info);
	if (rc < 0) {
		printf("%s: %s\n", file, d->message);
		cirt_diag_init(d);
		return 1;
	}
	printf("%s: %lld objects, %lld with findings\n", file,
	       (long long)v.objects, (long long)v.bad);
	return v.bad > 0 || bundle_bad;
}

int cirt_cmd_validate(int argc, char **argv)
{
	struct cirt_diag d;
	struct cirt_cli c;
	int rc, bad = 0;

	cirt_cli_init(&c, validate_usage);
	cirt_diag_init(&d);
	rc = cirt_cli_start(&c, argc, argv, NULL, 1, 1000);
	if (rc < 0) {
		for (int i = 0; i < c.nargs; i++)
			bad |= validate_file(c.args[i], &d);
		rc = bad ? CIRT_EXIT_FAIL : CIRT_EXIT_OK;
	}
	cirt_cli_release(&c);
	return rc;
}
