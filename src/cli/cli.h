/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * What every command of the `cirtkit` binary shares: the options every
 * command takes (--config, --data, --db, --help), configuration loading in
 * the documented order (defaults < file < environment < flags), opening
 * the store, the actor written into the audit log ("cli:<os user>" from
 * "local"), and the conventions for output and exit codes:
 *
 *   0  success        1  failure (the message is on stderr)
 *   2  usage error (the message and the usage are on stderr)
 *
 * Data goes to stdout (a token or password alone on its line, so scripts
 * can take it); messages for people go to stderr. docs/cli.md is the
 * reference.
 *
 * Layer: cli. Single-threaded.
 */
#ifndef CIRT_CLI_CLI_H
#define CIRT_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "audit/audit.h"
#include "core/config.h"
#include "store/db.h"

#define CIRT_EXIT_OK	0
#define CIRT_EXIT_FAIL	1
#define CIRT_EXIT_USAGE 2

/* The part of every command's usage that describes the common options. */
#define CIRT_CLI_STORE_HELP                                            \
	"\nStore and configuration (every command):\n"                 \
	"  --data DIR        data directory holding the SQLite store " \
	"(CIRTKIT_DATA)\n"                                             \
	"  --db CONNINFO     a PostgreSQL connection string instead "  \
	"(CIRTKIT_DB)\n"                                               \
	"  --config FILE     configuration file (CIRTKIT_CONFIG)\n"    \
	"  --help            show this text\n"

#define CIRT_CLI_FLAGS_MAX 16

struct cirt_cli_flag {
	const char *key;
	const char *value;
	const char *flag;
};

/* One option of a command, beyond the common ones: its argument goes to
 * *value, or sets configuration key, or (no argument) sets *flag. A
 * letter, if given, is its short form (-o). */
struct cirt_cli_opt {
	const char *name;
	const char **value;
	const char *key;
	bool *flag;
	char letter;
};

struct cirt_cli {
	const char *usage; /* the command's usage text */
	const char *config_path;
	bool help;
	char **args; /* the operands, after the options */
	int nargs;
	struct cirt_cli_flag flags[CIRT_CLI_FLAGS_MAX];
	size_t nflags;
	struct cirt_config cfg;
	char actor_name[80];
	struct cirt_actor actor;
	char store_path[4096]; /* SQLite file, when SQLite */
};

enum cirt_cli_format {
	CIRT_FORMAT_TABLE,
	CIRT_FORMAT_JSON
};

void cirt_cli_init(struct cirt_cli *c, const char *usage);
void cirt_cli_release(struct cirt_cli *c);

/*
 * Parse argv (argv[0] is the command): the common options, then opts (a
 * list ended by a NULL name), and between min and max operands, which are
 * left in c->args. Then load the configuration. Returns -1 to go
 * on, or an exit code to return at once (after --help, a usage error or a
 * configuration error).
 */
int cirt_cli_start(struct cirt_cli *c, int argc, char **argv,
		   const struct cirt_cli_opt *opts, int min, int max);

/*
 * Open the store the configuration names. Unless create is set, the store
 * must exist and be at this binary's schema version. An exit code.
 */
int cirt_cli_open(struct cirt_cli *c, bool create, struct cirt_db **db);

/* The target that cirt_cli_open() connects to (for the server's pool). */
struct cirt_db_target cirt_cli_target(struct cirt_cli *c);

/* Print the error and return CIRT_EXIT_FAIL. */
int cirt_cli_fail(const struct cirt_diag *d);

/* Print a usage error and the usage; return CIRT_EXIT_USAGE. */
int cirt_cli_usage(const struct cirt_cli *c, const char *fmt, ...)
	CIRT_PRINTF(2, 3);

/* "table" or "json". 0 or -CIRT_EINVAL. */
int cirt_cli_parse_format(const char *s, enum cirt_cli_format *out);

/* Rows fetched per page when a command lists everything. */
#define CIRT_CLI_PAGE 1000

