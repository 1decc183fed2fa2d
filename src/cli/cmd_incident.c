/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * `cirtkit incident ...`: the incident workflow from the command line
 * (add, list, show, set, ack, note, task, attach, relate, link, export,
 * import, share). Each command turns its flags into the JSON body the
 * HTTP API takes and calls incident/incident.h, so both check input
 * alike; this file only parses arguments and prints answers. It decides
 * nothing about incidents.
 *
 * The commands work on the store directly as the local admin: a principal
 * of role admin in the team's organisation, with the OS user as the actor
 * of the audit log (cli/cli.h).
 *
 * getopt keeps only the last value of an option, so the repeatable ones
 * (--observable, --constituent) are taken out of argv before
 * cirt_cli_start() sees it (struct args).
 *
 * Layer: cli. Single-threaded. docs/incidents.md ("Command line") is the
 * reference.
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/org.h"
#include "core/buf.h"
#include "core/mem.h"
#include "core/parse.h"
#include "incident/incident.h"
#include "iodef/iodef.h"
#include "core/banned.h"

#define LIST_DEFAULT 100
#define LIST_MAX     1000
#define TITLE_COLS   48 /* bytes of a title in a table */
#define EXPORT_MAX   (64u << 20)

static const char add_usage[] =
	"usage: cirtkit incident add --title T --class CLASS:TYPE --severity "
	"S\n"
	"                            --tlp LEVEL [--constituent ORG]...\n"
	"                            [--description TEXT] [--impact I]\n"
	"                            [--reporter KIND:NAME] [--assignee USER]\n"
	"                            [--observable TYPE:VALUE[:ROLE]]...\n"
	"                            [--reported-at TIME]\n"
	"\n"
	"Open an incident and print its identifier alone on stdout. The\n"
	"playbook matching its class adds its tasks.\n"
	"\n"
	"  --class CLASS:TYPE  from the taxonomy, e.g. fraud:phishing\n"
	"  --severity S        low, medium, high or critical\n"
	"  --tlp LEVEL         clear, green, amber, amber+strict or red\n"
	"  --constituent ORG   an affected constituent (repeatable)\n"
	"  --impact I          an IODEF BusinessImpact type (default unknown)\n"
	"  --reporter K:NAME   K is team, person, constituent, partner or "
	"feed\n"
	"  --assignee USER     a user of the team\n"
	"  --observable T:V[:ROLE]\n"
	"                      T is ipv4-addr, ipv6-addr, domain-name, url,\n"
	"                      email-addr, file-sha256 or asn; ROLE is\n"
	"                      source, target or other (default); repeatable\n"
	"  --reported-at TIME  RFC 3339 or YYYY-MM-DD, not in the future\n"
	"                      (default now)\n" CIRT_CLI_STORE_HELP;

static const char list_usage[] =
	"usage: cirtkit incident list [--status S,...] [--class C[:T]]\n"
	"                             [--severity S] [--constituent ORG]\n"
	"                             [--assignee USER|none] [--from D] [--to "
	"D]\n"
	"                             [--search TEXT] [--sla-due MINUTES]\n"
	"                             [--limit N] [--format table|json]\n"
	"\n"
	"List incidents, newest first.\n"
	"\n"
	"  --from D, --to D   reported in [from, to): YYYY-MM-DD or RFC 3339\n"
	"  --search TEXT      every word in the title, description or "
	"timeline\n"
	"  --sla-due MINUTES  whose SLA clock has run out or will within "
	"MINUTES\n"
	"  --limit N          at most N incidents, 1 to 1000 (default "
	"100)\n" CIRT_CLI_STORE_HELP;

static const char show_usage[] =
	"usage: cirtkit incident show ID [--format text|json]\n"
	"\n"
	"Print an incident (identifier or UUID) with its tasks, timeline and\n"
	"evidence.\n" CIRT_CLI_STORE_HELP;

static const char set_usage[] =
	"usage: cirtkit incident set ID [--status S] [--title T]\n"
	"                               [--description D] [--class C:T]\n"
	"                               [--severity S] [--impact I] [--tlp L]\n"
	"                               [--assignee USER|none]\n"
	"                               [--constituent ORG]...\n"
	"                               [--duplicate-of ID] [--if-version N]\n"
	"\n"
	"Change an incident and print its new version. --status moves it\n"
	"along the workflow (docs/incidents.md); --constituent, repeated,\n"
	"replaces the whole list; --if-version refuses the change unless the\n"
	"incident is still at version N.\n" CIRT_CLI_STORE_HELP;

static const char ack_usage[] =
	"usage: cirtkit incident ack ID\n"
	"\n"
	"Acknowledge an incident for the team: stops the SLA acknowledge\n"
	"clock. Acknowledging again changes nothing.\n" CIRT_CLI_STORE_HELP;

static const char note_usage[] =
	"usage: cirtkit incident note ID TEXT [--kind note|comment|in|out]\n"
	"                             [--counterpart WHO]\n"
	"\n"
	"Add an entry to the timeline: a note (the team's own, the default),\n"
	"a comment (shared with the affected constituents), or a record of a\n"
	"communication in or out, with whom "
	"(--counterpart).\n" CIRT_CLI_STORE_HELP;

static const char task_usage[] =
	"usage: cirtkit incident task add ID --title T [--owner USER] "
	"[--due TIME]\n"
	"       cirtkit incident task done ID TASK\n"
	"\n"
	"Add a task to an incident (its number is printed on stdout), or mark\n"
	"task number TASK done.\n"
	"\n"
	"  --owner USER  a user of the team\n"
	"  --due TIME    RFC 3339 or YYYY-MM-DD\n" CIRT_CLI_STORE_HELP;

