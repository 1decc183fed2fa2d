/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Harness: a feed input as a provider (or an attacker) sends it. The
 * first byte picks the parser (modulo their number); the rest is the
 * input, handed over as a file, as a collector does. Each event is then
 * enriched and routed against a small registry, as the pipeline does,
 * so canonical names, URLs and the lookups see what parsers let through.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "feed/enrich.h"
#include "feed/parser.h"
#include "feed/route.h"
#include "fuzz.h"

static struct cirt_route *registry(void)
{
	static struct cirt_route *r;
	struct cirt_ip ip;

	if (r)
		return r;
	r = cirt_route_new();
	if (cirt_ip_parse("192.0.2.0/24", 12, true, false, &ip, NULL, NULL) ==
	    0)
		cirt_route_add_cidr(r, &ip, 1);
	if (cirt_ip_parse("2001:db8::/32", 13, true, false, &ip, NULL, NULL) ==
	    0)
		cirt_route_add_cidr(r, &ip, 2);
	cirt_route_add_asn(r, 64512, 3);
	cirt_route_add_domain(r, "example.org", 4);
	return r;
}

static int emit(struct cirt_event *ev, void *arg)
{
	uint64_t dropped = 0;

	cirt_event_enrich(ev, NULL, &dropped);
	(void)cirt_route_event(arg, ev);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = 0;
	const struct cirt_parser *p;
	struct cirt_feed_stats st;
	struct cirt_feed_src src;
	struct cirt_diag d;
	int fd;

	if (size < 1)
		return 0;
	while (cirt_parsers[n])
		n++;
	p = cirt_parsers[data[0] % n];
	fd = memfd_create("fuzz_feed", 0);
	if (fd < 0)
		abort();
	if (size > 1 && write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
		abort();
	lseek(fd, 0, SEEK_SET);
	memset(&st, 0, sizeof st);
	memset(&src, 0, sizeof src);
	src.fd = fd;
	src.name = "2026-11-22-scan_ntp-fuzz.csv";
	src.report_time = 1763769600000000;
	src.options = "";
	cirt_diag_init(&d);
	(void)p->run(&src, emit, registry(), &st, &d);
	close(fd);
	return 0;
}
