/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Socket addresses (os/net.c): listen addresses in every accepted form and
 * the malformed ones, and which addresses count as loopback (the rule that
 * decides whether plain HTTP is allowed).
 */
#include "testlib.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "os/net.h"

static void test_net_parse_hostport_table(void **state)
{
	static const struct {
		const char *in;
		int want;
		int family;
		unsigned port;
		const char *text;
	} rows[] = {
		{"127.0.0.1:8080", 0, AF_INET, 8080, "127.0.0.1"},
		{"0.0.0.0:0", 0, AF_INET, 0, "0.0.0.0"},
		{"[::1]:8443", 0, AF_INET6, 8443, "::1"},
		{"[::]:1", 0, AF_INET6, 1, "::"},
		{"192.0.2.10:65535", 0, AF_INET, 65535, "192.0.2.10"},
		{"127.0.0.1", -CIRT_EINVAL, 0, 0, NULL},
		{"127.0.0.1:", -CIRT_EINVAL, 0, 0, NULL},
		{":8080", -CIRT_EINVAL, 0, 0, NULL},
		{"[::1]8080", -CIRT_EINVAL, 0, 0, NULL},
		{"127.0.0.1:http", -CIRT_EINVAL, 0, 0, NULL},
		{"127.0.0.1:65536", -CIRT_EINVAL, 0, 0, NULL},
		{"999.0.0.1:80", -CIRT_EINVAL, 0, 0, NULL},
		{"", -CIRT_EINVAL, 0, 0, NULL},
	};
	struct sockaddr_storage ss;
	struct cirt_diag d;
	socklen_t len;
	char text[64];

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		cirt_diag_init(&d);
		if (cirt_net_parse_hostport(rows[i].in, "listen", &ss, &len,
					    &d) != rows[i].want)
			fail_msg("row %zu (%s): %s", i, rows[i].in, d.message);
		if (rows[i].want != 0) {
			assert_string_equal(d.field, "listen");
			continue;
		}
		assert_int_equal(ss.ss_family, rows[i].family);
		assert_int_equal(
			ntohs(ss.ss_family == AF_INET
				      ? ((struct sockaddr_in *)&ss)->sin_port
				      : ((struct sockaddr_in6 *)&ss)
						->sin6_port),
			rows[i].port);
		cirt_net_addr_text((struct sockaddr *)&ss, text, sizeof(text));
		assert_string_equal(text, rows[i].text);
	}
}

static void test_net_is_loopback_table(void **state)
{
	static const struct {
		const char *in;
		bool loopback;
	} rows[] = {
		{"127.0.0.1:1", true},
		{"127.255.255.254:1", true},
		{"[::1]:1", true},
		{"[::ffff:127.0.0.1]:1", true},
		{"0.0.0.0:1", false},
		{"128.0.0.1:1", false},
		{"10.0.0.1:1", false},
		{"[::]:1", false},
		{"[::ffff:10.0.0.1]:1", false},
		{"[fe80::1]:1", false},
	};
	struct sockaddr_storage ss;
	socklen_t len;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(cirt_net_parse_hostport(rows[i].in, "listen",
							 &ss, &len, NULL),
				 0);
		if (cirt_net_is_loopback((struct sockaddr *)&ss) !=
		    rows[i].loopback)
			fail_msg("row %zu: %s", i, rows[i].in);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_net_parse_hostport_table),
		cmocka_unit_test(test_net_is_loopback_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