/* A listing printed as a table, or collected into one JSON array. The
 * table header is printed with the first page, so nothing is printed
 * when the store cannot be opened. */
struct cirt_cli_list {
	enum cirt_cli_format format;
	const char *header;
	bool started;
	json_t *items; /* JSON format */
	int64_t last;  /* cursor of the last item */
	int64_t count; /* items in the current page */
};

/* Parse --format into l. Returns -1 to go on, or an exit code. */
int cirt_cli_list_begin(const struct cirt_cli *c, struct cirt_cli_list *l,
			const char *format, const char *header);

/* Start the next page: *after gets the cursor to list from. */
void cirt_cli_list_page(struct cirt_cli_list *l, int64_t *after);

/* Count an item (reference stolen); true if the caller prints a row. */
bool cirt_cli_list_item(struct cirt_cli_list *l, int64_t cursor, json_t *item);

/* Finish after the last page (rc is the listing's result): print the JSON
 * array, or the error. Returns the exit code. */
int cirt_cli_list_end(struct cirt_cli_list *l, int rc,
		      const struct cirt_diag *d);

void cirt_cli_list_release(struct cirt_cli_list *l);

/* Read a whole file (at most max bytes) into *out (caller frees; NUL-
 * terminated) and *len. 0, -CIRT_EIO or -CIRT_ELIMIT with d set. */
int cirt_cli_read_file(const char *path, size_t max, char **out, size_t *len,
		       struct cirt_diag *d);

/* Read one line (a password) from stdin into buf, without the newline. */
int cirt_cli_read_secret(char *buf, size_t size, size_t *len,
			 struct cirt_diag *d);

/* Print a timestamp (microseconds) as RFC 3339, or "-" for 0. */
const char *cirt_cli_time(int64_t us, char *buf, size_t n);

/* Print JSON readably on stdout (reference stolen). */
void cirt_cli_print_json(json_t *v);

/* Verify the audit chain and print the outcome: 0 intact, 1 broken, or a
 * negative code with d set (shared by `audit verify` and `check`). */
int cirt_cli_audit_report(struct cirt_db *db, struct cirt_diag *d);

/* Commands (cmd_*.c). Each takes its own arguments: argv[0] is the
 * command's name. */
