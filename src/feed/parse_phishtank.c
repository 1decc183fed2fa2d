/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The "phishtank" parser: PhishTank's online-valid.json, a JSON array of
 * {phish_id, url, phish_detail_url, submission_time, verified,
 * verification_time, online, details[{ip_address, cidr_block,
 * announcing_network, rir, country, detail_time}], target}, read one
 * element at a time (feed/json_array.h), so the whole download (hundreds
 * of megabytes) is never in memory. It does not fetch the file.
 *
 * Each element: fraud:phishing, identifier phishtank; source.url;
 * time.source from verification_time, else submission_time; the first
 * details entry's ip_address, announcing_network and country as the
 * source's IP, ASN and country; extra phish_id and target. A missing or
 * bad URL or time makes the element malformed; details that do not fit
 * their field go to extra under their own name. The raw record is the
 * element's bytes, its line the element's index + 1.
 *
 * Layer: feed. One run is single-threaded.
 */
#include "feed/parser.h"

#include <stdbool.h>
#include <string.h>

#include <jansson.h>

#include "feed/parse_int.h"
#include "core/banned.h"

static int fill(struct cirt_feed_run *r, json_t *o)
{
	json_t *det = json_array_get(json_object_get(o, "details"), 0);
	const char *when = "verification_time";

	cirt_event_classify(&r->ev, "fraud", "phishing");
	cirt_feed_copy(r->ev.identifier, sizeof(r->ev.identifier), "phishtank");
	if (!json_is_string(json_object_get(o, "url")))
		return cirt_diag_set(&r->rd, -CIRT_EINVAL, "url", "no \"url\"");
	if (!json_is_string(json_object_get(o, when)))
		when = "submission_time";
	if (cirt_feed_rec_member(r, o, "url", "source.url", true) < 0 ||
	    cirt_feed_rec_member(r, o, when, "time.source", true) < 0 ||
	    cirt_feed_rec_member(r, o, "phish_id", NULL, false) < 0 ||
	    cirt_feed_rec_member(r, o, "target", NULL, false) < 0)
		return -1;
	if (json_is_object(det) &&
	    (cirt_feed_rec_member(r, det, "ip_address", "source.ip", false) <
		     0 ||
	     cirt_feed_rec_member(r, det, "announcing_network", "source.asn",
				  false) < 0 ||
	     cirt_feed_rec_member(r, det, "country", "source.geolocation.cc",
				  false) < 0))
		return -1;
	return 0;
}

/* cirt_feed_json_fn: one element. */
static int element(void *arg, json_t *o)
{
	return fill(arg, o) < 0 ? CIRT_FEED_BAD : CIRT_FEED_EMIT;
}

static int run(const struct cirt_feed_src *src, cirt_emit_fn emit, void *arg,
	       struct cirt_feed_stats *st, struct cirt_diag *d)
{
	struct cirt_feed_run r;
	int rc;

	cirt_feed_run_init(&r, src, emit, arg, st, d);
	rc = cirt_feed_json_each(&r, NULL, 0, element, &r);
	cirt_feed_run_release(&r);
	return rc;
}

const struct cirt_parser cirt_parser_phishtank = {
	"phishtank",
	"PhishTank online-valid.json (JSON array, streamed)",
	run,
};
