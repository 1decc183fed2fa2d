/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Users (account/user.c) on SQLite and PostgreSQL: creation rules (name,
 * password policy, role fits organisation), login, and changes that apply
 * whole or not at all.
 */
#include "testlib.h"

#include <string.h>

#include "account/session.h"
#include "account/user.h"

static const struct cirt_sql q_audit = {"SELECT count(*) FROM audit", NULL};
static const struct cirt_sql q_users = {"SELECT count(*) FROM users", NULL};
static const struct cirt_sql q_sessions = {"SELECT count(*) FROM sessions",
					   NULL};

#define PW "a good long password"

static struct cirt_db *setup_orgs(void **state)
{
	struct cirt_db *db = ((struct test_store *)*state)->db;
	struct cirt_diag d;

	cirt_diag_init(&d);
	assert_int_equal(cirt_org_add(db, &test_actor, "CIRT", 4, CIRT_ORG_TEAM,
				      NULL, &d),
			 0);
	assert_int_equal(cirt_org_add(db, &test_actor, "Bank", 4,
				      CIRT_ORG_CONSTITUENT, NULL, &d),
			 0);
	assert_int_equal(cirt_org_add(db, &test_actor, "CERT-YY", 7,
				      CIRT_ORG_PARTNER, NULL, &d),
			 0);
	return db;
}

static int add(struct cirt_db *db, const char *name, const char *org,
	       enum cirt_role role, const char *pw, struct cirt_diag *d)
{
	struct cirt_user_new u = {name, strlen(name), org,
				  role, pw,	      strlen(pw)};

	cirt_diag_init(d);
	return cirt_user_add(db, &test_actor, &u, NULL, d);
}

static void test_user_add_and_get(void **state)
{
	struct cirt_db *db = setup_orgs(state);
	struct cirt_user_new nu = {"alice",	      5,  "CIRT",
				   CIRT_ROLE_ANALYST, PW, strlen(PW)};
	struct cirt_user u, got;
	struct cirt_diag d;

	cirt_diag_init(&d);
	assert_int_equal(cirt_user_add(db, &test_actor, &nu, &u, &d), 0);
	assert_string_equal(u.name, "alice");
	assert_string_equal(u.org, "CIRT");
	assert_int_equal(u.role, CIRT_ROLE_ANALYST);
	assert_false(u.disabled);
	assert_int_equal(cirt_user_get(db, "alice", &got, &d), 0);
	assert_int_equal(got.id, u.id);
	assert_int_equal(test_count(db, &q_audit), 4);
	assert_int_equal(cirt_user_get(db, "bob", &got, &d), -CIRT_ENOTFOUND);
}

static void test_user_add_rules(void **state)
{
	static const struct {
		const char *name, *org;
		enum cirt_role role;
		const char *pw;
		int want;
		const char *field;
	} rows[] = {
		{"ok.user@x-1", "CIRT", CIRT_ROLE_ADMIN, PW, 0, ""},
		{"Alice", "CIRT", CIRT_ROLE_ANALYST, PW, -CIRT_EINVAL, "name"},
		{".dot", "CIRT", CIRT_ROLE_ANALYST, PW, -CIRT_EINVAL, "name"},
		{"a b", "CIRT", CIRT_ROLE_ANALYST, PW, -CIRT_EINVAL, "name"},
		{"x'; DROP TABLE users;--", "CIRT", CIRT_ROLE_ANALYST, PW,
		 -CIRT_EINVAL, "name"},
		{"caf\xc3\xa9", "CIRT", CIRT_ROLE_ANALYST, PW, -CIRT_EINVAL,
		 "name"},
		{"short", "CIRT", CIRT_ROLE_ANALYST, "elevenchars",
		 -CIRT_EINVAL, "password"},
		{"nobody", "Nowhere", CIRT_ROLE_ANALYST, PW, -CIRT_ENOTFOUND,
		 "org"},
		{"wrongkind", "Bank", CIRT_ROLE_ANALYST, PW, -CIRT_EINVAL,
		 "role"},
		{"teller", "Bank", CIRT_ROLE_CONSTITUENT, PW, 0, ""},
		{"peer", "CERT-YY", CIRT_ROLE_PARTNER, PW, 0, ""},
		{"peeradmin", "CERT-YY", CIRT_ROLE_ADMIN, PW, -CIRT_EINVAL,
		 "role"},
		{"teller", "Bank", CIRT_ROLE_CONSTITUENT, PW, -CIRT_ECONFLICT,
		 "name"},
	};
	struct cirt_db *db = setup_orgs(state);
	struct cirt_diag d;
	int64_t ok = 0;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (add(db, rows[i].name, rows[i].org, rows[i].role, rows[i].pw,
			&d) != rows[i].want)
			fail_msg("row %zu (%s): %s", i, rows[i].name,
				 d.message);
		assert_string_equal(d.field, rows[i].field);
		ok += rows[i].want == 0;
	}
	assert_int_equal(test_count(db, &q_users), ok);
	assert_int_equal(test_count(db, &q_audit), 3 + ok);
}

