/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * `cirtkit constituent add|import|list|show`: the constituency registry
 * (feed/constituent.h), the same calls as /api/v1/constituents. add
 * builds the JSON body the API takes, so both validate alike.
 *
 * Layer: cli.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "feed/constituent.h"

#include "core/banned.h"

static const char add_usage[] =
	"usage: cirtkit constituent add NAME [--sector S] [--country CC]\n"
	"         [--asn N]... [--cidr C]... [--domain D]... [--email E]...\n"
	"         [--lang L] [--role R] [--frequency F] [--attachment F] "
	"[--tlp L]\n"
	"\n"
	"Add a constituent with what it owns (AS numbers, IPv4 and IPv6\n"
	"ranges, domain names: how feed events find their owner) and its\n"
	"contacts. A network another constituent owns is refused.\n"
	"\n"
	"  --sector S      its sector (cirtkit org add --help lists them)\n"
	"  --country CC    ISO 3166-1 alpha-2 code, such as FR\n"
	"  --asn N         an AS number it owns (N or ASN); repeatable\n"
	"  --cidr C        an address range it owns (192.0.2.0/24, "
	"2001:db8::/32)\n"
	"  --domain D      a domain it owns, with its subdomains\n"
	"  --email E       a contact's e-mail address; repeatable\n"
	"  The contacts' preferences (the same for each --email):\n"
	"  --lang L        language of the messages (en, fr, es, ru, ar, zh; "
	"en)\n"
	"  --role R        abuse, security, technical, management (abuse)\n"
	"  --frequency F   immediate, daily, weekly, never (daily)\n"
	"  --attachment F  format of the digest: csv, xarf, iodef (csv)\n"
	"  --tlp L         highest TLP the contact may receive "
	"(amber)\n" CIRT_CLI_STORE_HELP;

static const char import_usage[] =
	"usage: cirtkit constituent import FILE.csv\n"
	"\n"
	"Add constituents, networks and contacts from a CSV file with a\n"
	"header row. Columns: name (required), sector, country, asns, cidrs,\n"
	"domains (several values separated by spaces or ';'), email, lang,\n"
	"role, frequency, format, tlp. A row for a name that exists adds to\n"
	"it; importing the same file twice changes nothing. The whole file\n"
	"is one transaction: an error names the line and nothing is "
	"kept.\n" CIRT_CLI_STORE_HELP;

static const char list_usage[] =
	"usage: cirtkit constituent list [--format table|json]\n"
	"\n"
	"List the constituents with their sector, country, and how many\n"
	"networks and contacts each has.\n" CIRT_CLI_STORE_HELP;

static const char show_usage[] =
	"usage: cirtkit constituent show NAME\n"
	"\n"
	"Print a constituent with its networks and contacts as "
	"JSON.\n" CIRT_CLI_STORE_HELP;

/* body[key] = the values of a repeatable option, if any. */
static void put_list(json_t *body, const char *key,
		     const struct cirt_cli_repeated *r)
{
	json_t *a;

	if (r->n == 0)
		return;
	a = json_array();
	for (size_t i = 0; i < r->n; i++)
		json_array_append_new(a, json_string(r->v[i]));
	json_object_set_new(body, key, a);
}