int cirt_cmd_init(int argc, char **argv);
int cirt_cmd_serve(int argc, char **argv);
int cirt_cmd_org_add(int argc, char **argv);
int cirt_cmd_org_list(int argc, char **argv);
int cirt_cmd_user_add(int argc, char **argv);
int cirt_cmd_user_list(int argc, char **argv);
int cirt_cmd_user_disable(int argc, char **argv);
int cirt_cmd_user_enable(int argc, char **argv);
int cirt_cmd_user_password(int argc, char **argv);
int cirt_cmd_token_create(int argc, char **argv);
int cirt_cmd_token_revoke(int argc, char **argv);
int cirt_cmd_token_list(int argc, char **argv);
int cirt_cmd_audit_verify(int argc, char **argv);
int cirt_cmd_audit_list(int argc, char **argv);
int cirt_cmd_check(int argc, char **argv);
int cirt_cmd_collection_add(int argc, char **argv);
int cirt_cmd_collection_list(int argc, char **argv);
int cirt_cmd_import(int argc, char **argv);
int cirt_cmd_export(int argc, char **argv);
int cirt_cmd_validate(int argc, char **argv);
int cirt_cmd_migrate_medallion(int argc, char **argv);
int cirt_cmd_version(int argc, char **argv);
int cirt_cmd_sla_list(int argc, char **argv);
int cirt_cmd_sla_set(int argc, char **argv);
int cirt_cmd_playbook_list(int argc, char **argv);
int cirt_cmd_playbook_show(int argc, char **argv);
int cirt_cmd_playbook_set(int argc, char **argv);
int cirt_cmd_playbook_delete(int argc, char **argv);
int cirt_cmd_stats(int argc, char **argv);
int cirt_cmd_taxonomy(int argc, char **argv);
int cirt_cmd_constituent_add(int argc, char **argv);
int cirt_cmd_constituent_import(int argc, char **argv);
int cirt_cmd_constituent_list(int argc, char **argv);
int cirt_cmd_constituent_show(int argc, char **argv);
int cirt_cmd_feed_add(int argc, char **argv);
int cirt_cmd_feed_list(int argc, char **argv);
int cirt_cmd_feed_run(int argc, char **argv);
int cirt_cmd_feed_ingest(int argc, char **argv);
int cirt_cmd_feed_parsers(int argc, char **argv);
int cirt_cmd_rule_add(int argc, char **argv);
int cirt_cmd_rule_list(int argc, char **argv);
int cirt_cmd_rule_delete(int argc, char **argv);
int cirt_cmd_match(int argc, char **argv);
int cirt_cmd_indicators(int argc, char **argv);
int cirt_cmd_event_list(int argc, char **argv);
int cirt_cmd_event_show(int argc, char **argv);
int cirt_cmd_notify_run(int argc, char **argv);
int cirt_cmd_notify_log(int argc, char **argv);
int cirt_cmd_incident_add(int argc, char **argv);
int cirt_cmd_incident_list(int argc, char **argv);
int cirt_cmd_incident_show(int argc, char **argv);
int cirt_cmd_incident_set(int argc, char **argv);
int cirt_cmd_incident_ack(int argc, char **argv);
int cirt_cmd_incident_note(int argc, char **argv);
int cirt_cmd_incident_task(int argc, char **argv); /* add|done */
int cirt_cmd_incident_attach(int argc, char **argv);
int cirt_cmd_incident_relate(int argc, char **argv);
int cirt_cmd_incident_link(int argc, char **argv);
int cirt_cmd_incident_export(int argc, char **argv);
int cirt_cmd_incident_import(int argc, char **argv);
int cirt_cmd_incident_share(int argc, char **argv);

/* A command that prints a list of JSON objects (feed list, rule list,
 * ...): fetch fills *out with the array; row prints one item as a line
 * of the table under header. */
struct cirt_cli_items {
	const char *format; /* the value of --format: table or json */
	int (*fetch)(struct cirt_db *db, void *arg, json_t **out,
		     struct cirt_diag *d);
	void *arg;
	const char *header;
	void (*row)(const json_t *item);
};

/* Check the format, open the store, fetch, print; an exit code. */
int cirt_cli_items(struct cirt_cli *c, const struct cirt_cli_items *it);

/* A whole command of that kind whose only option is --format: usage,
 * argument checks, then cirt_cli_items (it->format is ignored). */
int cirt_cli_items_command(int argc, char **argv, const char *usage,
			   const struct cirt_cli_items *it);

/* Repeatable options ("--cidr A --cidr B"): getopt keeps only the last
 * value, so they are taken out of argv before cirt_cli_start() sees it. */
#define CIRT_CLI_REPEATED_MAX 6

/* A repeatable option and its values, in order. */
struct cirt_cli_repeated {
	const char *name;
	const char **v;
	size_t n;
};

/* argv without the repeatable options, which are in rep. */
struct cirt_cli_args {
	char **argv;
	int argc;
	struct cirt_cli_repeated rep[CIRT_CLI_REPEATED_MAX];
	size_t nrep;
	const char *bad; /* a repeatable option without a value */
};

/* Split argv (argv[0] is the command) into the values of the repeatable
 * options names[0..nnames) and the rest, for cirt_cli_start() with opts
 * (whose value options keep their values with them). */
void cirt_cli_args_take(struct cirt_cli_args *a, int argc, char **argv,
			const struct cirt_cli_opt *opts,
			const char *const *names, size_t nnames);
void cirt_cli_args_release(struct cirt_cli_args *a);

#endif