static const char attach_usage[] =
	"usage: cirtkit incident attach ID FILE [--name NAME] "
	"[--media-type TYPE]\n"
	"\n"
	"Keep FILE as evidence of the incident (at most evidence_max bytes)\n"
	"and print its SHA-256.\n"
	"\n"
	"  --name NAME        the name to keep (default: FILE's own)\n"
	"  --media-type TYPE  e.g. message/rfc822 (default "
	"application/octet-stream)\n" CIRT_CLI_STORE_HELP;

static const char relate_usage[] =
	"usage: cirtkit incident relate ID RELATION OTHER\n"
	"\n"
	"Record that incident ID is duplicate-of, merged-into, split-from or\n"
	"related-to incident OTHER.\n" CIRT_CLI_STORE_HELP;

static const char link_usage[] =
	"usage: cirtkit incident link ID STIX_ID\n"
	"\n"
	"Link an incident to a STIX object of the sharing store, such as\n"
	"indicator--<uuid>.\n" CIRT_CLI_STORE_HELP;

static const char export_usage[] =
	"usage: cirtkit incident export ID --format iodef|stix [-o FILE]\n"
	"\n"
	"Write an incident as an IODEF v2 document or a STIX 2.1 bundle.\n"
	"\n"
	"  -o, --output FILE  write to FILE instead of "
	"stdout\n" CIRT_CLI_STORE_HELP;

static const char import_usage[] =
	"usage: cirtkit incident import FILE\n"
	"\n"
	"Create an incident from each Incident of an IODEF v2 document (at\n"
	"most 8 MiB), all or none, and print their identifiers, one a line.\n"
	"Incidents imported before are not created again. An invalid document\n"
	"creates nothing; each error is printed as FILE:LINE: message.\n"
	"With iodef_schema set, the document is validated against "
	"it.\n" CIRT_CLI_STORE_HELP;

static const char share_usage[] =
	"usage: cirtkit incident share ID --collection ID\n"
	"\n"
	"Add the incident and its observables to a TAXII collection (its id\n"
	"or alias) as STIX 2.1. Refused when the incident's TLP is above the\n"
	"collection's ceiling, or RED.\n" CIRT_CLI_STORE_HELP;

/* ---- the local admin ---- */

/* What every command works with: the store and the env of the local
 * admin. */
struct session {
	struct cirt_db *db;
	struct cirt_principal p;
	struct cirt_incident_env env;
	struct cirt_iodef_schema *schema;
	struct cirt_diag d;
};

static void session_close(struct session *s)
{
	cirt_iodef_schema_free(s->schema);
	s->schema = NULL;
	cirt_db_close(s->db);
	s->db = NULL;
}

/* Print the error of s and close it: CIRT_EXIT_FAIL. */
static int session_fail(struct session *s)
{
	session_close(s);
	return cirt_cli_fail(&s->d);
}

/*
 * Open the store and set s->env up for the local admin of the team. With
 * schema, the IODEF schema of the configuration is loaded too (only
 * imports need it: a broken iodef_schema does not stop the rest). An exit
 * code; on success the caller closes s.
 */
static int session_open(struct cirt_cli *c, struct session *s, bool schema)
{
	struct cirt_org team;
	int rc;

	memset(s, 0, sizeof(*s));
	cirt_diag_init(&s->d);
	if (cirt_incident_check_prefix(c->cfg.incident_prefix, &s->d) < 0)
		return cirt_cli_fail(&s->d);
	rc = cirt_cli_open(c, false, &s->db);
	if (rc != CIRT_EXIT_OK)
		return rc;
	if (cirt_org_team(s->db, &team, &s->d) < 0)
		return session_fail(s);
	snprintf(s->p.user, sizeof(s->p.user), "cli");
	s->p.role = CIRT_ROLE_ADMIN;
	s->p.org_id = team.id;
	snprintf(s->p.org, sizeof(s->p.org), "%s", team.name);
	s->p.org_kind = team.kind;
	s->p.via = CIRT_VIA_TOKEN;
	s->env.p = &s->p;
	s->env.actor = &c->actor;
	s->env.prefix = c->cfg.incident_prefix;
	s->env.team_domain = c->cfg.team_domain;
	s->env.evidence_max = (size_t)c->cfg.evidence_max;
	if (schema && c->cfg.iodef_schema[0] != '\0') {
		cirt_iodef_setup();
		if (cirt_iodef_schema_load(c->cfg.iodef_schema, &s->schema,
					   &s->d) < 0)
			return session_fail(s);
		s->env.schema = s->schema;
	}
	return CIRT_EXIT_OK;
}

/* ---- request bodies ---- */

/* A string field of a body, from a flag (NULL: absent). */
struct field {
	const char *key;
	const char *flag;
	const char *value;
};

/* Put the fields given into body. -1 to go on, or a usage error. */
static int put_fields(const struct cirt_cli *c, json_t *body,
		      const struct field *f, size_t n)
{
	json_t *v;

	for (size_t i = 0; i < n; i++) {
		if (f[i].value == NULL)
			continue;
		v = json_string(f[i].value);
		if (v == NULL)
			return cirt_cli_usage(c, "%s must be UTF-8 text",
					      f[i].flag);
		json_object_set_new(body, f[i].key, v);
	}
	return -1;
}

/* body.constituents = the values of --constituent. -1 or a usage error. */
static int put_constituents(const struct cirt_cli *c, json_t *body,
			    const struct cirt_cli_repeated *r)
{
	json_t *a = json_array(), *v;

	for (size_t i = 0; i < r->n; i++) {
		v = json_string(r->v[i]);
		if (v == NULL) {
			json_decref(a);
			return cirt_cli_usage(c, "--constituent must be UTF-8 "
						 "text");
		}
		json_array_append_new(a, v);
	}
	json_object_set_new(body, "constituents", a);
	return -1;
}

static bool is_role(const char *s)
{
	return strcmp(s, "source") == 0 || strcmp(s, "target") == 0 ||
	       strcmp(s, "other") == 0;
}

/*
 * TYPE:VALUE[:ROLE] as {"type", "value", "role"}, or NULL. The type ends
 * at the first ':'; the role is the part after the last ':' only if it is
 * a role, so URLs and IPv6 addresses keep their colons.
 */
