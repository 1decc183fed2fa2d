/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The one binary: `cirtkit COMMAND [SUBCOMMAND] [OPTIONS] [ARGS]`. This
 * file is only the table of commands and the dispatch; each command lives
 * in src/cli/cmd_*.c and takes --help. Exit codes: 0 success, 1 failure,
 * 2 usage error. docs/cli.md is the reference.
 *
 * Layer: main, above everything.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/json.h"
#include "core/banned.h"

struct command {
	const char *name;
	const char *sub; /* NULL for a command without subcommands */
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{"init", NULL, cirt_cmd_init, "create or upgrade the store"},
	{"serve", NULL, cirt_cmd_serve, "run the HTTP(S) API server"},
	{"org", "add", cirt_cmd_org_add, "add an organisation"},
	{"org", "list", cirt_cmd_org_list, "list organisations"},
	{"user", "add", cirt_cmd_user_add, "add a user"},
	{"user", "list", cirt_cmd_user_list, "list users"},
	{"user", "disable", cirt_cmd_user_disable,
	 "disable a user (ends sessions, stops tokens)"},
	{"user", "enable", cirt_cmd_user_enable, "enable a user again"},
	{"user", "password", cirt_cmd_user_password, "set a user's password"},
	{"token", "create", cirt_cmd_token_create,
	 "create an API token (printed once)"},
	{"token", "revoke", cirt_cmd_token_revoke, "revoke an API token"},
	{"token", "list", cirt_cmd_token_list, "list API tokens"},
	{"audit", "verify", cirt_cmd_audit_verify,
	 "verify the audit log's hash chain"},
	{"audit", "list", cirt_cmd_audit_list, "print audit log entries"},
	{"collection", "add", cirt_cmd_collection_add,
	 "add a TAXII collection (prints its id)"},
	{"collection", "list", cirt_cmd_collection_list,
	 "list TAXII collections"},
	{"import", NULL, cirt_cmd_import, "store STIX bundles in a collection"},
	{"export", NULL, cirt_cmd_export,
	 "write a collection as a STIX bundle"},
	{"validate", NULL, cirt_cmd_validate,
	 "check STIX bundles without storing them"},
	{"migrate-medallion", NULL, cirt_cmd_migrate_medallion,
	 "take over a medallion TAXII server's data"},
	{"incident", "add", cirt_cmd_incident_add,
	 "open an incident (prints its identifier)"},
	{"incident", "list", cirt_cmd_incident_list, "list incidents"},
	{"incident", "show", cirt_cmd_incident_show,
	 "print an incident with its timeline"},
	{"incident", "set", cirt_cmd_incident_set,
	 "change an incident (prints its version)"},
	{"incident", "ack", cirt_cmd_incident_ack, "acknowledge an incident"},
	{"incident", "note", cirt_cmd_incident_note,
	 "add a note, comment or communication"},
	{"incident", "task", cirt_cmd_incident_task,
	 "add a task (task add), or finish one (task done)"},
	{"incident", "attach", cirt_cmd_incident_attach,
	 "keep a file as evidence (prints its SHA-256)"},
	{"incident", "relate", cirt_cmd_incident_relate,
	 "relate an incident to another"},
	{"incident", "link", cirt_cmd_incident_link,
	 "link an incident to a STIX object"},
	{"incident", "export", cirt_cmd_incident_export,
	 "write an incident as IODEF or STIX"},
	{"incident", "import", cirt_cmd_incident_import,
	 "create incidents from an IODEF document"},
	{"incident", "share", cirt_cmd_incident_share,
	 "share an incident to a TAXII collection"},
	{"constituent", "add", cirt_cmd_constituent_add,
	 "add a constituent with its networks and contacts"},
	{"constituent", "import", cirt_cmd_constituent_import,
	 "add constituents from a CSV file"},
	{"constituent", "list", cirt_cmd_constituent_list, "list constituents"},
	{"constituent", "show", cirt_cmd_constituent_show,
	 "print a constituent as JSON"},
	{"feed", "add", cirt_cmd_feed_add, "add a feed"},
	{"feed", "list", cirt_cmd_feed_list, "list feeds with their last run"},
	{"feed", "run", cirt_cmd_feed_run, "run a feed, or the feeds due"},
	{"feed", "ingest", cirt_cmd_feed_ingest,
	 "run files through the feed pipeline once"},
	{"feed", "parsers", cirt_cmd_feed_parsers, "list the feed parsers"},
	{"rule", "add", cirt_cmd_rule_add,
	 "add a rule that opens incidents from events"},
	{"rule", "list", cirt_cmd_rule_list, "list the event rules"},
	{"rule", "delete", cirt_cmd_rule_delete, "delete an event rule"},
	{"match", NULL, cirt_cmd_match,
	 "match logs against the indicators (JSON lines)"},
	{"indicators", NULL, cirt_cmd_indicators,
	 "report what the indicator set holds and left out"},
	{"event", "list", cirt_cmd_event_list, "list feed events"},
	{"event", "show", cirt_cmd_event_show,
	 "print an event with its raw record"},
	{"notify", "run", cirt_cmd_notify_run, "send the digests that are due"},
	{"notify", "log", cirt_cmd_notify_log, "list the digests sent"},
	{"sla", "list", cirt_cmd_sla_list, "show the SLA targets per severity"},
	{"sla", "set", cirt_cmd_sla_set, "change a severity's SLA targets"},
	{"playbook", "list", cirt_cmd_playbook_list, "list incident playbooks"},
	{"playbook", "show", cirt_cmd_playbook_show,
	 "print a playbook as JSON"},
	{"playbook", "set", cirt_cmd_playbook_set,
	 "create or replace a playbook from a JSON file"},
	{"playbook", "delete", cirt_cmd_playbook_delete, "delete a playbook"},
	{"stats", NULL, cirt_cmd_stats, "national incident statistics"},
	{"taxonomy", NULL, cirt_cmd_taxonomy,
	 "list the incident classes and types"},
	{"check", NULL, cirt_cmd_check,
	 "check the store's consistency and audit chain"},
	{"version", NULL, cirt_cmd_version, "print the version"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_commands(FILE *f, const char *only)
{
	char name[64];

	fprintf(f, "usage: cirtkit COMMAND [OPTIONS] [ARGUMENTS]\n\n"
		   "Commands (each takes --help):\n");
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (only && strcmp(commands[i].name, only) != 0)
			continue;
		snprintf(name, sizeof(name), "%s%s%s", commands[i].name,
			 commands[i].sub ? " " : "",
			 commands[i].sub ? commands[i].sub : "");
		fprintf(f, "  %-18s %s\n", name, commands[i].summary);
	}
}

static bool is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0 ||
	       strcmp(arg, "help") == 0;
}

