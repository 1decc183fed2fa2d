/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * `cirtkit migrate-medallion FILE`: take over the data of the OASIS
 * reference TAXII server (medallion's JSON "memory backend" file, such as
 * ../shared/data/taxii/medallion-default_data.json): API roots with their
 * title and description, collections with their ids, every version of
 * every object with the date it was added, and status resources with their
 * ids, so that clients of the old server find the same things at the same
 * places under /taxii2/. Objects pass the same checks as any other way in;
 * what is refused is listed. Running it again adds nothing twice.
 *
 * Layer: cli.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/json.h"
#include "core/mem.h"
#include "core/time.h"
#include "core/tlp.h"
#include "share/share_object.h"
#include "share/share_status.h"
#include "core/banned.h"

#define FILE_MAX (256u << 20)

static const char usage[] =
	"usage: cirtkit migrate-medallion FILE [--org ORG] [--tlp-max LEVEL]\n"
	"\n"
	"Import a data file of the OASIS reference TAXII server (medallion):\n"
	"its API roots, collections, every version of every object with the\n"
	"date it was added, and its status resources. Collections keep their\n"
	"ids; --org grants that organisation what medallion's can_read and\n"
	"can_write said. --tlp-max is the ceiling of the new collections\n"
	"(default amber+strict).\n" CIRT_CLI_STORE_HELP;

struct migrate {
	struct cirt_cli *cli;
	struct cirt_db *db;
	const char *org;
	enum cirt_tlp tlp_max;
	int64_t stored, present, refused;
	struct cirt_diag *d;
};

static const char *str(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v ? v : "";
}

/* The date medallion's manifest gives for (id, version), or 0. */
static int64_t date_added(json_t *manifest, const char *id, const char *version)
{
	struct cirt_timestamp t;
	json_t *m;
	size_t i;

	json_array_foreach (manifest, i, m) {
		const char *added = str(m, "date_added");

		if (strcmp(str(m, "id"), id) == 0 &&
		    strcmp(str(m, "version"), version) == 0 &&
		    cirt_time_parse(added, strlen(added), &t, NULL) == 0)
			return t.us;
	}
	return 0;
}

static int put_object(struct migrate *mg, struct cirt_collection *c,
		      json_t *obj, json_t *manifest, size_t index)
{
	const char *version = *str(obj, "modified") ? str(obj, "modified")
						    : str(obj, "created");
	int64_t added = date_added(manifest, str(obj, "id"), version);
	struct cirt_share_result r;
	size_t len;
	char *bytes = cirt_json_dump(obj, &len);
	int rc;

	rc = cirt_share_put(mg->db, c, bytes, len, obj,
			    added ? added : cirt_time_now_us(), &r, mg->d);
	free(bytes);
	if (rc < 0)
		return rc;
	if (r.outcome == CIRT_SHARE_STORED)
		mg->stored++;
	else if (r.outcome == CIRT_SHARE_DUPLICATE)
		mg->present++;
	else {
		mg->refused++;
		printf("%s: object %zu (%s): %s\n", c->uuid, index,
		       r.id[0] ? r.id : "no id", r.message);
	}
	return 0;
}

/* The collection, made as medallion had it unless it exists already. */
static int collection(struct migrate *mg, const char *root, json_t *mc,
		      struct cirt_collection *c)
{
	struct cirt_grant g = {mg->org,
			       json_is_true(json_object_get(mc, "can_read")),
			       json_is_true(json_object_get(mc, "can_write"))};
	struct cirt_collection_new n = {0};
	const char *alias = str(mc, "alias");

	if (cirt_collection_get(mg->db, 0, str(mc, "id"), c, NULL) == 0)
		return 0;
	n.root = root;
	n.uuid = str(mc, "id");
	n.title = str(mc, "title");
	n.description = str(mc, "description");
	n.alias = *alias ? alias : NULL;
	n.tlp_max = mg->tlp_max;
	n.grants = &g;
	n.ngrants = mg->org && (g.can_read || g.can_write) ? 1 : 0;
	return cirt_collection_add(mg->db, &mg->cli->actor, &n, c, mg->d);
}

static int migrate_collection(struct migrate *mg, const char *root, json_t *mc)
{
	json_t *objects = json_object_get(mc, "objects");
	json_t *manifest = json_object_get(mc, "manifest");
	struct cirt_collection c;
	char object[CIRT_UUID_LEN + 16];
	int64_t before = mg->stored;
	json_t *o, *detail;
	size_t i;
	int rc;

	rc = collection(mg, root, mc, &c);
	if (rc == 0)
		rc = cirt_db_begin(mg->db, mg->d);
	if (rc < 0)
		return rc;
	json_array_foreach (objects, i, o) {
		if (rc == 0 && json_is_object(o))
			rc = put_object(mg, &c, o, manifest, i);
	}
	if (rc == 0) {
		snprintf(object, sizeof(object), "collection:%s", c.uuid);
		detail = json_pack("{s:s, s:I}", "from", "medallion", "objects",
				   (json_int_t)(mg->stored - before));
		rc = cirt_audit_append(mg->db, &mg->cli->actor,
				       "objects.import", object, detail, mg->d);
		json_decref(detail);
	}
	rc = cirt_db_end(mg->db, rc, mg->d);
	if (rc == 0)
		printf("/taxii2/%s/collections/%s/: %lld objects stored\n",
		       root, c.uuid, (long long)(mg->stored - before));
	return rc;
}

