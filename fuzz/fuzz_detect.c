/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Harness: a log line by line through the readers, and every value it
 * gives through the matcher. The first byte picks the format (auto, zeek,
 * zeek-json, eve, bind, squid, csv with a map); the second, whether the
 * rest is also added as indicators of each kind first, so lookups meet
 * canonical forms made from the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "detect/logread.h"
#include "detect/matcher.h"
#include "fuzz.h"

static int on_record(const struct cirt_log_record *r, void *arg)
{
	const struct cirt_matcher *m = arg;
	uint32_t refs[4];

	for (size_t i = 0; i < r->nvalues; i++) {
		const struct cirt_log_value *v = &r->values[i];
		int n = cirt_matcher_lookup(m, v->kind, v->v, v->n, refs, 4);
		char id[64];

		for (int j = 0; j < n && j < 4; j++)
			cirt_matcher_src_id(m, refs[j], id);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct cirt_ioc_src src = {.origin = CIRT_IOC_FILE};
	struct cirt_matcher_builder *b;
	struct cirt_log_map *map = NULL;
	struct cirt_log_stats st;
	struct cirt_matcher *m;
	struct cirt_diag d;
	int fmt;

	if (size < 2 || size > 65536)
		return 0;
	fmt = data[0] % 7;
	b = cirt_matcher_builder_new(data[1] & 1);
	if (data[1] & 2) {
		const char *p = (const char *)data + 2, *end = p + size - 2;

		/* Each line of the input is offered as every kind. */
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

			for (int k = 0; k < CIRT_IOC_KINDS; k++) {
				cirt_diag_init(&d);
				(void)cirt_matcher_add(b, (enum cirt_ioc_kind)k,
						       p, n, &src, NULL, &d);
			}
			p += n + 1;
		}
	}
	m = cirt_matcher_build(b);
	cirt_diag_init(&d);
	if (fmt == CIRT_LOG_CSV &&
	    cirt_log_map_parse("a=ip,b=domain,c=url,d=hash,e=email,f=time",
			       &map, &d) < 0)
		abort();
	memset(&st, 0, sizeof st);
	cirt_diag_init(&d);
	(void)cirt_log_read_mem((const char *)data + 2, size - 2, "fuzz",
				(enum cirt_log_format)fmt, map, on_record, m,
				&st, &d);
	cirt_log_map_free(map);
	cirt_matcher_free(m);
	return 0;
}
