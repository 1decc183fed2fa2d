/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The /metrics text (http/http_metrics.c) and the access log
 * (http/http_access.c): counters by route and status, a cumulative
 * histogram, and one valid JSON line per request whatever a client sent.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/json.h"
#include "http/http_access.h"
#include "http/http_metrics.h"

static int dummy(struct cirt_req *r, struct cirt_diag *d)
{
	(void)r;
	(void)d;
	return 0;
}

static const struct cirt_route routes[] = {
	{"GET", "/a", dummy, CIRT_ACT_SELF, 0},
	{"POST", "/b/{x}", dummy, CIRT_ACT_SELF, 0},
};

static char *render(void)
{
	struct cirt_buf b;

	cirt_buf_init(&b, 1 << 20);
	assert_int_equal(cirt_metrics_render(&b), 0);
	return cirt_buf_detach(&b, NULL);
}

static void test_metrics_counts_and_histogram(void **state)
{
	char *text;

	(void)state;
	cirt_metrics_init(routes, 2);
	cirt_metrics_observe(0, 200, 300 * 1000);      /* 0.3 ms */
	cirt_metrics_observe(0, 200, 2 * 1000 * 1000); /* 2 ms */
	cirt_metrics_observe(1, 409, 1000);
	cirt_metrics_observe(-1, 404, 1000);
	cirt_metrics_observe(0, 418, 1000);		    /* not listed */
	cirt_metrics_observe(0, 200, 9000LL * 1000 * 1000); /* 9 s */
	text = render();
	assert_non_null(strstr(text,
			       "cirtkit_http_requests_total{method=\"GET\","
			       "route=\"/a\",status=\"200\"} 3\n"));
	assert_non_null(strstr(text, "{method=\"POST\",route=\"/b/{x}\","
				     "status=\"409\"} 1\n"));
	assert_non_null(strstr(text, "{method=\"*\",route=\"unmatched\","
				     "status=\"404\"} 1\n"));
	assert_non_null(strstr(text, "route=\"/a\",status=\"other\"} 1\n"));
	/* cumulative buckets for /a: 0.3 ms and 1 us by 0.5 ms, 2 ms by
	 * 2.5 ms, the 9 s one only in +Inf */
	assert_non_null(strstr(text, "route=\"/a\",le=\"0.0005\"} 2\n"));
	assert_non_null(strstr(text, "route=\"/a\",le=\"0.0025\"} 3\n"));
	assert_non_null(strstr(text, "route=\"/a\",le=\"5\"} 3\n"));
	assert_non_null(strstr(text, "route=\"/a\",le=\"+Inf\"} 4\n"));
	assert_non_null(strstr(text, "duration_seconds_count{method=\"GET\","
				     "route=\"/a\"} 4\n"));
	assert_non_null(strstr(text, "cirtkit_process_resident_memory_bytes "));
	assert_null(strstr(text, "status=\"500\"")); /* zero rows omitted */
	free(text);
	cirt_metrics_free();
}

static void test_access_log_lines(void **state)
{
	char path[] = "/tmp/cirt-access-XXXXXX";
	struct cirt_access_rec rec = {"192.0.2.1", "GET",   "/x\xff\"y\n",
				      "/x",	   "alice", "agent\x01\xc3\xa9",
				      200,	   42,	    1500000};
	char line[1024];
	struct cirt_diag d;
	json_t *v;
	FILE *f;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	cirt_json_setup();
	cirt_diag_init(&d);
	assert_int_equal(cirt_access_log_open(path, &d), 0);
	cirt_access_log_write(&rec);
	rec.user = NULL;
	rec.route = NULL;
	cirt_access_log_write(&rec);
	cirt_access_log_close();
	f = fopen(path, "r");
	assert_non_null(f);
	for (int i = 0; i < 2; i++) {
		assert_non_null(fgets(line, sizeof(line), f));
		v = json_loads(line, 0, NULL);
		assert_non_null(v);
		assert_string_equal(
			json_string_value(json_object_get(v, "path")),
			"/x?\"y?");
		assert_string_equal(
			json_string_value(json_object_get(v, "agent")),
			"agent???");
		assert_int_equal(
			json_integer_value(json_object_get(v, "status")), 200);
		assert_true(json_real_value(json_object_get(v, "duration_ms")) >
			    1.4);
		assert_true(i == 0 ? json_is_string(json_object_get(v, "user"))
				   : json_is_null(json_object_get(v, "user")));
		json_decref(v);
	}
	assert_null(fgets(line, sizeof(line), f));
	fclose(f);
	unlink(path);
	assert_int_equal(cirt_access_log_open("/nonexistent/dir/log", &d),
			 -CIRT_EIO);
	assert_int_equal(cirt_access_log_open("off", &d), 0);
	cirt_access_log_write(&rec); /* goes nowhere */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metrics_counts_and_histogram),
		cmocka_unit_test(test_access_log_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
