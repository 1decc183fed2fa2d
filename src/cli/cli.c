/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Shared command-line machinery. See cli/cli.h.
 */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>

#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/time.h"
#include "store/migrate.h"
#include "core/banned.h"

void cirt_cli_init(struct cirt_cli *c, const char *usage)
{
	struct passwd pw, *res = NULL;
	char buf[1024];

	memset(c, 0, sizeof(*c));
	c->usage = usage;
	cirt_config_init(&c->cfg);
	if (getpwuid_r(geteuid(), &pw, buf, sizeof(buf), &res) == 0 && res)
		snprintf(c->actor_name, sizeof(c->actor_name), "cli:%s",
			 pw.pw_name);
	else
		snprintf(c->actor_name, sizeof(c->actor_name), "cli:uid%u",
			 (unsigned)geteuid());
	c->actor.name = c->actor_name;
	c->actor.addr = "local";
	opterr = 0;
	optind = 1;
}

void cirt_cli_release(struct cirt_cli *c)
{
	cirt_config_release(&c->cfg);
}

static void set_flag(struct cirt_cli *c, const char *key, const char *value,
		     const char *flag)
{
	CIRT_ASSERT(c->nflags < CIRT_CLI_FLAGS_MAX);
	c->flags[c->nflags].key = key;
	c->flags[c->nflags].value = value;
	c->flags[c->nflags].flag = flag;
	c->nflags++;
}

/* defaults < file < environment < flags */
static int load_config(struct cirt_cli *c)
{
	struct cirt_diag d;
	int level;

	cirt_diag_init(&d);
	if (cirt_config_load(&c->cfg, c->config_path, &d) < 0)
		return cirt_cli_fail(&d);
	for (size_t i = 0; i < c->nflags; i++)
		if (cirt_config_set(&c->cfg, c->flags[i].key, c->flags[i].value,
				    c->flags[i].flag, &d) < 0)
			return cirt_cli_fail(&d);
	if (cirt_config_check(&c->cfg, &d) < 0)
		return cirt_cli_fail(&d);
	level = cirt_log_parse_level(c->cfg.log_level);
	cirt_log_set_level((enum cirt_log_level)level);
	return CIRT_EXIT_OK;
}

enum {
	OPT_CONFIG = 1000,
	OPT_DATA,
	OPT_DB,
	OPT_HELP,
	OPT_OWN = 2000
};

#define OPTS_MAX 24

static int take_option(struct cirt_cli *c, const struct cirt_cli_opt *opts,
		       int opt, const char *arg)
{
	const struct cirt_cli_opt *o;

	switch (opt) {
	case OPT_CONFIG:
		c->config_path = arg;
		return 0;
	case OPT_DATA:
		set_flag(c, "data", arg, "--data");
		return 0;
	case OPT_DB:
		set_flag(c, "db", arg, "--db");
		return 0;
	case OPT_HELP:
		c->help = true;
		return 0;
	}
	if (opt < OPT_OWN)
		return -1;
	o = &opts[opt - OPT_OWN];
	if (o->value)
		*o->value = arg;
	else if (o->key)
		set_flag(c, o->key, arg, o->name);
	else
		*o->flag = true;
	return 0;
}

int cirt_cli_start(struct cirt_cli *c, int argc, char **argv,
		   const struct cirt_cli_opt *opts, int min, int max)
{
	struct option lo[OPTS_MAX] = {
		{"config", required_argument, NULL, OPT_CONFIG},
		{"data", required_argument, NULL, OPT_DATA},
		{"db", required_argument, NULL, OPT_DB},
		{"help", no_argument, NULL, OPT_HELP},
	};
	char letters[2 * OPTS_MAX + 1] = "";
	const char *bad = NULL;
	size_t n = 4, nl = 0;
	int opt, operands;

	for (int i = 0; opts && opts[i].name; i++) {
		CIRT_ASSERT(n + 1 < OPTS_MAX);
		lo[n].name = opts[i].name;
		lo[n].has_arg = opts[i].flag ? no_argument : required_argument;
		lo[n].val = OPT_OWN + i;
		n++;
		if (opts[i].letter) {
			letters[nl++] = opts[i].letter;
			if (!opts[i].flag)
				letters[nl++] = ':';
		}
	}
	letters[nl] = '\0';
	while ((opt = getopt_long(argc, argv, letters, lo, NULL)) != -1) {
		/* A letter stands for its long option. */
		for (int i = 0; opts && opts[i].name && opt < OPT_CONFIG; i++)
			if (opts[i].letter == opt)
				opt = OPT_OWN + i;
		if (take_option(c, opts, opt, optarg) < 0 && bad == NULL)
			bad = argv[optind - 1];
	}
	if (c->help) {
		fputs(c->usage, stdout);
		return CIRT_EXIT_OK;
	}
	operands = argc - optind;
	c->args = argv + optind;
	c->nargs = operands;
	if (bad)
		return cirt_cli_usage(c, "unknown option or missing value: %s",
				      bad);
	if (operands < min)
		return cirt_cli_usage(c, "missing argument");
	if (operands > max)
		return cirt_cli_usage(c, "unexpected argument '%s'",
				      argv[optind + max]);
	return load_config(c) == CIRT_EXIT_OK ? -1 : CIRT_EXIT_FAIL;
}