static json_t *parse_observable(const char *s)
{
	const char *colon = strchr(s, ':'), *value, *last;
	size_t vlen;
	json_t *o;

	if (colon == NULL || colon == s)
		return NULL;
	value = colon + 1;
	vlen = strlen(value);
	last = strrchr(value, ':');
	if (last && is_role(last + 1))
		vlen = (size_t)(last - value);
	o = json_pack("{s:s%, s:s%}", "type", s, (size_t)(colon - s), "value",
		      value, vlen);
	if (o && last && is_role(last + 1))
		json_object_set_new(o, "role", json_string(last + 1));
	return o;
}

static int put_observables(const struct cirt_cli *c, json_t *body,
			   const struct cirt_cli_repeated *r)
{
	json_t *a = json_array(), *o;

	for (size_t i = 0; i < r->n; i++) {
		o = parse_observable(r->v[i]);
		if (o == NULL) {
			json_decref(a);
			return cirt_cli_usage(c, "--observable must be "
						 "TYPE:VALUE[:ROLE] in UTF-8");
		}
		json_array_append_new(a, o);
	}
	json_object_set_new(body, "observables", a);
	return -1;
}

/* KIND:NAME as {"kind", "name"}. -1 or a usage error. */
static int put_reporter(const struct cirt_cli *c, json_t *body, const char *s)
{
	const char *colon = s ? strchr(s, ':') : NULL;
	json_t *o;

	if (s == NULL)
		return -1;
	o = colon ? json_pack("{s:s%, s:s}", "kind", s, (size_t)(colon - s),
			      "name", colon + 1)
		  : NULL;
	if (o == NULL)
		return cirt_cli_usage(c, "--reporter must be KIND:NAME");
	json_object_set_new(body, "reporter", o);
	return -1;
}

/* ---- add ---- */

struct add_args {
	const char *title, *cls, *severity, *tlp, *description, *impact;
	const char *reporter, *assignee, *reported_at;
	struct cirt_cli_args a;
};

/* The body of `incident add`: -1 with *out set, or a usage error. */
static int add_body(const struct cirt_cli *c, const struct add_args *x,
		    json_t **out)
{
	const struct field f[] = {
		{"title", "--title", x->title},
		{"class", "--class", x->cls},
		{"severity", "--severity", x->severity},
		{"tlp", "--tlp", x->tlp},
		{"description", "--description", x->description},
		{"impact", "--impact", x->impact},
		{"assignee", "--assignee", x->assignee},
		{"reported_at", "--reported-at", x->reported_at},
	};
	json_t *body;
	int rc;

	for (size_t i = 0; i < 4; i++)
		if (f[i].value == NULL)
			return cirt_cli_usage(c, "%s is required", f[i].flag);
	body = json_object();
	rc = put_fields(c, body, f, sizeof(f) / sizeof(f[0]));
	if (rc < 0)
		rc = put_reporter(c, body, x->reporter);
	if (rc < 0 && x->a.rep[0].n)
		rc = put_observables(c, body, &x->a.rep[0]);
	if (rc < 0 && x->a.rep[1].n)
		rc = put_constituents(c, body, &x->a.rep[1]);
	if (rc >= 0)
		json_decref(body);
	else
		*out = body;
	return rc;
}

static int add(struct cirt_cli *c, const struct add_args *x)
{
	json_t *body = NULL, *inc = NULL;
	struct session s;
	int rc = add_body(c, x, &body);

	if (rc >= 0)
		return rc;
	rc = session_open(c, &s, false);
	if (rc == CIRT_EXIT_OK &&
	    cirt_incident_create(s.db, &s.env, body, &inc, &s.d) < 0)
		rc = session_fail(&s);
	if (inc)
		printf("%s\n", json_string_value(json_object_get(inc, "id")));
	json_decref(inc);
	json_decref(body);
	session_close(&s);
	return rc;
}

int cirt_cmd_incident_add(int argc, char **argv)
{
	static const char *const repeatable[] = {"observable", "constituent"};
	struct add_args x = {0};
	const struct cirt_cli_opt opts[] = {
		{"title", &x.title, NULL, NULL, 0},
		{"class", &x.cls, NULL, NULL, 0},
		{"severity", &x.severity, NULL, NULL, 0},
		{"tlp", &x.tlp, NULL, NULL, 0},
		{"description", &x.description, NULL, NULL, 0},
		{"impact", &x.impact, NULL, NULL, 0},
		{"reporter", &x.reporter, NULL, NULL, 0},
		{"assignee", &x.assignee, NULL, NULL, 0},
		{"reported-at", &x.reported_at, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, add_usage);
	cirt_cli_args_take(&x.a, argc, argv, opts, repeatable, 2);
	rc = cirt_cli_start(&c, x.a.argc, x.a.argv, opts, 0, 0);
	if (rc < 0 && x.a.bad)
		rc = cirt_cli_usage(&c, "%s needs a value", x.a.bad);
	if (rc < 0)
		rc = add(&c, &x);
	cirt_cli_release(&c);
	cirt_cli_args_release(&x.a);
	return rc;
}

/* ---- list ---- */

/* At most max bytes of s (one line) in out, cut at a character boundary
 * and ended by "..." when cut. */
static const char *clip(const char *s, size_t max, char *out, size_t size)
{
	size_t n = strlen(s);

	if (n <= max) {
		snprintf(out, size, "%s", s);
		return out;
	}
	n = max - 3;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	snprintf(out, size, "%.*s...", (int)n, s);
	return out;
}

/* A string member of o, or "-" when it is null or absent. */
static const char *str_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "-";
}

