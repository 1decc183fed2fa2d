/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The access table (account/authz.c): every role against every action,
 * scopes applied to owners, and the role/organisation-kind rule. The
 * expected table is written out here independently of the source, so a
 * change to the policy has to change both.
 */
#include "testlib.h"

#include <string.h>

#include "account/authz.h"

#define N CIRT_SCOPE_NONE
#define S CIRT_SCOPE_SELF
#define O CIRT_SCOPE_ORG
#define A CIRT_SCOPE_ALL

static const struct {
	enum cirt_action action;
	enum cirt_scope
		want[CIRT_ROLE_COUNT]; /* admin, analyst, const, partner */
} policy[] = {
	{CIRT_ACT_SELF, {S, S, S, S}},
	{CIRT_ACT_ORG_READ, {A, A, O, O}},
	{CIRT_ACT_ORG_CREATE, {A, N, N, N}},
	{CIRT_ACT_USER_READ, {A, A, O, S}},
	{CIRT_ACT_USER_CREATE, {A, N, N, N}},
	{CIRT_ACT_USER_UPDATE, {A, N, N, N}},
	{CIRT_ACT_USER_PASSWORD, {A, S, S, S}},
	{CIRT_ACT_TOKEN_READ, {A, S, S, S}},
	{CIRT_ACT_TOKEN_CREATE, {A, S, S, S}},
	{CIRT_ACT_TOKEN_REVOKE, {A, S, S, S}},
	{CIRT_ACT_AUDIT_READ, {A, N, N, N}},
	{CIRT_ACT_METRICS_READ, {A, A, N, N}},
	{CIRT_ACT_TAXII, {A, A, A, A}},
	{CIRT_ACT_INCIDENT_READ, {A, A, O, N}},
	{CIRT_ACT_INCIDENT_WRITE, {A, A, N, N}},
	{CIRT_ACT_INCIDENT_COMMENT, {A, A, O, N}},
	{CIRT_ACT_INCIDENT_ADMIN, {A, N, N, N}},
	{CIRT_ACT_STATS_READ, {A, A, N, N}},
	{CIRT_ACT_CONSTITUENCY_READ, {A, A, O, N}},
	{CIRT_ACT_CONSTITUENCY_WRITE, {A, N, N, N}},
	{CIRT_ACT_FEED_READ, {A, A, N, N}},
	{CIRT_ACT_FEED_ADMIN, {A, N, N, N}},
	{CIRT_ACT_FEED_RUN, {A, A, N, N}},
	{CIRT_ACT_EVENT_READ, {A, A, O, N}},
	{CIRT_ACT_DETECT_READ, {A, A, N, N}},
	{CIRT_ACT_DETECT_RUN, {A, A, N, N}},
};

static struct cirt_principal who(enum cirt_role role)
{
	struct cirt_principal p;

	memset(&p, 0, sizeof(p));
	p.user_id = 10;
	p.org_id = 20;
	p.role = role;
	p.via = CIRT_VIA_TOKEN;
	return p;
}

static void test_authz_scope_table(void **state)
{
	(void)state;
	assert_int_equal(sizeof(policy) / sizeof(policy[0]), CIRT_ACT_COUNT);
	for (size_t i = 0; i < CIRT_ACT_COUNT; i++) {
		for (int r = 0; r < CIRT_ROLE_COUNT; r++) {
			struct cirt_principal p = who((enum cirt_role)r);

			if (cirt_authz_scope(&p, policy[i].action) !=
			    policy[i].want[r])
				fail_msg("%s as %s",
					 cirt_action_name(policy[i].action),
					 cirt_role_name((enum cirt_role)r));
			assert_int_equal(
				cirt_authz_allows(&p, policy[i].action),
				policy[i].want[r] != N);
		}
	}
}

static void test_authz_unauthenticated_gets_nothing(void **state)
{
	struct cirt_principal p = who(CIRT_ROLE_ADMIN);

	(void)state;
	p.via = CIRT_VIA_NONE;
	for (int a = 0; a < CIRT_ACT_COUNT; a++)
		assert_false(cirt_authz_allows(&p, (enum cirt_action)a));
	assert_false(cirt_authz_allows(NULL, CIRT_ACT_SELF));
	p.via = CIRT_VIA_TOKEN;
	assert_int_equal(cirt_authz_scope(&p, CIRT_ACT_COUNT), N);
	p.role = CIRT_ROLE_COUNT;
	assert_false(cirt_authz_allows(&p, CIRT_ACT_SELF));
}

static void test_authz_covers_owners(void **state)
{
	struct cirt_principal admin = who(CIRT_ROLE_ADMIN);
	struct cirt_principal analyst = who(CIRT_ROLE_ANALYST);
	struct cirt_principal cons = who(CIRT_ROLE_CONSTITUENT);
	struct cirt_principal partner = who(CIRT_ROLE_PARTNER);

	(void)state;
	/* all */
	assert_true(cirt_authz_covers(&admin, CIRT_ACT_TOKEN_REVOKE, 99, 98));
	/* self */
	assert_true(cirt_authz_covers(&analyst, CIRT_ACT_TOKEN_REVOKE, 10, 98));
	assert_false(
		cirt_authz_covers(&analyst, CIRT_ACT_TOKEN_REVOKE, 11, 20));
	assert_false(cirt_authz_covers(&analyst, CIRT_ACT_TOKEN_REVOKE, 0, 20));
	/* organisation */
	assert_true(cirt_authz_covers(&cons, CIRT_ACT_ORG_READ, 0, 20));
	assert_false(cirt_authz_covers(&cons, CIRT_ACT_ORG_READ, 0, 21));
	assert_true(cirt_authz_covers(&cons, CIRT_ACT_USER_READ, 55, 20));
	assert_false(cirt_authz_covers(&partner, CIRT_ACT_USER_READ, 55, 20));
	assert_true(cirt_authz_covers(&partner, CIRT_ACT_USER_READ, 10, 20));
	/* none */
	assert_false(cirt_authz_covers(&analyst, CIRT_ACT_USER_UPDATE, 10, 20));
}