struct cirt_db_target cirt_cli_target(struct cirt_cli *c)
{
	struct cirt_db_target t = {NULL, NULL, false};

	if (c->cfg.db[0] != '\0') {
		t.pg_conninfo = c->cfg.db;
	} else {
		snprintf(c->store_path, sizeof(c->store_path), "%s/%s",
			 c->cfg.data, CIRT_DB_SQLITE_FILE);
		t.sqlite_path = c->store_path;
	}
	return t;
}

int cirt_cli_open(struct cirt_cli *c, bool create, struct cirt_db **db)
{
	struct cirt_db_target t = cirt_cli_target(c);
	struct cirt_diag d;

	cirt_diag_init(&d);
	t.create = create;
	if (cirt_db_open(&t, db, &d) < 0)
		return cirt_cli_fail(&d);
	if (!create && cirt_schema_check(*db, &d) < 0) {
		cirt_db_close(*db);
		*db = NULL;
		return cirt_cli_fail(&d);
	}
	return CIRT_EXIT_OK;
}

int cirt_cli_fail(const struct cirt_diag *d)
{
	size_t n = strlen(d->field);

	/* The field, unless the message starts with it already. */
	if (n > 0 && d->message[0] && strncmp(d->message, d->field, n) != 0)
		fprintf(stderr, "cirtkit: %s: %s\n", d->field, d->message);
	else
		fprintf(stderr, "cirtkit: %s\n",
			d->message[0] ? d->message : "failed");
	return CIRT_EXIT_FAIL;
}

int cirt_cli_usage(const struct cirt_cli *c, const char *fmt, ...)
{
	va_list ap;

	fputs("cirtkit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", c->usage);
	return CIRT_EXIT_USAGE;
}

int cirt_cli_parse_format(const char *s, enum cirt_cli_format *out)
{
	if (strcmp(s, "table") == 0)
		*out = CIRT_FORMAT_TABLE;
	else if (strcmp(s, "json") == 0)
		*out = CIRT_FORMAT_JSON;
	else
		return -CIRT_EINVAL;
	return 0;
}

int cirt_cli_list_begin(const struct cirt_cli *c, struct cirt_cli_list *l,
			const char *format, const char *header)
{
	memset(l, 0, sizeof(*l));
	l->header = header;
	if (cirt_cli_parse_format(format, &l->format) < 0)
		return cirt_cli_usage(c, "--format must be table or json");
	l->items = json_array();
	return -1;
}

void cirt_cli_list_page(struct cirt_cli_list *l, int64_t *after)
{
	if (!l->started && l->format == CIRT_FORMAT_TABLE)
		printf("%s\n", l->header);
	l->started = true;
	l->count = 0;
	*after = l->last;
}

bool cirt_cli_list_item(struct cirt_cli_list *l, int64_t cursor, json_t *item)
{
	l->last = cursor;
	l->count++;
	if (l->format == CIRT_FORMAT_TABLE) {
		json_decref(item);
		return true;
	}
	json_array_append_new(l->items, item);
	return false;
}

int cirt_cli_list_end(struct cirt_cli_list *l, int rc,
		      const struct cirt_diag *d)
{
	if (rc < 0)
		return cirt_cli_fail(d);
	if (l->format == CIRT_FORMAT_JSON)
		cirt_cli_print_json(json_incref(l->items));
	return CIRT_EXIT_OK;
}

void cirt_cli_list_release(struct cirt_cli_list *l)
{
	json_decref(l->items);
	l->items = NULL;
}

int cirt_cli_read_file(const char *path, size_t max, char **out, size_t *len,
		       struct cirt_diag *d)
{
	struct cirt_buf b;
	char chunk[65536];
	size_t n;
	FILE *f = fopen(path, "rb");

	*out = NULL;
	if (f == NULL)
		return cirt_diag_set(d, -CIRT_EIO, "file", "cannot read %s: %s",
				     path, strerror(errno));
	cirt_buf_init(&b, max);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (cirt_buf_add(&b, chunk, n) < 0) {
			fclose(f);
			return cirt_diag_set(d, -CIRT_ELIMIT, "file",
					     "%s is larger than %zu bytes",
					     path, max);
		}
	}
	fclose(f);
	*out = cirt_buf_detach(&b, len);
	return 0;
}

int cirt_cli_read_secret(char *buf, size_t size, size_t *len,
			 struct cirt_diag *d)
{
	size_t n;

	if (fgets(buf, (int)size, stdin) == NULL)
		return cirt_diag_set(d, -CIRT_EINVAL, "password",
				     "no password on standard input");
	n = strlen(buf);
	if (n == size - 1 && buf[n - 1] != '\n')
		return cirt_diag_set(d, -CIRT_EINVAL, "password",
				     "password on standard input is too long");
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	*len = n;
	return 0;
}