static void test_user_name_limit(void **state)
{
	struct cirt_db *db = setup_orgs(state);
	char name[CIRT_USER_NAME_MAX + 2];
	struct cirt_diag d;

	memset(name, 'u', sizeof(name));
	name[CIRT_USER_NAME_MAX] = '\0';
	assert_int_equal(add(db, name, "CIRT", CIRT_ROLE_ANALYST, PW, &d), 0);
	memset(name, 'v', sizeof(name));
	name[CIRT_USER_NAME_MAX + 1] = '\0';
	assert_int_equal(add(db, name, "CIRT", CIRT_ROLE_ANALYST, PW, &d),
			 -CIRT_EINVAL);
}

static void test_user_login(void **state)
{
	struct cirt_db *db = setup_orgs(state);
	struct cirt_user_change off = {.set_disabled = true, .disabled = true};
	struct cirt_principal p;
	struct cirt_diag d, d2;

	assert_int_equal(add(db, "alice", "CIRT", CIRT_ROLE_ANALYST, PW, &d),
			 0);
	assert_int_equal(cirt_user_login(db, "alice", PW, strlen(PW), &p, &d),
			 0);
	assert_string_equal(p.user, "alice");
	assert_string_equal(p.org, "CIRT");
	assert_int_equal(p.org_kind, CIRT_ORG_TEAM);
	assert_int_equal(p.role, CIRT_ROLE_ANALYST);
	assert_int_equal(p.via, CIRT_VIA_PASSWORD);
	cirt_diag_init(&d);
	cirt_diag_init(&d2);
	assert_int_equal(
		cirt_user_login(db, "alice", "wrong password!", 15, &p, &d),
		-CIRT_EAUTH);
	assert_int_equal(
		cirt_user_login(db, "mallory", PW, strlen(PW), &p, &d2),
		-CIRT_EAUTH);
	/* Same words whether the user exists or not. */
	assert_string_equal(d.message, d2.message);
	assert_int_equal(
		cirt_user_update(db, &test_actor, "alice", &off, NULL, &d), 0);
	cirt_diag_init(&d);
	assert_int_equal(cirt_user_login(db, "alice", PW, strlen(PW), &p, &d),
			 -CIRT_EAUTH);
	assert_non_null(strstr(d.message, "disabled"));
}

static void test_user_update_all_or_nothing(void **state)
{
	struct cirt_db *db = setup_orgs(state);
	struct cirt_user_change c = {0};
	struct cirt_user u;
	struct cirt_diag d;
	int64_t audit;

	assert_int_equal(add(db, "alice", "CIRT", CIRT_ROLE_ANALYST, PW, &d),
			 0);
	audit = test_count(db, &q_audit);
	/* A good role with a bad password: nothing applies. */
	c.set_role = true;
	c.role = CIRT_ROLE_ADMIN;
	c.password = "too short";
	c.password_len = 9;
	assert_int_equal(cirt_user_update(db, &test_actor, "alice", &c, &u, &d),
			 -CIRT_EINVAL);
	assert_int_equal(cirt_user_get(db, "alice", &u, &d), 0);
	assert_int_equal(u.role, CIRT_ROLE_ANALYST);
	assert_int_equal(test_count(db, &q_audit), audit);
	/* A role that does not fit the organisation: nothing applies. */
	cirt_diag_init(&d);
	c.role = CIRT_ROLE_PARTNER;
	c.password = "a new long password";
	c.password_len = strlen(c.password);
	assert_int_equal(cirt_user_update(db, &test_actor, "alice", &c, &u, &d),
			 -CIRT_EINVAL);
	assert_string_equal(d.field, "role");
	assert_int_equal(cirt_user_login(db, "alice", PW, strlen(PW),
					 &(struct cirt_principal){0}, NULL),
			 0);
	assert_int_equal(test_count(db, &q_audit), audit);
	/* Both good: both apply, two audit entries. */
	cirt_diag_init(&d);
	c.role = CIRT_ROLE_ADMIN;
	assert_int_equal(cirt_user_update(db, &test_actor, "alice", &c, &u, &d),
			 0);
	assert_int_equal(u.role, CIRT_ROLE_ADMIN);
	assert_int_equal(cirt_user_login(db, "alice", c.password,
					 c.password_len,
					 &(struct cirt_principal){0}, NULL),
			 0);
	assert_int_equal(test_count(db, &q_audit), audit + 2);
	/* The same again changes the role no more: only the password. */
	assert_int_equal(cirt_user_update(db, &test_actor, "alice", &c, &u, &d),
			 0);
	assert_int_equal(test_count(db, &q_audit), audit + 3);
	assert_int_equal(
		cirt_user_update(db, &test_actor, "nobody", &c, &u, &d),
		-CIRT_ENOTFOUND);
}