/* Medallion's status lists, as items for cirt_status_save. */
static json_t *status_items(json_t *ms)
{
	static const char *const lists[] = {"successes", "failures",
					    "pendings"};
	static const char *const kinds[] = {"success", "failure", "pending"};
	json_t *items = json_array(), *it;
	size_t i;

	for (int k = 0; k < 3; k++)
		json_array_foreach (json_object_get(ms, lists[k]), i, it)
			json_array_append_new(
				items,
				json_pack("{s:s, s:s, s:s, s:s}", "kind",
					  kinds[k], "id", str(it, "id"),
					  "version", str(it, "version"),
					  "message", str(it, "message")));
	return items;
}

static int64_t count(json_t *ms, const char *k, const char *alt)
{
	json_t *v = json_object_get(ms, k);

	if (v == NULL && alt)
		v = json_object_get(ms, alt); /* medallion writes both */
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

static int migrate_status(struct migrate *mg, int64_t root_id, json_t *ms)
{
	const char *ts = str(ms, "request_timestamp");
	struct cirt_status st = {0};
	struct cirt_timestamp t;
	json_t *items;
	int rc;

	if (!cirt_uuid_valid(str(ms, "id")))
		return 0;
	snprintf(st.id, sizeof(st.id), "%s", str(ms, "id"));
	st.root_id = root_id;
	st.pending = strcmp(str(ms, "status"), "pending") == 0;
	st.request_ts = cirt_time_parse(ts, strlen(ts), &t, NULL) == 0
				? t.us
				: cirt_time_now_us();
	st.total = count(ms, "total_count", "total_objects");
	st.successes = count(ms, "success_count", NULL);
	st.failures = count(ms, "failure_count", NULL);
	st.pendings = count(ms, "pending_count", NULL);
	items = status_items(ms);
	rc = cirt_db_begin(mg->db, mg->d);
	if (rc == 0) {
		rc = cirt_status_save(mg->db, &st, items, mg->d);
		/* Already migrated: keep the one there. */
		if (rc == -CIRT_ECONFLICT) {
			cirt_diag_init(mg->d);
			cirt_db_rollback(mg->db);
			json_decref(items);
			return 0;
		}
		rc = cirt_db_end(mg->db, rc, mg->d);
	}
	json_decref(items);
	return rc;
}

static int migrate_root(struct migrate *mg, const char *name, json_t *root)
{
	json_t *info = json_object_get(root, "information"), *x;
	struct cirt_api_root r;
	size_t i;
	int rc;

	rc = cirt_root_ensure(mg->db, &mg->cli->actor, name,
			      *str(info, "title") ? str(info, "title") : name,
			      str(info, "description"), &r, NULL, mg->d);
	json_array_foreach (json_object_get(root, "collections"), i, x) {
		if (rc == 0)
			rc = migrate_collection(mg, name, x);
	}
	json_array_foreach (json_object_get(root, "status"), i, x) {
		if (rc == 0)
			rc = migrate_status(mg, r.id, x);
	}
	return rc;
}

static int migrate(struct cirt_cli *c, const char *org, const char *tlp)
{
	struct migrate mg = {c, NULL, org, CIRT_TLP_AMBER_STRICT,
			     0, 0,    0,   NULL};
	struct cirt_diag d;
	json_t *data = NULL, *root;
	struct cirt_org grantee;
	const char *name;
	char *text = NULL;
	size_t len;
	int rc;

	cirt_diag_init(&d);
	mg.d = &d;
	if (tlp && (cirt_tlp_parse(tlp, &mg.tlp_max) < 0 ||
		    mg.tlp_max == CIRT_TLP_RED))
		return cirt_cli_usage(c, "--tlp-max must be clear, green, "
					 "amber or amber+strict");
	rc = cirt_cli_read_file(c->args[0], FILE_MAX, &text, &len, &d);
	if (rc == 0)
		rc = cirt_json_parse(text, len, 64, &data, &d);
	free(text);
	if (rc == 0 && !json_is_object(data))
		rc = cirt_diag_set(&d, -CIRT_EINVAL, NULL,
				   "%s is not a medallion data file",
				   c->args[0]);
	if (rc == 0 && cirt_cli_open(c, false, &mg.db) != CIRT_EXIT_OK) {
		json_decref(data);
		return CIRT_EXIT_FAIL;
	}
	/* Before anything is made: a bad --org leaves nothing behind. */
	if (rc == 0 && org)
		rc = cirt_grantee_get(mg.db, org, &grantee, &d);
	json_object_foreach (data, name, root) {
		/* "/discovery" is made from the roots, not stored. */
		if (rc == 0 && name[0] != '/' && json_is_object(root))
			rc = migrate_root(&mg, name, root);
	}
	cirt_db_close(mg.db);
	json_decref(data);
	if (rc < 0)
		return cirt_cli_fail(&d);
	fprintf(stderr,
		"cirtkit: %lld objects stored, %lld already there, %lld "
		"refused\n",
		(long long)mg.stored, (long long)mg.present,
		(long long)mg.refused);
	return mg.refused ? CIRT_EXIT_FAIL : CIRT_EXIT_OK;
}

int cirt_cmd_migrate_medallion(int argc, char **argv)
{
	const char *org = NULL, *tlp = NULL;
	const struct cirt_cli_opt opts[] = {
		{"org", &org, NULL, NULL, 0},
		{"tlp-max", &tlp, NULL, NULL, 0},
		{NULL, NULL, NULL, NULL, 0},
	};
	struct cirt_cli c;
	int rc;

	cirt_cli_init(&c, usage);
	rc = cirt_cli_start(&c, argc, argv, opts, 1, 1);
	if (rc < 0)
		rc = migrate(&c, org, tlp);
	cirt_cli_release(&c);
	return rc;
}