const char *cirt_cli_time(int64_t us, char *buf, size_t n)
{
	char ts[CIRT_TIME_LEN];

	if (us == 0) {
		snprintf(buf, n, "-");
	} else {
		cirt_time_format(us, ts);
		snprintf(buf, n, "%.19sZ", ts); /* seconds are enough here */
	}
	return buf;
}

void cirt_cli_print_json(json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
	json_decref(v);
}

static bool name_is(const char *want, const char *name, size_t n)
{
	return strlen(want) == n && strncmp(want, name, n) == 0;
}

/* Whether --name (n bytes) takes the next argument as its value. */
static bool takes_value(const struct cirt_cli_opt *opts, const char *name,
			size_t n)
{
	if (name_is("config", name, n) || name_is("data", name, n) ||
	    name_is("db", name, n))
		return true;
	for (int i = 0; opts[i].name; i++)
		if (name_is(opts[i].name, name, n))
			return opts[i].flag == NULL;
	return false;
}

static struct cirt_cli_repeated *find_repeated(struct cirt_cli_args *a,
					       const char *name, size_t n)
{
	for (size_t i = 0; i < a->nrep; i++)
		if (name_is(a->rep[i].name, name, n))
			return &a->rep[i];
	return NULL;
}

/* Sort one argument that starts with "--" (not "--" itself) at argv[*i]
 * into a->argv or a repeatable option; the value of any other option is
 * copied with it, so "--title --observable" stays a title. */
static void take_repeated(struct cirt_cli_args *a, int argc, char **argv,
			  int *i, const struct cirt_cli_opt *opts)
{
	const char *arg = argv[*i] + 2;
	size_t n = strcspn(arg, "=");
	struct cirt_cli_repeated *r = find_repeated(a, arg, n);

	if (r == NULL) {
		a->argv[a->argc++] = argv[*i];
		if (arg[n] == '\0' && takes_value(opts, arg, n) &&
		    *i + 1 < argc)
			a->argv[a->argc++] = argv[++*i];
	} else if (arg[n] == '=') {
		r->v[r->n++] = arg + n + 1;
	} else if (*i + 1 < argc) {
		r->v[r->n++] = argv[++*i];
	} else {
		a->bad = argv[*i];
	}
}

/* Split argv (argv[0] is the command) into the values of the repeatable
 * options names[] (at most CIRT_CLI_REPEATED_MAX) and the rest, for cirt_cli_start() with
 * opts. */
void cirt_cli_args_take(struct cirt_cli_args *a, int argc, char **argv,
			const struct cirt_cli_opt *opts,
			const char *const *names, size_t nnames)
{
	int i;

	memset(a, 0, sizeof(*a));
	a->argv = cirt_xcalloc((size_t)argc + 1, sizeof(*a->argv));
	for (size_t k = 0; k < nnames && k < CIRT_CLI_REPEATED_MAX; k++) {
		a->rep[k].name = names[k];
		a->rep[k].v = cirt_xcalloc((size_t)argc, sizeof(char *));
		a->nrep++;
	}
	if (argc > 0)
		a->argv[a->argc++] = argv[0];
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strncmp(argv[i], "--", 2) == 0)
			take_repeated(a, argc, argv, &i, opts);
		else
			a->argv[a->argc++] = argv[i];
	}
	for (; i < argc; i++)
		a->argv[a->argc++] = argv[i];
}

void cirt_cli_args_release(struct cirt_cli_args *a)
{
	for (size_t k = 0; k < a->nrep; k++)
		free(a->rep[k].v);
	free(a->argv);
}

int cirt_cli_items(struct cirt_cli *c, const struct cirt_cli_items *it)
{
	enum cirt_cli_format f;
	struct cirt_db *db = NULL;
	struct cirt_diag d;
	json_t *list = NULL, *e;
	size_t i;
	int rc;

	if (cirt_cli_parse_format(it->format, &f) < 0)
		return cirt_cli_usage(c, "--format must be table or json");
	rc = cirt_cli_open(c, false, &db);
	if (rc != CIRT_EXIT_OK)
		return rc;
	cirt_diag_init(&d);
	if (it->fetch(db, it->arg, &list, &d) < 0) {
		rc = cirt_cli_fail(&d);
	} else if (f == CIRT_FORMAT_JSON) {
		cirt_cli_print_json(list);
		list = NULL;
	} else {
		puts(it->header);
		json_array_foreach (list, i, e)
			it->row(e);
	}
	json_decref(list);
	cirt_db_close(db);
	return rc;
}

int cirt_cli_items_command(int argc, char **argv, const char *usage,
			   const struct cirt_cli_items *it)
{
	const char *format = "table";
	const struct cirt_cli_opt opts[] = {
		{"format", &format, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli_items mine = *it;
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 0, 0);
	if (rc < 0) {
		mine.format = format;
		rc = cirt_cli_items(&c, &mine);
	}
	cirt_cli_release(&c);
	return rc;
}