static void test_user_disable_ends_sessions(void **state)
{
	struct cirt_db *db = setup_orgs(state);
	struct cirt_user_change off = {.set_disabled = true, .disabled = true};
	struct cirt_user_change on = {.set_disabled = true, .disabled = false};
	char secret[CIRT_SESSION_SECRET_LEN + 1];
	struct cirt_principal p;
	struct cirt_diag d;
	int64_t exp, audit;

	assert_int_equal(add(db, "alice", "CIRT", CIRT_ROLE_ANALYST, PW, &d),
			 0);
	assert_int_equal(cirt_session_login(db, "alice", PW, strlen(PW),
					    "192.0.2.9", 1, secret, &exp, &p,
					    &d),
			 0);
	assert_int_equal(test_count(db, &q_sessions), 1);
	audit = test_count(db, &q_audit);
	assert_int_equal(
		cirt_user_update(db, &test_actor, "alice", &off, NULL, &d), 0);
	assert_int_equal(test_count(db, &q_sessions), 0);
	assert_int_equal(test_count(db, &q_audit), audit + 1);
	/* Disabling again is a no-op, not a new entry. */
	assert_int_equal(
		cirt_user_update(db, &test_actor, "alice", &off, NULL, &d), 0);
	assert_int_equal(test_count(db, &q_audit), audit + 1);
	assert_int_equal(
		cirt_user_update(db, &test_actor, "alice", &on, NULL, &d), 0);
	assert_int_equal(test_count(db, &q_audit), audit + 2);
	/* The ended session does not come back. */
	cirt_diag_init(&d);
	assert_int_equal(
		cirt_session_authenticate(db, secret, strlen(secret), &p, &d),
		-CIRT_EAUTH);
}

struct names {
	int n;
	char name[8][CIRT_USER_NAME_MAX + 1];
};

static int collect(const struct cirt_user *u, void *arg)
{
	struct names *c = arg;

	snprintf(c->name[c->n++], sizeof(c->name[0]), "%s", u->name);
	return 0;
}

static void test_user_list_filters(void **state)
{
	struct cirt_db *db = setup_orgs(state);
	struct cirt_user_filter f = {.role = -1, .limit = 10};
	struct names c = {0};
	struct cirt_diag d;
	struct cirt_org bank;

	assert_int_equal(add(db, "a1", "CIRT", CIRT_ROLE_ADMIN, PW, &d), 0);
	assert_int_equal(add(db, "a2", "CIRT", CIRT_ROLE_ANALYST, PW, &d), 0);
	assert_int_equal(add(db, "b1", "Bank", CIRT_ROLE_CONSTITUENT, PW, &d),
			 0);
	assert_int_equal(cirt_user_list(db, &f, collect, &c, &d), 0);
	assert_int_equal(c.n, 3);
	c.n = 0;
	f.role = CIRT_ROLE_ANALYST;
	assert_int_equal(cirt_user_list(db, &f, collect, &c, &d), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.name[0], "a2");
	c.n = 0;
	f.role = -1;
	assert_int_equal(cirt_org_get(db, "Bank", &bank, &d), 0);
	f.org_id = bank.id;
	assert_int_equal(cirt_user_list(db, &f, collect, &c, &d), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.name[0], "b1");
	c.n = 0;
	f.only = -1; /* matches nothing */
	assert_int_equal(cirt_user_list(db, &f, collect, &c, &d), 0);
	assert_int_equal(c.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_user_add_and_get),
		cmocka_unit_test(test_user_add_rules),
		cmocka_unit_test(test_user_name_limit),
		cmocka_unit_test(test_user_login),
		cmocka_unit_test(test_user_update_all_or_nothing),
		cmocka_unit_test(test_user_disable_ends_sessions),
		cmocka_unit_test(test_user_list_filters),
	};

	return test_run_on_both("user", tests, sizeof(tests) / sizeof(tests[0]),
				true);
}