static int list_one(int64_t cursor, json_t *item, void *arg)
{
	char title[TITLE_COLS + 1];

	json_incref(item);
	if (cirt_cli_list_item(arg, cursor, item))
		printf("%-18s %-12s %-9s %-17s %-32s %s\n", str_of(item, "id"),
		       str_of(item, "status"), str_of(item, "severity"),
		       str_of(item, "tlp"), str_of(item, "class"),
		       clip(str_of(item, "title"), TITLE_COLS, title,
			    sizeof(title)));
	json_decref(item);
	return 0;
}

struct list_args {
	const char *status, *cls, *severity, *constituent, *assignee;
	const char *from, *to, *search, *sla_due, *limit, *format;
};

/* Set the filters given. -1 to go on, or a usage error naming the flag. */
static int set_filters(struct cirt_cli *c, struct session *s,
		       const struct list_args *x,
		       struct cirt_incident_filter *f)
{
	const struct field ff[] = {
		{"status", "--status", x->status},
		{"class", "--class", x->cls},
		{"severity", "--severity", x->severity},
		{"constituent", "--constituent", x->constituent},
		{"assignee", "--assignee", x->assignee},
		{"from", "--from", x->from},
		{"to", "--to", x->to},
		{"q", "--search", x->search},
		{"sla", "--sla-due", x->sla_due ? "due" : NULL},
		{"within", "--sla-due", x->sla_due},
	};

	for (size_t i = 0; i < sizeof(ff) / sizeof(ff[0]); i++)
		if (ff[i].value &&
		    cirt_incident_filter_set(s->db, f, ff[i].key, ff[i].value,
					     &s->d) < 0)
			return cirt_cli_usage(c, "%s: %s", ff[i].flag,
					      s->d.message);
	return -1;
}

static int list(struct cirt_cli *c, const struct list_args *x)
{
	struct cirt_incident_filter f;
	struct cirt_cli_list out;
	struct session s;
	int64_t after;
	int rc;

	cirt_incident_filter_init(&f);
	f.limit = LIST_DEFAULT;
	if (x->limit && cirt_parse_i64(x->limit, 1, LIST_MAX, &f.limit) < 0)
		return cirt_cli_usage(c, "--limit must be 1 to %d", LIST_MAX);
	rc = cirt_cli_list_begin(c, &out, x->format,
				 "ID                 STATUS       SEVERITY  TLP"
				 "               CLASS"
				 "                            TITLE");
	if (rc >= 0)
		return rc;
	rc = session_open(c, &s, false);
	if (rc == CIRT_EXIT_OK)
		rc = set_filters(c, &s, x, &f);
	if (rc < 0) {
		cirt_cli_list_page(&out, &after);
		rc = cirt_incident_list(s.db, &s.env, &f, list_one, &out, &s.d);
		rc = cirt_cli_list_end(&out, rc, &s.d);
	}
	cirt_cli_list_release(&out);
	session_close(&s);
	return rc;
}

