/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Harness: a STIX pattern as an indicator carries it: parse (lexer,
 * parser, semantic checks, regex compilation), then the simple-term
 * extraction and an evaluation against a small fixed set of observations
 * whose objects exercise every kind of path (references, lists, binary,
 * addresses, timestamps). Evaluation stays within its budget.
 */
#include <stdbool.h>
#include <stdlib.h>

#include <jansson.h>

#include "fuzz.h"
#include "stix/stix_pattern.h"

static const char observations[] =
	"["
	"{\"t\":0,\"o\":{"
	"\"0\":{\"type\":\"file\",\"name\":\"a.exe\",\"size\":100,"
	"\"hashes\":{\"MD5\":\"aa\",\"SHA-256\":\"bb\"},"
	"\"created\":\"2014-01-13T07:03:17.000Z\",\"magic_number_hex\":"
	"\"ffd8\","
	"\"parent_directory_ref\":\"1\",\"list\":[\"x\",\"y\",1,true]},"
	"\"1\":{\"type\":\"directory\",\"path\":\"C:\\\\Windows\","
	"\"contains_refs\":[\"0\",\"2\"]},"
	"\"2\":{\"type\":\"artifact\",\"payload_bin\":\"dGhpcyBpcyBhIHRlc3Q=\"}"
	"}},"
	"{\"t\":10,\"o\":{"
	"\"0\":{\"type\":\"network-traffic\",\"src_ref\":\"1\",\"dst_ref\":"
	"\"2\","
	"\"protocols\":[\"tcp\"],\"dst_port\":443,\"is_active\":false},"
	"\"1\":{\"type\":\"ipv4-addr\",\"value\":\"198.51.100.7\"},"
	"\"2\":{\"type\":\"ipv6-addr\",\"value\":\"2001:db8::/48\"}}},"
	"{\"t\":10.5,\"o\":{"
	"\"0\":{\"type\":\"domain-name\",\"value\":\"caf\\u00e9.example\","
	"\"resolves_to_refs\":[\"1\"]},"
	"\"1\":{\"type\":\"ipv4-addr\",\"value\":\"10.0.0.0/8\"},"
	"\"2\":{\"type\":\"x-num\",\"f\":1.5,\"i\":-3,\"big\":1e300}}},"
	"{\"t\":70,\"o\":{"
	"\"0\":{\"type\":\"file\",\"name\":\"a.exe\",\"size\":7.5}}}"
	"]";

static struct cirt_pattern_obs obs[4];
static size_t nobs;

static void setup(void)
{
	static json_t *doc;
	json_t *x;
	size_t i;

	if (doc != NULL)
		return;
	doc = json_loads(observations, 0, NULL);
	if (doc == NULL)
		abort();
	json_array_foreach (doc, i, x) {
		obs[i].time_us =
			(int64_t)(json_number_value(json_object_get(x, "t")) *
				  1e6);
		obs[i].objects = json_object_get(x, "o");
	}
	nobs = json_array_size(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cirt_pattern_term *terms = NULL;
	struct cirt_pattern *p = NULL;
	struct cirt_diag d;
	size_t n;
	bool m;

	setup();
	cirt_diag_init(&d);
	if (cirt_pattern_parse((const char *)data, size, &p, &d) != 0)
		return 0;
	(void)cirt_pattern_level(p);
	if (cirt_pattern_terms(p, &terms, &n, NULL) == 0)
		free(terms);
	(void)cirt_pattern_match(p, obs, nobs, &m, NULL);
	(void)cirt_pattern_match(p, obs, 1, &m, NULL);
	cirt_pattern_free(p);
	return 0;
}