static void test_role_names_roundtrip(void **state)
{
	enum cirt_role r;

	(void)state;
	for (int i = 0; i < CIRT_ROLE_COUNT; i++) {
		assert_int_equal(
			cirt_role_parse(cirt_role_name((enum cirt_role)i), &r),
			0);
		assert_int_equal(r, i);
	}
	assert_int_equal(cirt_role_parse("Admin", &r), -CIRT_EINVAL);
	assert_int_equal(cirt_role_parse("", &r), -CIRT_EINVAL);
	assert_int_equal(cirt_role_parse("root", &r), -CIRT_EINVAL);
	assert_int_equal(cirt_role_org_kind(CIRT_ROLE_ADMIN), CIRT_ORG_TEAM);
	assert_int_equal(cirt_role_org_kind(CIRT_ROLE_ANALYST), CIRT_ORG_TEAM);
	assert_int_equal(cirt_role_org_kind(CIRT_ROLE_CONSTITUENT),
			 CIRT_ORG_CONSTITUENT);
	assert_int_equal(cirt_role_org_kind(CIRT_ROLE_PARTNER),
			 CIRT_ORG_PARTNER);
}

static void test_authz_collection_grants(void **state)
{
	static const struct {
		enum cirt_role role;
		bool grant_read, grant_write, can_read, can_write;
	} rows[] = {
		{CIRT_ROLE_ADMIN, false, false, true, true},
		{CIRT_ROLE_ANALYST, false, false, true, true},
		{CIRT_ROLE_CONSTITUENT, false, false, false, false},
		{CIRT_ROLE_CONSTITUENT, true, false, true, false},
		{CIRT_ROLE_PARTNER, false, true, false, true},
		{CIRT_ROLE_PARTNER, true, true, true, true},
	};
	struct cirt_principal p;
	bool r, w;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		p = who(rows[i].role);
		cirt_authz_collection(&p, rows[i].grant_read,
				      rows[i].grant_write, &r, &w);
		assert_int_equal(r, rows[i].can_read);
		assert_int_equal(w, rows[i].can_write);
	}
	p = who(CIRT_ROLE_ADMIN);
	p.via = CIRT_VIA_NONE;
	cirt_authz_collection(&p, true, true, &r, &w);
	assert_false(r || w);
}

/* TLP-02: the recipient relation decides the ceiling; RED never. */
static void test_authz_tlp_ceiling(void **state)
{
	struct cirt_principal p;

	(void)state;
	p = who(CIRT_ROLE_ADMIN);
	assert_int_equal(cirt_authz_tlp_ceiling(&p), CIRT_TLP_AMBER_STRICT);
	p = who(CIRT_ROLE_ANALYST);
	assert_int_equal(cirt_authz_tlp_ceiling(&p), CIRT_TLP_AMBER_STRICT);
	p = who(CIRT_ROLE_CONSTITUENT);
	assert_int_equal(cirt_authz_tlp_ceiling(&p), CIRT_TLP_AMBER);
	p = who(CIRT_ROLE_PARTNER);
	assert_int_equal(cirt_authz_tlp_ceiling(&p), CIRT_TLP_GREEN);
	p.via = CIRT_VIA_NONE;
	assert_int_equal(cirt_authz_tlp_ceiling(&p), CIRT_TLP_NONE);
}

/* Incidents: the team sees every level, constituents up to AMBER. */
static void test_authz_incident_ceiling(void **state)
{
	struct cirt_principal p;

	(void)state;
	p = who(CIRT_ROLE_ADMIN);
	assert_int_equal(cirt_authz_incident_ceiling(&p), CIRT_TLP_RED);
	p = who(CIRT_ROLE_ANALYST);
	assert_int_equal(cirt_authz_incident_ceiling(&p), CIRT_TLP_RED);
	p = who(CIRT_ROLE_CONSTITUENT);
	assert_int_equal(cirt_authz_incident_ceiling(&p), CIRT_TLP_AMBER);
	p = who(CIRT_ROLE_PARTNER);
	assert_int_equal(cirt_authz_incident_ceiling(&p), CIRT_TLP_NONE);
	p = who(CIRT_ROLE_ADMIN);
	p.via = CIRT_VIA_NONE;
	assert_int_equal(cirt_authz_incident_ceiling(&p), CIRT_TLP_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_authz_scope_table),
		cmocka_unit_test(test_authz_unauthenticated_gets_nothing),
		cmocka_unit_test(test_authz_covers_owners),
		cmocka_unit_test(test_role_names_roundtrip),
		cmocka_unit_test(test_authz_collection_grants),
		cmocka_unit_test(test_authz_tlp_ceiling),
		cmocka_unit_test(test_authz_incident_ceiling),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