int cirt_cmd_incident_list(int argc, char **argv)
{
	struct list_args x = {.format = "table"};
	const struct cirt_cli_opt opts[] = {
		{"status", &x.status, NULL, NULL, 0},
		{"class", &x.cls, NULL, NULL, 0},
		{"severity", &x.severity, NULL, NULL, 0},
		{"constituent", &x.constituent, NULL, NULL, 0},
		{"assignee", &x.assignee, NULL, NULL, 0},
		{"from", &x.from, NULL, NULL, 0},
		{"to", &x.to, NULL, NULL, 0},
		{"search", &x.search, NULL, NULL, 0},
		{"sla-due", &x.sla_due, NULL, NULL, 0},
		{"limit", &x.limit, NULL, NULL, 0},
		{"format", &x.format, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, list_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 0, 0);
	if (rc < 0)
		rc = list(&c, &x);
	cirt_cli_release(&c);
	return rc;
}

/* ---- show ---- */

/* Entries of the timeline, gathered page by page. */
struct gather {
	json_t *all;
	int64_t last;  /* cursor of the last entry */
	int64_t count; /* entries in this page */
};

static int gather_one(int64_t cursor, json_t *item, void *arg)
{
	struct gather *g = arg;

	g->last = cursor;
	g->count++;
	json_array_append_new(g->all, item);
	return 0;
}

/* The whole timeline of ref into *out (oldest first). */
static int whole_timeline(struct session *s, const char *ref, json_t **out)
{
	struct gather g = {json_array(), 0, 0};
	int rc;

	do {
		g.count = 0;
		rc = cirt_incident_timeline(s->db, &s->env, ref, g.last,
					    CIRT_CLI_PAGE, gather_one, &g,
					    &s->d);
	} while (rc == 0 && g.count == CIRT_CLI_PAGE);
	if (rc < 0)
		json_decref(g.all);
	else
		*out = g.all;
	return rc;
}

/* Each line of text, indented. */
static void print_block(const char *text)
{
	const char *p = text;

	while (*p) {
		size_t n = strcspn(p, "\n");

		printf("    %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

/* Whether member key of o is a string that is not empty. */
static bool has_text(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s && *s;
}

static void print_line(const char *label, const char *value)
{
	printf("%-14s %s\n", label, value);
}

/* Each item of a list as "FIRST (SECOND, THIRD)", leaving out the parts
 * that are empty; nothing for an empty list. */
static void print_list(const char *label, json_t *items,
		       const char *const keys[3])
{
	const char *sep;
	json_t *it;
	size_t i;

	if (json_array_size(items) == 0)
		return;
	printf("%s:\n", label);
	json_array_foreach (items, i, it) {
		printf("    %s", str_of(it, keys[0]));
		sep = " (";
		for (size_t k = 1; k < 3 && keys[k]; k++) {
			if (!has_text(it, keys[k]))
				continue;
			printf("%s%s", sep, str_of(it, keys[k]));
			sep = ", ";
		}
		printf("%s\n", sep[0] == ',' ? ")" : "");
	}
}

static void print_header(json_t *inc)
{
	json_t *sla = json_object_get(inc, "sla");
	json_t *rep = json_object_get(inc, "reporter");

	printf("%s  %s\n", str_of(inc, "id"), str_of(inc, "title"));
	print_line("uuid:", str_of(inc, "uuid"));
	printf("%-14s %s (version %lld)\n", "status:", str_of(inc, "status"),
	       (long long)json_integer_value(json_object_get(inc, "version")));
	print_line("class:", str_of(inc, "class"));
	print_line("severity:", str_of(inc, "severity"));
	print_line("impact:", str_of(inc, "impact"));
	print_line("tlp:", str_of(inc, "tlp"));
	printf("%-14s %s: %s\n", "reporter:", str_of(rep, "kind"),
	       str_of(rep, "name"));
	print_line("assignee:", str_of(inc, "assignee"));
	if (json_object_get(inc, "source"))
		print_line("source:", str_of(inc, "source"));
	print_line("reported:", str_of(inc, "reported_at"));
	print_line("created:", str_of(inc, "created_at"));
	print_line("updated:", str_of(inc, "updated_at"));
	print_line("acknowledged:", str_of(inc, "acknowledged_at"));
	print_line("resolved:", str_of(inc, "resolved_at"));
	print_line("closed:", str_of(inc, "closed_at"));
	printf("%-14s acknowledge by %s%s, resolve by %s%s\n",
	       "sla:", str_of(sla, "acknowledge_by"),
	       json_is_true(json_object_get(sla, "acknowledge_breached"))
		       ? " (breached)"
		       : "",
	       str_of(sla, "resolve_by"),
	       json_is_true(json_object_get(sla, "resolve_breached"))
		       ? " (breached)"
		       : "");
}

static void print_tasks(json_t *tasks)
{
	json_t *t;
	size_t i;

	if (json_array_size(tasks) == 0)
		return;
	printf("tasks:\n");
	json_array_foreach (tasks, i, t) {
		printf("    [%c] %lld. %s (owner %s, due %s)\n",
		       json_is_true(json_object_get(t, "done")) ? 'x' : ' ',
		       (long long)json_integer_value(json_object_get(t, "id")),
		       str_of(t, "title"), str_of(t, "owner"),
		       str_of(t, "due"));
	}
}

static void print_timeline(json_t *timeline, json_t *evidence)
{
	json_t *e;
	size_t i;

	if (json_array_size(timeline))
		printf("timeline:\n");
	json_array_foreach (timeline, i, e) {
		printf("  %s %s by %s", str_of(e, "at"), str_of(e, "kind"),
		       str_of(e, "author"));
		if (has_text(e, "counterpart"))
			printf(" with %s", str_of(e, "counterpart"));
		printf(":\n");
		print_block(str_of(e, "body"));
	}
	if (json_array_size(evidence))
		printf("evidence:\n");
	json_array_foreach (evidence, i, e) {
		printf("    %s %lld %s (%s, by %s, %s)\n", str_of(e, "sha256"),
		       (long long)json_integer_value(
			       json_object_get(e, "size")),
		       str_of(e, "name"), str_of(e, "media_type"),
		       str_of(e, "added_by"), str_of(e, "created_at"));
	}
}

/* The readable view of an incident with its timeline and evidence. */
static void print_text(json_t *inc)
{
	static const char *const orgs[3] = {"org", "sector", "acknowledged_at"};
	static const char *const rel[3] = {"incident", "relation", NULL};
	static const char *const obs[3] = {"value", "type", "role"};

	print_header(inc);
	print_list("constituents", json_object_get(inc, "constituents"), orgs);
	print_list("related", json_object_get(inc, "related"), rel);
	print_list("referenced by", json_object_get(inc, "referenced_by"), rel);
	print_list("observables", json_object_get(inc, "observables"), obs);
	if (json_array_size(json_object_get(inc, "stix_refs"))) {
		json_t *id;
		size_t i;

		printf("stix:\n");
		json_array_foreach (json_object_get(inc, "stix_refs"), i, id)
			printf("    %s\n", json_string_value(id));
	}
	if (has_text(inc, "description")) {
		printf("description:\n");
		print_block(str_of(inc, "description"));
	}
	print_tasks(json_object_get(inc, "tasks"));
	print_timeline(json_object_get(inc, "timeline"),
		       json_object_get(inc, "evidence"));
}

static int show(struct cirt_cli *c, const char *ref, const char *format)
{
	json_t *inc = NULL, *timeline = NULL, *evidence = NULL;
	bool json = strcmp(format, "json") == 0;
	struct session s;
	int rc;

	if (!json && strcmp(format, "text") != 0)
		return cirt_cli_usage(c, "--format must be text or json");
	rc = session_open(c, &s, false);
	if (rc != CIRT_EXIT_OK)
		return rc;
	if (cirt_incident_get(s.db, &s.env, ref, &inc, &s.d) < 0 ||
	    whole_timeline(&s, ref, &timeline) < 0 ||
	    cirt_incident_evidence_list(s.db, &s.env, ref, &evidence, &s.d) <
		    0) {
		json_decref(inc);
		json_decref(timeline);
		return session_fail(&s);
	}
	json_object_set_new(inc, "timeline", timeline);
	json_object_set_new(inc, "evidence", evidence);
	session_close(&s);
	if (json) {
		cirt_cli_print_json(inc);
		return CIRT_EXIT_OK;
	}
	print_text(inc);
	json_decref(inc);
	return CIRT_EXIT_OK;
}

int cirt_cmd_incident_show(int argc, char **argv)
{
	const char *format = "text";
	const struct cirt_cli_opt opts[] = {
		{"format", &format, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, show_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 1, 1);
	if (rc < 0)
		rc = show(&c, c.args[0], format);
	cirt_cli_release(&c);
	return rc;
}

/* ---- set ---- */

struct set_args {
	const char *status, *title, *description, *cls, *severity, *impact;
	const char *tlp, *assignee, *duplicate_of, *if_version;
	struct cirt_cli_args a;
};

/* The body of `incident set`: -1 with *out set, or a usage error. */
static int set_body(const struct cirt_cli *c, const struct set_args *x,
		    json_t **out)
{
	bool none = x->assignee && strcmp(x->assignee, "none") == 0;
	const struct field f[] = {
		{"status", "--status", x->status},
		{"title", "--title", x->title},
		{"description", "--description", x->description},
		{"class", "--class", x->cls},
		{"severity", "--severity", x->severity},
		{"impact", "--impact", x->impact},
		{"tlp", "--tlp", x->tlp},
		{"duplicate_of", "--duplicate-of", x->duplicate_of},
		{"assignee", "--assignee", none ? NULL : x->assignee},
	};
	json_t *body = json_object();
	int rc = put_fields(c, body, f, sizeof(f) / sizeof(f[0]));

	if (none)
		json_object_set_new(body, "assignee", json_null());
	if (rc < 0 && x->a.rep[0].n)
		rc = put_constituents(c, body, &x->a.rep[0]);
	if (rc < 0 && json_object_size(body) == 0)
		rc = cirt_cli_usage(c, "nothing to change");
	if (rc >= 0)
		json_decref(body);
	else
		*out = body;
	return rc;
}

static int set(struct cirt_cli *c, const char *ref, const struct set_args *x)
{
	json_t *body = NULL, *inc = NULL;
	int64_t version = -1;
	struct session s;
	int rc;

	if (x->if_version &&
	    cirt_parse_i64(x->if_version, 1, INT64_MAX, &version) < 0)
		return cirt_cli_usage(c, "--if-version must be a positive "
					 "number");
	rc = set_body(c, x, &body);
	if (rc >= 0)
		return rc;
	rc = session_open(c, &s, false);
	if (rc == CIRT_EXIT_OK &&
	    cirt_incident_update(s.db, &s.env, ref, version, body, &inc, &s.d) <
		    0)
		rc = session_fail(&s);
	if (inc)
		printf("%lld\n", (long long)json_integer_value(
					 json_object_get(inc, "version")));
	json_decref(inc);
	json_decref(body);
	session_close(&s);
	return rc;
}

int cirt_cmd_incident_set(int argc, char **argv)
{
	static const char *const repeatable[] = {"constituent"};
	struct set_args x = {0};
	const struct cirt_cli_opt opts[] = {
		{"status", &x.status, NULL, NULL, 0},
		{"title", &x.title, NULL, NULL, 0},
		{"description", &x.description, NULL, NULL, 0},
		{"class", &x.cls, NULL, NULL, 0},
		{"severity", &x.severity, NULL, NULL, 0},
		{"impact", &x.impact, NULL, NULL, 0},
		{"tlp", &x.tlp, NULL, NULL, 0},
		{"assignee", &x.assignee, NULL, NULL, 0},
		{"duplicate-of", &x.duplicate_of, NULL, NULL, 0},
		{"if-version", &x.if_version, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, set_usage);
	cirt_cli_args_take(&x.a, argc, argv, opts, repeatable, 1);
	rc = cirt_cli_start(&c, x.a.argc, x.a.argv, opts, 1, 1);
	if (rc < 0 && x.a.bad)
		rc = cirt_cli_usage(&c, "%s needs a value", x.a.bad);
	if (rc < 0)
		rc = set(&c, c.args[0], &x);
	cirt_cli_release(&c);
	cirt_cli_args_release(&x.a);
	return rc;
}

/* ---- ack ---- */

static int ack(struct cirt_cli *c, const char *ref)
{
	json_t *inc = NULL;
	struct session s;
	int rc = session_open(c, &s, false);

	if (rc != CIRT_EXIT_OK)
		return rc;
	if (cirt_incident_ack(s.db, &s.env, ref, &inc, &s.d) < 0)
		return session_fail(&s);
	fprintf(stderr, "cirtkit: %s acknowledged at %s\n", str_of(inc, "id"),
		str_of(inc, "acknowledged_at"));
	json_decref(inc);
	session_close(&s);
	return CIRT_EXIT_OK;
}

int cirt_cmd_incident_ack(int argc, char **argv)
{
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, ack_usage);
	rc = cirt_cli_start(&c, argc, argv, NULL, 1, 1);
	if (rc < 0)
		rc = ack(&c, c.args[0]);
	cirt_cli_release(&c);
	return rc;
}

/* ---- note ---- */

static int note(struct cirt_cli *c, const char *kind, const char *who)
{
	const struct field f[] = {
		{"kind", "--kind", kind},
		{"body", "TEXT", c->args[1]},
		{"counterpart", "--counterpart", who},
	};
	json_t *body = json_object(), *entry = NULL;
	struct session s;
	int rc = put_fields(c, body, f, sizeof(f) / sizeof(f[0]));

	if (rc < 0)
		rc = session_open(c, &s, false);
	else
		memset(&s, 0, sizeof(s));
	if (rc == CIRT_EXIT_OK &&
	    cirt_incident_timeline_add(s.db, &s.env, c->args[0], body, &entry,
				       &s.d) < 0)
		rc = session_fail(&s);
	if (entry)
		fprintf(stderr, "cirtkit: %s %lld added to %s\n",
			str_of(entry, "kind"),
			(long long)json_integer_value(
				json_object_get(entry, "id")),
			c->args[0]);
	json_decref(entry);
	json_decref(body);
	session_close(&s);
	return rc;
}

int cirt_cmd_incident_note(int argc, char **argv)
{
	const char *kind = NULL, *who = NULL;
	const struct cirt_cli_opt opts[] = {
		{"kind", &kind, NULL, NULL, 0},
		{"counterpart", &who, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, note_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 2, 2);
	if (rc < 0)
		rc = note(&c, kind, who);
	cirt_cli_release(&c);
	return rc;
}

/* ---- task ---- */

struct task_args {
	const char *title, *owner, *due;
};

static int task_add(struct cirt_cli *c, const struct task_args *x)
{
	const struct field f[] = {
		{"title", "--title", x->title},
		{"owner", "--owner", x->owner},
		{"due", "--due", x->due},
	};
	json_t *body, *task = NULL;
	struct session s;
	int rc;

	if (c->nargs != 2)
		return cirt_cli_usage(c, "task add takes ID only");
	if (x->title == NULL)
		return cirt_cli_usage(c, "--title is required");
	body = json_object();
	rc = put_fields(c, body, f, sizeof(f) / sizeof(f[0]));
	if (rc < 0)
		rc = session_open(c, &s, false);
	else
		memset(&s, 0, sizeof(s));
	if (rc == CIRT_EXIT_OK &&
	    cirt_incident_task_add(s.db, &s.env, c->args[1], body, &task,
				   &s.d) < 0)
		rc = session_fail(&s);
	if (task)
		printf("%lld\n", (long long)json_integer_value(
					 json_object_get(task, "id")));
	json_decref(task);
	json_decref(body);
	session_close(&s);
	return rc;
}

static int task_done(struct cirt_cli *c, const struct task_args *x)
{
	json_t *body, *task = NULL;
	struct session s;
	int64_t id;
	int rc;

	if (c->nargs != 3)
		return cirt_cli_usage(c, "task done takes ID and TASK");
	if (x->title || x->owner || x->due)
		return cirt_cli_usage(c, "--title, --owner and --due go with "
					 "task add");
	if (cirt_parse_i64(c->args[2], 1, INT64_MAX, &id) < 0)
		return cirt_cli_usage(c, "TASK must be a task number");
	rc = session_open(c, &s, false);
	if (rc != CIRT_EXIT_OK)
		return rc;
	body = json_pack("{s:b}", "done", 1);
	if (cirt_incident_task_update(s.db, &s.env, c->args[1], id, body, &task,
				      &s.d) < 0)
		rc = session_fail(&s);
	else
		fprintf(stderr, "cirtkit: task %lld of %s done\n",
			(long long)id, c->args[1]);
	json_decref(task);
	json_decref(body);
	session_close(&s);
	return rc;
}

int cirt_cmd_incident_task(int argc, char **argv)
{
	struct task_args x = {0};
	const struct cirt_cli_opt opts[] = {
		{"title", &x.title, NULL, NULL, 0},
		{"owner", &x.owner, NULL, NULL, 0},
		{"due", &x.due, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, task_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 2, 3);
	if (rc < 0 && strcmp(c.args[0], "add") == 0)
		rc = task_add(&c, &x);
	else if (rc < 0 && strcmp(c.args[0], "done") == 0)
		rc = task_done(&c, &x);
	else if (rc < 0)
		rc = cirt_cli_usage(&c, "task takes add or done, not '%s'",
				    c.args[0]);
	cirt_cli_release(&c);
	return rc;
}

/* ---- attach ---- */

static int attach(struct cirt_cli *c, const char *name, const char *type)
{
	const char *file = c->args[1], *slash = strrchr(file, '/');
	json_t *out = NULL;
	struct session s;
	char *bytes = NULL;
	size_t len;
	int rc = session_open(c, &s, false);

	if (rc != CIRT_EXIT_OK)
		return rc;
	if (name == NULL)
		name = slash ? slash + 1 : file;
	if (cirt_cli_read_file(file, s.env.evidence_max, &bytes, &len, &s.d) <
		    0 ||
	    cirt_incident_evidence_add(s.db, &s.env, c->args[0], name, type,
				       bytes, len, &out, &s.d) < 0)
		rc = session_fail(&s);
	else
		printf("%s\n", str_of(out, "sha256"));
	free(bytes);
	json_decref(out);
	session_close(&s);
	return rc;
}

int cirt_cmd_incident_attach(int argc, char **argv)
{
	const char *name = NULL, *type = NULL;
	const struct cirt_cli_opt opts[] = {
		{"name", &name, NULL, NULL, 0},
		{"media-type", &type, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, attach_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 2, 2);
	if (rc < 0)
		rc = attach(&c, name, type);
	cirt_cli_release(&c);
	return rc;
}

/* ---- relate, link ---- */

static int relate(struct cirt_cli *c)
{
	struct session s;
	int rc = session_open(c, &s, false);

	if (rc != CIRT_EXIT_OK)
		return rc;
	if (cirt_incident_relate(s.db, &s.env, c->args[0], c->args[1],
				 c->args[2], false, &s.d) < 0)
		return session_fail(&s);
	fprintf(stderr, "cirtkit: %s %s %s\n", c->args[0], c->args[1],
		c->args[2]);
	session_close(&s);
	return CIRT_EXIT_OK;
}

int cirt_cmd_incident_relate(int argc, char **argv)
{
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, relate_usage);
	rc = cirt_cli_start(&c, argc, argv, NULL, 3, 3);
	if (rc < 0)
		rc = relate(&c);
	cirt_cli_release(&c);
	return rc;
}

static int link_stix(struct cirt_cli *c)
{
	struct session s;
	int rc = session_open(c, &s, false);

	if (rc != CIRT_EXIT_OK)
		return rc;
	if (cirt_incident_link(s.db, &s.env, c->args[0], c->args[1], false,
			       &s.d) < 0)
		return session_fail(&s);
	fprintf(stderr, "cirtkit: %s linked to %s\n", c->args[0], c->args[1]);
	session_close(&s);
	return CIRT_EXIT_OK;
}

int cirt_cmd_incident_link(int argc, char **argv)
{
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, link_usage);
	rc = cirt_cli_start(&c, argc, argv, NULL, 2, 2);
	if (rc < 0)
		rc = link_stix(&c);
	cirt_cli_release(&c);
	return rc;
}

/* ---- export ---- */

/* Write bytes (and a final newline if they lack one) to path, or stdout
 * when path is NULL. A failed write leaves what was written (path may be
 * a device: it is not removed). */
static int write_out(const char *path, const char *bytes, size_t len,
		     struct cirt_diag *d)
{
	FILE *f = path ? fopen(path, "wb") : stdout;
	bool nl = len == 0 || bytes[len - 1] != '\n';
	bool bad;

	if (f == NULL)
		return cirt_diag_set(d, -CIRT_EIO, "output",
				     "cannot write %s: %s", path,
				     strerror(errno));
	bad = fwrite(bytes, 1, len, f) != len || (nl && fputc('\n', f) == EOF);
	bad |= path ? fclose(f) != 0 : fflush(f) != 0;
	if (!bad)
		return 0;
	return cirt_diag_set(d, -CIRT_EIO, "output", "cannot write %s: %s",
			     path ? path : "standard output", strerror(errno));
}

static int export(struct cirt_cli *c, const char *format, const char *path)
{
	struct cirt_buf out;
	struct session s;
	int rc;

	if (format == NULL ||
	    (strcmp(format, "iodef") != 0 && strcmp(format, "stix") != 0))
		return cirt_cli_usage(c, "--format must be iodef or stix");
	rc = session_open(c, &s, false);
	if (rc != CIRT_EXIT_OK)
		return rc;
	cirt_buf_init(&out, EXPORT_MAX);
	if (strcmp(format, "iodef") == 0)
		rc = cirt_incident_export_iodef(s.db, &s.env, c->args[0], &out,
						&s.d);
	else
		rc = cirt_incident_export_stix(s.db, &s.env, c->args[0], &out,
					       &s.d);
	if (rc == 0)
		rc = write_out(path, cirt_buf_str(&out), out.len, &s.d);
	cirt_buf_release(&out);
	if (rc < 0)
		return session_fail(&s);
	session_close(&s);
	return CIRT_EXIT_OK;
}

int cirt_cmd_incident_export(int argc, char **argv)
{
	const char *format = NULL, *path = NULL;
	const struct cirt_cli_opt opts[] = {
		{"format", &format, NULL, NULL, 0},
		{"output", &path, NULL, NULL, 'o'},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, export_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 1, 1);
	if (rc < 0)
		rc = export(&c, format, path);
	cirt_cli_release(&c);
	return rc;
}

/* ---- import ---- */

/* Every error of a refused document as FILE:LINE: message (FILE: message
 * when it has no line), or the one reason: CIRT_EXIT_FAIL. */
static int import_errors(const char *file, json_t *errors,
			 const struct cirt_diag *d)
{
	json_int_t line;
	json_t *e;
	size_t i;

	if (json_array_size(errors) == 0)
		return cirt_cli_fail(d);
	json_array_foreach (errors, i, e) {
		line = json_integer_value(json_object_get(e, "line"));
		if (line > 0)
			fprintf(stderr, "%s:%lld: %s\n", file, (long long)line,
				str_of(e, "message"));
		else
			fprintf(stderr, "%s: %s\n", file, str_of(e, "message"));
	}
	return CIRT_EXIT_FAIL;
}

static void import_report(const char *file, json_t *created, json_t *existing)
{
	json_t *id;
	size_t i;

	json_array_foreach (created, i, id)
		printf("%s\n", json_string_value(id));
	fprintf(stderr, "cirtkit: %s: %zu created, %zu imported before%s", file,
		json_array_size(created), json_array_size(existing),
		json_array_size(existing) ? ":" : "\n");
	json_array_foreach (existing, i, id)
		fprintf(stderr, " %s%s", json_string_value(id),
			i + 1 == json_array_size(existing) ? "\n" : "");
}

static int import(struct cirt_cli *c, const char *file)
{
	json_t *errors, *created = NULL, *existing = NULL;
	struct session s;
	char *xml = NULL;
	size_t len;
	int rc;

	cirt_diag_init(&s.d);
	if (cirt_cli_read_file(file, CIRT_IODEF_MAX_BYTES, &xml, &len, &s.d) <
	    0)
		return cirt_cli_fail(&s.d);
	rc = session_open(c, &s, true);
	if (rc != CIRT_EXIT_OK) {
		free(xml);
		return rc;
	}
	errors = json_array();
	if (cirt_incident_import(s.db, &s.env, xml, len, errors, &created,
				 &existing, &s.d) < 0)
		rc = import_errors(file, errors, &s.d);
	else
		import_report(file, created, existing);
	json_decref(errors);
	json_decref(created);
	json_decref(existing);
	free(xml);
	session_close(&s);
	return rc;
}

int cirt_cmd_incident_import(int argc, char **argv)
{
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, import_usage);
	rc = cirt_cli_start(&c, argc, argv, NULL, 1, 1);
	if (rc < 0)
		rc = import(&c, c.args[0]);
	cirt_cli_release(&c);
	return rc;
}

/* ---- share ---- */

static int share(struct cirt_cli *c, const char *collection)
{
	json_t *out = NULL;
	struct session s;
	int rc;

	if (collection == NULL)
		return cirt_cli_usage(c, "--collection is required");
	rc = session_open(c, &s, false);
	if (rc != CIRT_EXIT_OK)
		return rc;
	if (cirt_incident_share(s.db, &s.env, c->args[0], collection, &out,
				&s.d) < 0)
		return session_fail(&s);
	printf("%s: %lld objects shared to collection %s, %lld new\n",
	       c->args[0],
	       (long long)json_integer_value(json_object_get(out, "objects")),
	       str_of(out, "collection"),
	       (long long)json_integer_value(json_object_get(out, "stored")));
	json_decref(out);
	session_close(&s);
	return CIRT_EXIT_OK;
}

int cirt_cmd_incident_share(int argc, char **argv)
{
	const char *collection = NULL;
	const struct cirt_cli_opt opts[] = {
		{"collection", &collection, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, share_usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 1, 1);
	if (rc < 0)
		rc = share(&c, collection);
	cirt_cli_release(&c);
	return rc;
}