int main(int argc, char **argv)
{
	const char *name, *sub;
	bool known = false;

	/* Everything we create (store, logs) is for our eyes only. */
	umask(077);
	cirt_json_setup();
	if (argc < 2) {
		print_commands(stderr, NULL);
		return CIRT_EXIT_USAGE;
	}
	name = argv[1];
	if (is_help(name)) {
		print_commands(stdout, NULL);
		return CIRT_EXIT_OK;
	}
	if (strcmp(name, "--version") == 0)
		return cirt_cmd_version(1, argv);
	sub = argc > 2 ? argv[2] : "";
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const struct command *c = &commands[i];

		if (strcmp(c->name, name) != 0)
			continue;
		known = true;
		if (c->sub == NULL)
			return c->fn(argc - 1, argv + 1);
		if (strcmp(c->sub, sub) == 0)
			return c->fn(argc - 2, argv + 2);
	}
	if (known && is_help(sub)) {
		print_commands(stdout, name);
		return CIRT_EXIT_OK;
	}
	if (known)
		fprintf(stderr, "cirtkit: %s needs a subcommand%s%s\n", name,
			*sub ? "; unknown: " : "", sub);
	else
		fprintf(stderr, "cirtkit: unknown command '%s'\n", name);
	print_commands(stderr, known ? name : NULL);
	return CIRT_EXIT_USAGE;
}