int cirt_cmd_constituent_add(int argc, char **argv)
{
	static const char *const repeatable[] = {"asn", "cidr", "domain",
						 "email"};
	const char *sector = NULL, *country = NULL, *lang = NULL, *role = NULL;
	const char *freq = NULL, *format = NULL, *tlp = NULL;
	const struct cirt_cli_opt opts[] = {
		{"sector", &sector, NULL, NULL, 0},
		{"country", &country, NULL, NULL, 0},
		{"lang", &lang, NULL, NULL, 0},
		{"role", &role, NULL, NULL, 0},
		{"frequency", &freq, NULL, NULL, 0},
		{"attachment", &format, NULL, NULL, 0},
		{"tlp", &tlp, NULL, NULL, 0},
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
	cirt_cli_args_take(&a, argc, argv, opts, repeatable, 4);
	rc = cirt_cli_start(&c, a.argc, a.argv, opts, 1, 1);
	if (rc >= 0) { /* --help, or a usage error */
		cirt_cli_args_release(&a);
		cirt_cli_release(&c);
		return rc;
	}
	if (rc < 0 && a.bad)
		rc = cirt_cli_usage(&c, "missing value: %s", a.bad);
	if (rc < 0) {
		body = json_pack("{s:s}", "name", c.args[0]);
		if (!body)
			rc = cirt_cli_usage(&c, "NAME must be UTF-8 text");
	}
	if (rc < 0) {
		json_t *contacts = json_array();

		if (sector)
			json_object_set_new(body, "sector",
					    json_string(sector));
		if (country)
			json_object_set_new(body, "country",
					    json_string(country));
		put_list(body, "asns", &a.rep[0]);
		put_list(body, "cidrs", &a.rep[1]);
		put_list(body, "domains", &a.rep[2]);
		for (size_t i = 0; i < a.rep[3].n; i++) {
			json_t *ct = json_pack("{s:s}", "email", a.rep[3].v[i]);

			if (lang)
				json_object_set_new(ct, "lang",
						    json_string(lang));
			if (role)
				json_object_set_new(ct, "role",
						    json_string(role));
			if (freq)
				json_object_set_new(ct, "frequency",
						    json_string(freq));
			if (format)
				json_object_set_new(ct, "format",
						    json_string(format));
			if (tlp)
				json_object_set_new(ct, "tlp",
						    json_string(tlp));
			json_array_append_new(contacts, ct);
		}
		json_object_set_new(body, "contacts", contacts);
		rc = cirt_cli_open(&c, false, &db);
	}
	if (rc == CIRT_EXIT_OK && body) {
		if (cirt_constituent_add(db, &c.actor, body, &out, &d) < 0) {
			rc = cirt_cli_fail(&d);
		} else {
			printf("%s\n",
			       json_string_value(json_object_get(out, "name")));
		}
	}
	json_decref(out);
	json_decref(body);
	cirt_db_close(db);
	cirt_cli_args_release(&a);
	cirt_cli_release(&c);
	return rc;
}

int cirt_cmd_constituent_import(int argc, char **argv)
{
	struct cirt_constituent_import r;
	struct cirt_db *db = NULL;
	struct cirt_diag d;
	struct cirt_cli c;
	int fd = -1, rc;

	cirt_diag_init(&d);
	cirt_cli_init(&c, import_usage);
	rc = cirt_cli_start(&c, argc, argv, NULL, 1, 1);
	if (rc >= 0) { /* --help, or a usage error */
		cirt_cli_release(&c);
		return rc;
	}
	if (rc < 0) {
		fd = open(c.args[0], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			cirt_diag_set(&d, -CIRT_EIO, "file", "cannot open %s",
				      c.args[0]);
			rc = cirt_cli_fail(&d);
		} else {
			rc = cirt_cli_open(&c, false, &db);
		}
	}
	if (rc == CIRT_EXIT_OK) {
		if (cirt_constituent_import_csv(db, &c.actor, fd, &r, &d) < 0)
			rc = cirt_cli_fail(&d);
		else
			printf("%lld rows: %lld constituents created, %lld "
			       "networks and %lld contacts added\n",
			       (long long)r.rows, (long long)r.created,
			       (long long)r.networks, (long long)r.contacts);
	}
	if (fd >= 0)
		close(fd);
	cirt_db_close(db);
	cirt_cli_release(&c);
	return rc;
}

static int fetch_constituents(struct cirt_db *db, void *arg, json_t **out,
			      struct cirt_diag *d)
{
	(void)arg;
	return cirt_constituent_list(db, out, d);
}

static void constituent_row(const json_t *e)
{
	printf("%-32s %-7s %-8lld %-8lld %s\n",
	       json_string_value(json_object_get(e, "name")),
	       json_string_value(json_object_get(e, "country")),
	       (long long)json_integer_value(json_object_get(e, "networks")),
	       (long long)json_integer_value(json_object_get(e, "contacts")),
	       json_string_value(json_object_get(e, "sector")));
}

int cirt_cmd_constituent_list(int argc, char **argv)
{
	static const struct cirt_cli_items it = {
		NULL, fetch_constituents, NULL,
		"NAME                             COUNTRY NETWORKS CONTACTS "
		"SECTOR",
		constituent_row};

	return cirt_cli_items_command(argc, argv, list_usage, &it);
}

int cirt_cmd_constituent_show(int argc, char **argv)
{
	struct cirt_db *db = NULL;
	struct cirt_diag d;
	struct cirt_cli c;
	json_t *out = NULL;
	int rc;

	cirt_diag_init(&d);
	cirt_cli_init(&c, show_usage);
	rc = cirt_cli_start(&c, argc, argv, NULL, 1, 1);
	if (rc >= 0) { /* --help, or a usage error */
		cirt_cli_release(&c);
		return rc;
	}
	if (rc < 0)
		rc = cirt_cli_open(&c, false, &db);
	if (rc == CIRT_EXIT_OK) {
		if (cirt_constituent_get(db, c.args[0], &out, &d) < 0)
			rc = cirt_cli_fail(&d);
		else
			cirt_cli_print_json(out);
	}
	cirt_db_close(db);
	cirt_cli_release(&c);
	return rc;
}
