/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * `cirtkit check` (the store's own consistency check, its schema version
 * and the audit chain; exit 0 only if all pass) and `cirtkit version`.
 *
 * Layer: cli.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <libpq-fe.h>
#include <microhttpd.h>
#include <openssl/crypto.h>
#include <sqlite3.h>

#include "cli/cli.h"
#include "store/migrate.h"
#include "store/store_stats.h"
#include "version.h"
#include "core/banned.h"

static const char check_usage[] =
	"usage: cirtkit check\n"
	"\n"
	"Check the store: the database's own consistency check, the schema\n"
	"version, and the audit log's hash chain. Exits 0 if all "
	"pass.\n" CIRT_CLI_STORE_HELP;

static const char version_usage[] =
	"usage: cirtkit version\n"
	"\n"
	"Print the version of cirtkit and of the libraries it runs on.\n";

static int check(struct cirt_cli *c)
{
	struct cirt_db *db = NULL;
	struct cirt_store_stats st;
	struct cirt_diag d;
	int rc;

	cirt_diag_init(&d);
	rc = cirt_cli_open(c, false, &db);
	if (rc != CIRT_EXIT_OK)
		return rc;
	rc = cirt_store_integrity(db, &d);
	if (rc == 0) {
		printf("store:   consistent\n");
		rc = cirt_store_stats(db, &st, &d);
	}
	if (rc == 0) {
		printf("schema:  version %d\n", st.schema_version);
		printf("rows:    %lld organisations, %lld users, %lld active "
		       "tokens, %lld sessions\n",
		       (long long)st.orgs, (long long)st.users,
		       (long long)st.tokens_active, (long long)st.sessions);
		rc = cirt_cli_audit_report(db, &d);
	}
	cirt_db_close(db);
	if (rc < 0)
		return cirt_cli_fail(&d);
	return rc ? CIRT_EXIT_FAIL : CIRT_EXIT_OK;
}

int cirt_cmd_check(int argc, char **argv)
{
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, check_usage);
	rc = cirt_cli_start(&c, argc, argv, NULL, 0, 0);
	if (rc < 0)
		rc = check(&c);
	cirt_cli_release(&c);
	return rc;
}

/* Reads no configuration, so that it works whatever state the machine
 * is in. */
int cirt_cmd_version(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		fputs(version_usage, stdout);
		return CIRT_EXIT_OK;
	}
	if (argc > 1) {
		fprintf(stderr, "cirtkit: unexpected argument '%s'\n%s",
			argv[1], version_usage);
		return CIRT_EXIT_USAGE;
	}
	printf("cirtkit %s (schema %d)\n", CIRT_VERSION, cirt_schema_latest());
	printf("sqlite %s, libpq %d, libmicrohttpd %s, jansson %s, %s\n",
	       sqlite3_libversion(), PQlibVersion(), MHD_get_version(),
	       jansson_version_str(), OpenSSL_version(OPENSSL_VERSION));
	return CIRT_EXIT_OK;
}
