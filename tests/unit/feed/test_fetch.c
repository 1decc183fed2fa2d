/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The collector's transport (feed/fetch.c) against the loopback server
 * tests/integration/feedserver.py, started once for the group with its
 * files in a temporary directory: a 200 with ETag and Last-Modified, the
 * conditional re-fetch (304), the size cap just under and just over (by
 * Content-Length and streamed), the time-out, retries (recovering,
 * giving up, Retry-After and its cap, backoff on a refused connection),
 * schemes other than http/https refused (also after a redirect), the
 * redirect limit, 4xx, header checks both ways, and TAXII 2.1 paging
 * (next, added_after, credentials, broken envelopes). Skipped, with a
 * message, when /usr/bin/python3 is missing. Waits between retries go to
 * a recorder, so the suite takes seconds.
 */
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>

#include "core/crypto.h"
#include "core/parse.h"
#include "core/time.h"
#include "feed/fetch.h"
#include "version.h"

#define PYTHON	    "/usr/bin/python3"
#define FEEDSERVER  CIRT_TEST_SOURCE_ROOT "/tests/integration/feedserver.py"
#define FEED_TEXT   "192.0.2.1\n198.51.100.7\n2001:db8::1\n"
#define FEED_MTIME  1700000000 /* Tue, 14 Nov 2023 22:13:20 GMT */
#define FEED_LM	    "Tue, 14 Nov 2023 22:13:20 GMT"
#define SIZE_BYTES  1000
#define TAXII_USER  "alice:s3cret"
#define TAXII_TOKEN "tok123"
#define TAXII_N	    7

/* A feedserver.py process. */
struct proc {
	pid_t pid;
	int stdin_fd; /* closing it stops the server */
	int port;
};

static struct {
	bool up;
	struct proc main;
	int port; /* main.port */
	char dir[64];
} srv = {.main = {.pid = -1, .stdin_fd = -1}};

/* ---- helpers ---- */

/* The server's URL for path, in a static buffer: one of four, reused in
 * turn by url_of() calls only (helpers below have their own). */
static const char *url_of(const char *path)
{
	static char buf[4][4096];
	static unsigned i;
	char *u = buf[i++ % 4];

	snprintf(u, sizeof(buf[0]), "http://127.0.0.1:%d%s", srv.port, path);
	return u;
}

static void write_file(const char *name, const char *data, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", srv.dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void write_bundle(void)
{
	char buf[4096];
	int n = 0;

	n += snprintf(buf + n, sizeof(buf) - n,
		      "{\"type\":\"bundle\",\"id\":\"bundle--1\","
		      "\"objects\":[");
	for (int i = 1; i <= TAXII_N; i++)
		n += snprintf(buf + n, sizeof(buf) - n,
			      "%s{\"type\":\"indicator\",\"spec_version\":"
			      "\"2.1\",\"id\":\"indicator--%d\",\"created\":"
			      "\"2026-01-0%dT00:00:00.000Z\",\"modified\":"
			      "\"2026-01-0%dT00:00:00.000Z\"}",
			      i > 1 ? "," : "", i, i, i);
	n += snprintf(buf + n, sizeof(buf) - n, "]}");
	write_file("taxii/coll1.json", buf, (size_t)n);
}

static void write_files(void)
{
	char path[256], size[SIZE_BYTES], next[2100];
	struct timespec t[2] = {{FEED_MTIME, 0}, {FEED_MTIME, 0}};

	write_file("feed.txt", FEED_TEXT, strlen(FEED_TEXT));
	snprintf(path, sizeof(path), "%s/feed.txt", srv.dir);
	assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
	memset(size, 'a', sizeof(size));
	write_file("size.bin", size, sizeof(size));
	snprintf(path, sizeof(path), "%s/taxii", srv.dir);
	assert_int_equal(mkdir(path, 0700), 0);
	write_bundle();
	write_file("taxii/garbage.json", "not json\n", 9);
	write_file("taxii/badmore.json", "{\"more\":\"yes\"}", 14);
	memset(next, 'n', sizeof(next));
	memcpy(next, "{\"more\":true,\"next\":\"", 21);
	memcpy(next + sizeof(next) - 2, "\"}", 2);
	write_file("taxii/longnext.json", next, sizeof(next));
	snprintf(path, sizeof(path), "%s/plain", srv.dir);
	assert_int_equal(mkdir(path, 0700), 0);
	write_file("plain/objects", "{}", 2); /* served as text/plain */
}

/* Read the port the server prints first, within 10 s. */
static int read_port(int fd)
{
	char line[32];
	size_t n = 0;
	int64_t port;
	struct pollfd p = {.fd = fd, .events = POLLIN};

	while (n < sizeof(line) - 1) {
		if (poll(&p, 1, 10000) <= 0 || read(fd, line + n, 1) != 1)
			return -1;
		if (line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	if (cirt_parse_i64(line, 1, 65535, &port) < 0)
		return -1;
	return (int)port;
}

/* Run argv (argv[0] a path; at most 31 entries) with stdin from a pipe
 * we keep and stdout into a pipe we return (*out), or to /dev/null when
 * out is NULL. */
static pid_t spawn(const char *const argv[], int *in_fd, int *out)
{
	char *v[32] = {NULL};
	int in[2], o[2];
	size_t n = 0;
	pid_t pid;

	while (n < 31 && argv[n] != NULL)
		n++;
	memcpy(v, argv, n * sizeof(*v)); /* execv's prototype is not const */
	if (pipe(in) < 0 || pipe(o) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(in[0], 0);
		dup2(out != NULL ? o[1] : null, 1);
		if (out == NULL)
			dup2(null, 2);
		close(in[0]);
		close(in[1]);
		close(o[0]);
		close(o[1]);
		execv(v[0], v);
		_exit(127);
	}
	close(in[0]);
	close(o[1]);
	*in_fd = in[1];
	if (out != NULL)
		*out = o[0];
	else
		close(o[0]);
	return pid;
}

/* Start feedserver.py on DIR with the TAXII credentials and extra
 * arguments (up to 3, NULL-terminated). */
static int start_server(struct proc *p, const char *const *extra)
{
	const char *argv[16] = {PYTHON,
				FEEDSERVER,
				"--dir",
				srv.dir,
				"--port",
				"0",
				"--taxii-user",
				TAXII_USER,
				"--taxii-token",
				TAXII_TOKEN,
				"--exit-on-stdin-eof"};
	size_t n = 11;
	int out;

	for (size_t i = 0; extra != NULL && extra[i] != NULL && n < 15; i++)
		argv[n++] = extra[i];
	p->pid = spawn(argv, &p->stdin_fd, &out);
	if (p->pid < 0)
		return -1;
	p->port = read_port(out);
	close(out);
	return p->port > 0 ? 0 : -1;
}

static void stop_server(struct proc *p)
{
	if (p->stdin_fd >= 0)
		close(p->stdin_fd);
	if (p->pid > 0) {
		kill(p->pid, SIGTERM);
		waitpid(p->pid, NULL, 0);
	}
	p->pid = -1;
	p->stdin_fd = -1;
}

static int group_setup(void **state)
{
	(void)state;
	if (access(PYTHON, X_OK) != 0) {
		printf("# SKIP test_fetch: %s is missing\n", PYTHON);
		return 0;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	snprintf(srv.dir, sizeof(srv.dir), "/tmp/cirt-fetch-XXXXXX");
	if (mkdtemp(srv.dir) == NULL)
		return -1;
	write_files();
	if (start_server(&srv.main, NULL) < 0)
		return -1;
	srv.port = srv.main.port;
	srv.up = true;
	return 0;
}

static void remove_tree(const char *dir)
{
	static const char *const names[] = {
		"feed.txt",
		"size.bin",
		"taxii/coll1.json",
		"taxii/garbage.json",
		"taxii/badmore.json",
		"taxii/longnext.json",
		"taxii",
		"plain/objects",
		"plain",
		"cert.pem",
		"key.pem",
	};
	char path[256];

	for (size_t i = 0; i < CIRT_ARRAY_LEN(names); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		remove(path);
	}
	rmdir(dir);
}

static int group_teardown(void **state)
{
	(void)state;
	stop_server(&srv.main);
	if (srv.dir[0] != '\0')
		remove_tree(srv.dir);
	return 0;
}

#define NEED_SERVER()           \
	do {                    \
		if (!srv.up)    \
			skip(); \
	} while (0)

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* POST to a control path of the server. */
static void ctl(const char *path)
{
	CURL *h = curl_easy_init();
	long status = 0;
	char url[256];

	assert_non_null(h);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", srv.port, path);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	assert_int_equal(curl_easy_perform(h), CURLE_OK);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	assert_int_equal(status, 200);
	curl_easy_cleanup(h);
}

/* The whole of fd from where it is; the caller frees. */
static char *slurp(int fd, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *p = malloc(cap + 1);
	ssize_t r;

	assert_non_null(p);
	while ((r = read(fd, p + n, cap - n)) > 0) {
		n += (size_t)r;
		if (n == cap) {
			cap *= 2;
			p = realloc(p, cap + 1);
			assert_non_null(p);
		}
	}
	assert_true(r == 0);
	p[n] = '\0';
	*len = n;
	return p;
}

/* A request with no retries and a short time-out. */
static void req_for(struct cirt_fetch_req *req, const char *path)
{
	cirt_fetch_req_init(req, url_of(path));
	req->retries = 0;
	req->timeout_ms = 10000;
}

/* The last request the server logged (new reference). */
static json_t *last_logged(void)
{
	struct cirt_fetch_req req;
	struct cirt_fetch_res res;
	struct cirt_diag d;
	json_t *log, *e;
	char *body, url[64];
	size_t n;

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/_log", srv.port);
	cirt_fetch_req_init(&req, url);
	req.retries = 0;
	cirt_fetch_res_init(&res);
	cirt_diag_init(&d);
	assert_int_equal(cirt_fetch(&req, &res, &d), 0);
	body = slurp(res.fd, &n);
	log = json_loadb(body, n, 0, NULL);
	assert_non_null(log);
	assert_true(json_array_size(log) > 0);
	e = json_incref(json_array_get(log, json_array_size(log) - 1));
	json_decref(log);
	free(body);
	cirt_fetch_res_release(&res);
	return e;
}

static const char *str_of(json_t *o, const char *name)
{
	const char *s = json_string_value(json_object_get(o, name));

	return s != NULL ? s : "";
}

struct waits {
	unsigned n;
	int64_t ms[8];
};

static void record_wait(int64_t ms, void *arg)
{
	struct waits *w = arg;

	if (w->n < CIRT_ARRAY_LEN(w->ms))
		w->ms[w->n] = ms;
	w->n++;
}

/* ---- plain GET ---- */

static void test_fetch_ok_with_validators(void **state)
{
	struct cirt_fetch_req req;
	struct cirt_fetch_res res;
	struct cirt_diag d;
	char hex[CIRT_SHA256_HEX_LEN], etag[CIRT_SHA256_HEX_LEN + 2];
	char *body;
	size_t n;
	json_t *e;

	(void)state;
	NEED_SERVER();
	cirt_sha256_hex(FEED_TEXT, strlen(FEED_TEXT), hex);
	snprintf(etag, sizeof(etag), "\"%s\"", hex);
	req_for(&req, "/feed.txt");
	cirt_fetch_res_init(&res);
	cirt_diag_init(&d);
	assert_int_equal(cirt_fetch(&req, &res, &d), 0);
	assert_int_equal(res.status, 200);
	assert_false(res.not_modified);
	assert_int_equal(res.attempts, 1);
	assert_int_equal(res.bytes, strlen(FEED_TEXT));
	assert_string_equal(res.etag, etag);
	assert_string_equal(res.last_modified, FEED_LM);
	assert_true(res.last_modified_us == FEED_MTIME * CIRT_US_PER_SEC);
	assert_string_equal(res.content_type, "text/plain");
	assert_int_equal(lseek(res.fd, 0, SEEK_CUR), 0);
	body = slurp(res.fd, &n);
	assert_string_equal(body, FEED_TEXT);
	free(body);
	cirt_fetch_res_release(&res);
	assert_int_equal(res.fd, -1);

	e = last_logged();
	assert_string_equal(str_of(e, "path"), "/feed.txt");
	assert_string_equal(str_of(e, "user_agent"), "cirtkit/" CIRT_VERSION);
	assert_string_equal(str_of(e, "accept"), "*/*");
	assert_true(json_is_null(json_object_get(e, "if_none_match")));
	json_decref(e);
}

static void test_fetch_conditional_not_modified(void **state)
{
	struct cirt_fetch_req req;
	struct cirt_fetch_res first, res;
	struct cirt_diag d;
	json_t *e;

	(void)state;
	NEED_SERVER();
	req_for(&req, "/feed.txt");
	cirt_fetch_res_init(&first);
	cirt_fetch_res_init(&res);
	cirt_diag_init(&d);
	assert_int_equal(cirt_fetch(&req, &first, &d), 0);

	/* The ETag: 304, no body, the validators still there. */
	req.etag = first.etag;
	assert_int_equal(cirt_fetch(&req, &res, &d), 0);
	assert_int_equal(res.status, 304);
	assert_true(res.not_modified);
	assert_int_equal(res.fd, -1);
	assert_int_equal(res.bytes, 0);
	assert_string_equal(res.etag, first.etag);
	assert_string_equal(res.last_modified, FEED_LM);
	e = last_logged();
	assert_string_equal(str_of(e, "if_none_match"), first.etag);
	json_decref(e);

	/* Last-Modified alone. */
	req.etag = NULL;
	req.last_modified = first.last_modified;
	assert_int_equal(cirt_fetch(&req, &res, &d), 0);
	assert_true(res.not_modified);
	e = last_logged();
	assert_string_equal(str_of(e, "if_modified_since"), FEED_LM);
	json_decref(e);

	/* Stale validators: the body again. */
	req.etag = "\"0000\"";
	req.last_modified = NULL;
	assert_int_equal(cirt_fetch(&req, &res, &d), 0);
	assert_int_equal(res.status, 200);
	assert_int_equal(res.bytes, strlen(FEED_TEXT));
	assert_true(res.fd >= 0);
	req.etag = NULL;
	req.last_modified = "Mon, 01 Jan 2001 00:00:00 GMT";
	assert_int_equal(cirt_fetch(&req, &res, &d), 0);
	assert_int_equal(res.status, 200);
	assert_int_equal(d.code, 0);
	cirt_fetch_res_release(&res);
	cirt_fetch_res_release(&first);
}

/* Fetch path with a cap; the code, and on success the byte count. */
static int fetch_capped(const char *path, uint64_t max, uint64_t want,
			struct cirt_diag *d)
{
	struct cirt_fetch_req req;
	struct cirt_fetch_res res;
	int rc;

	req_for(&req, path);
	req.size_max = max;
	cirt_fetch_res_init(&res);
	cirt_diag_init(d);
	rc = cirt_fetch(&req, &res, d);
	if (rc == 0)
		assert_true(res.bytes == want);
	else
		assert_int_equal(res.fd, -1);
	cirt_fetch_res_release(&res);
	return rc;
}

static void test_fetch_size_cap_content_length(void **state)
{
	struct cirt_diag d;

	(void)state;
	NEED_SERVER();
	assert_int_equal(fetch_capped("/size.bin", SIZE_BYTES, SIZE_BYTES, &d),
			 0);
	assert_int_equal(fetch_capped("/size.bin", SIZE_BYTES - 1, 0, &d),
			 -CIRT_ELIMIT);
	assert_string_equal(d.field, "url");
	assert_non_null(strstr(d.message, "/size.bin"));
	assert_int_equal(fetch_capped("/_big?bytes=70000", 70000, 70000, &d),
			 0);
	assert_int_equal(fetch_capped("/_big?bytes=70000", 69999, 0, &d),
			 -CIRT_ELIMIT);
}

static void test_fetch_size_cap_streaming(void **state)
{
	struct cirt_diag d;
	int64_t t0;

	(void)state;
	NEED_SERVER();
	assert_int_equal(fetch_capped("/_big?bytes=200000&chunked=1", 200000,
				      200000, &d),
			 0);
	assert_int_equal(
		fetch_capped("/_big?bytes=200000&chunked=1", 199999, 0, &d),
		-CIRT_ELIMIT);
	assert_non_null(strstr(d.message, "/_big"));
	/* 4 GiB announced nowhere: stopped at the cap, not downloaded. */
	t0 = cirt_time_mono_ns();
	assert_int_equal(fetch_capped("/_big?bytes=4294967296&chunked=1",
				      1 << 20, 0, &d),
			 -CIRT_ELIMIT);
	assert_true(cirt_time_mono_ns() - t0 < INT64_C(5000000000));
}

static void test_fetch_timeout(void **state)
{
	struct cirt_fetch_req req;
	struct cirt_fetch_res res;
	struct cirt_diag d;
	int64_t t0;

	(void)state;
	NEED_SERVER();
	req_for(&req, "/_slow?seconds=3");
	req.timeout_ms = 300;
	cirt_fetch_res_init(&res);
	cirt_diag_init(&d);
	t0 = cirt_time_mono_ns();
	assert_int_equal(cirt_fetch(&req, &res, &d), -CIRT_EIO);
	assert_true(cirt_time_mono_ns() - t0 < INT64_C(2500000000));
	assert_non_null(strstr(d.message, "/_slow"));
	assert_non_null(strstr(d.message, "imed out"));
	assert_int_equal(res.fd, -1);
	assert_int_equal(res.attempts, 1);
}

/* ---- retries ---- */

static void test_fetch_retry_recovers(void **state)
{
	struct cirt_fetch_req req;
	struct cirt_fetch_res res;
	struct cirt_diag d;
	struct waits w = {0};

	(void)state;
	NEED_SERVER();
	ctl("/_reset");
	ctl("/_fail?n=2&status=503");
	req_for(&req, "/feed.txt");
	req.retries = 3;
	req.retry_base_ms = 100;
	req.sleep = record_wait;
	req.sleep_arg = &w;
	cirt_fetch_res_init(&res);
	cirt_diag_init(&d);
	assert_int_equal(cirt_fetch(&req, &res, &d), 0);
	assert_int_equal(d.code, 0);
	assert_int_equal(res.status, 200);
	assert_int_equal(res.attempts, 3);
	assert_int_equal(res.bytes, strlen(FEED_TEXT));
	/* Retry-After: 0 is honoured over the backoff. */
	assert_int_equal(w.n, 2);
	assert_int_equal(w.ms[0], 0);
	assert_int_equal(w.ms[1], 0);
	cirt_fetch_res_release(&res);
}

static void test_fetch_retry_gives_up(void **state)
{
	struct cirt_fetch_req req;
	struct cirt_fetch_res res;
	struct cirt_diag d;
	struct waits w = {0};

	(void)state;
	NEED_SERVER();
	ctl("/_reset");
	ctl("/_fail?n=9&status=503");
	req_for(&req, "/feed.txt");
	req.retries = 2;
	req.sleep = record_wait;
	req.sleep_arg = &w;
	cirt_fetch_res_init(&res);
	cirt_diag_init(&d);
	assert_int_equal(cirt_fetch(&req, &res, &d), -CIRT_EIO);
	assert_int_equal(res.attempts, 3);
	assert_int_equal(res.status, 503);
	assert_int_equal(res.fd, -1);
	assert_int_equal(w.n, 2);
	assert_non_null(strstr(d.message, "HTTP 503"));
	assert_non_null(strstr(d.message, "/feed.txt"));

	/* 429: -CIRT_EAGAIN; a long Retry-After is cut to retry_max_ms. */
	ctl("/_reset");
	ctl("/_fail?n=9&status=429&retry_after=3600");
	w.n = 0;
	req.retry_max_ms = 2500;
	assert_int_equal(cirt_fetch(&req, &res, &d), -CIRT_EAGAIN);
	assert_int_equal(res.status, 429);
	assert_int_equal(w.n, 2);
	assert_int_equal(w.ms[0], 2500);
	assert_int_equal(w.ms[1], 2500);

	/* A Retry-After that is neither seconds nor a date: the backoff. */
	ctl("/_reset");
	ctl("/_fail?n=9&status=502&retry_after=soon");
	w.n = 0;
	req.retry_base_ms = 100;
	assert_int_equal(cirt_fetch(&req, &res, &d), -CIRT_EIO);
	assert_int_equal(w.n, 2);
	assert_int_equal(w.ms[0], 100);
	assert_int_equal(w.ms[1], 200);
	ctl("/_reset");
}

/* A port nobody listens on (bound, then closed). */
static int dead_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(s >= 0);
	assert_int_equal(bind(s, (struct sockaddr *)&a, len), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&a, &len), 0);
	close(s);
	return ntohs(a.sin_port);
}

static void test_fetch_retry_backoff_on_refused(void **state)
{
	struct cirt_fetch_req req;
	struct cirt_fetch_res res;
	struct cirt_diag d;
	struct waits w = {0};
	char url[64];

	(void)state;
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/x", dead_port());
	cirt_fetch_req_init(&req, url);
	req.retries = 3;
	req.retry_base_ms = 50;
	req.retry_max_ms = 120;
	req.sleep = record_wait;
	req.sleep_arg = &w;
	cirt_fetch_res_init(&res);
	cirt_diag_init(&d);
	assert_int_equal(cirt_fetch(&req, &res, &d), -CIRT_EIO);
	assert_int_equal(res.attempts, 4);
	assert_int_equal(res.status, 0);
	assert_int_equal(w.n, 3);
	assert_int_equal(w.ms[0], 50);
	assert_int_equal(w.ms[1], 100);
	assert_int_equal(w.ms[2], 120);
	assert_non_null(strstr(d.message, url));
}

/* ---- what is refused ---- */

static void test_fetch_schemes_refused(void **state)
{
	static const char *const bad[] = {
		"file:///etc/passwd",
		"ftp://127.0.0.1/pub/feed.txt",
		"gopher://127.0.0.1/1",
		"dict://127.0.0.1/d:x",
		"scp://127.0.0.1/x",
		"",
		"not a url",
		"127.0.0.1/feed.txt",
		"http:///feed.txt",
		"http://127.0.0.1/a\nb",
		"http://127.0.0.1/\xc3\xa9",
	};
	struct cirt_fetch_req req;
	struct cirt_fetch_res res;
	struct cirt_diag d;
	char *user_url;

	(void)state;
	cirt_fetch_res_init(&res);
	for (size_t i = 0; i < CIRT_ARRAY_LEN(bad); i++) {
		cirt_fetch_req_init(&req, bad[i]);
		cirt_diag_init(&d);
		assert_int_equal(cirt_fetch(&req, &res, &d), -CIRT_EINVAL);
		assert_string_equal(d.field, "url");
		assert_int_equal(res.fd, -1);
		assert_int_equal(res.attempts, 0);
	}
	cirt_fetch_req_init(&req, NULL);
	assert_int_equal(cirt_fetch(&req, &res, NULL), -CIRT_EINVAL);

	/* Too long; and credentials in a URL stay out of messages. */
	user_url = malloc(CIRT_FETCH_URL_MAX + 2);
	assert_non_null(user_url);
	memset(user_url, 'a', CIRT_FETCH_URL_MAX + 1);
	memcpy(user_url, "ftp://u:pw@x/", 13);
	user_url[CIRT_FETCH_URL_MAX + 1] = '\0';
	cirt_fetch_req_init(&req, user_url);
	cirt_diag_init(&d);
	assert_int_equal(cirt_fetch(&req, &res, &d), -CIRT_ELIMIT);
	user_url[200] = '\0';
	cirt_fetch_req_init(&req, user_url);
	cirt_diag_init(&d);
	assert_int_equal(cirt_fetch(&req, &res, &d), -CIRT_EINVAL);
	assert_null(strstr(d.message, "pw"));
	free(user_url);
}

static void test_fetch_redirects(void **state)
{
	struct cirt_fetch_req req;
	struct cirt_fetch_res res;
	struct cirt_diag d;

	(void)state;
	NEED_SERVER();
	cirt_fetch_res_init(&res);
	req_for(&req, "/_redirect?to=/feed.txt");
	cirt_diag_init(&d);
	assert_int_equal(cirt_fetch(&req, &res, &d), 0);
	assert_int_equal(res.bytes, strlen(FEED_TEXT));
	assert_true(res.etag[0] == '"');

	req_for(&req, "/_redirect?to=file:///etc/passwd");
	assert_int_equal(cirt_fetch(&req, &res, &d), -CIRT_EPROTO);
	assert_int_equal(res.fd, -1);
	cirt_diag_init(&d);
	req_for(&req, "/_redirect?to=ftp://127.0.0.1/x");
	assert_int_equal(cirt_fetch(&req, &res, &d), -CIRT_EPROTO);

	req_for(&req, "/_loop?n=5");
	cirt_diag_init(&d);
	assert_int_equal(cirt_fetch(&req, &res, &d), 0);
	req_for(&req, "/_loop?n=6");
	assert_int_equal(cirt_fetch(&req, &res, &d), -CIRT_EPROTO);
	assert_non_null(strstr(d.message, "redirects"));
	cirt_fetch_res_release(&res);
}

static void test_fetch_not_found(void **state)
{
	struct cirt_fetch_req req;
	struct cirt_fetch_res res;
	struct cirt_diag d;

	(void)state;
	NEED_SERVER();
	req_for(&req, "/nope.txt");
	req.retries = 3; /* a 404 is not retried */
	cirt_fetch_res_init(&res);
	cirt_diag_init(&d);
	assert_int_equal(cirt_fetch(&req, &res, &d), -CIRT_EPROTO);
	assert_int_equal(res.status, 404);
	assert_int_equal(res.attempts, 1);
	assert_int_equal(res.fd, -1);
	assert_non_null(strstr(d.message, "HTTP 404"));
	assert_non_null(strstr(d.message, "/nope.txt"));
}

static void test_fetch_request_headers(void **state)
{
	static const char *const crlf[] = {"X-A: 1\r\nX-B: 2", NULL};
	static const char *const noname[] = {": v", NULL};
	static const char *const ok[] = {"X-Feed: 1",
					 "Authorization: Token abc", NULL};
	struct cirt_fetch_req req;
	struct cirt_fetch_res res;
	struct cirt_diag d;
	json_t *e;

	(void)state;
	NEED_SERVER();
	cirt_fetch_res_init(&res);
	req_for(&req, "/feed.txt");
	req.headers = crlf;
	cirt_diag_init(&d);
	assert_int_equal(cirt_fetch(&req, &res, &d), -CIRT_EINVAL);
	req.headers = noname;
	assert_int_equal(cirt_fetch(&req, &res, NULL), -CIRT_EINVAL);
	req.headers = NULL;
	req.etag = "\"a\"\r\nX-Evil: 1";
	assert_int_equal(cirt_fetch(&req, &res, NULL), -CIRT_EINVAL);
	req.etag = NULL;
	req.basic = "u:p";
	req.bearer = "t";
	assert_int_equal(cirt_fetch(&req, &res, NULL), -CIRT_EINVAL);
	req.bearer = NULL;
	req.basic = "u:p\n";
	assert_int_equal(cirt_fetch(&req, &res, NULL), -CIRT_EINVAL);

	req.basic = NULL;
	req.headers = ok;
	req.accept = "text/csv";
	cirt_diag_init(&d);
	assert_int_equal(cirt_fetch(&req, &res, &d), 0);
	e = last_logged();
	assert_true(json_is_true(json_object_get(e, "authorization")));
	assert_string_equal(str_of(e, "accept"), "text/csv");
	json_decref(e);
	cirt_fetch_res_release(&res);
}

static void test_fetch_response_headers_checked(void **state)
{
	struct cirt_fetch_req req;
	struct cirt_fetch_res res;
	struct cirt_diag d;
	char path[2300];
	int n;

	(void)state;
	NEED_SERVER();
	cirt_fetch_res_init(&res);
	/* An ETag longer than CIRT_FETCH_VALUE_MAX is dropped. */
	n = snprintf(path, sizeof(path), "/_headers?h=ETag:%%22");
	memset(path + n, 'e', 2000);
	snprintf(path + n + 2000, sizeof(path) - (size_t)n - 2000,
		 "%%22&h=X-TAXII-Date-Added-Last:2026-01-01T00:00:00Z");
	req_for(&req, path);
	cirt_diag_init(&d);
	assert_int_equal(cirt_fetch(&req, &res, &d), 0);
	assert_string_equal(res.etag, "");
	assert_string_equal(res.date_added_last, "2026-01-01T00:00:00Z");
	assert_true(res.last_modified_us == 0);
	cirt_fetch_res_release(&res);
}

/* HTTPS against a second server with a self-signed certificate (made
 * with /usr/bin/openssl; skipped without it): trusted through ca_file,
 * refused without it, and that refusal is not retried. */
static void test_fetch_https_ca_file(void **state)
{
	static const char *const tls[] = {"--tls", NULL, NULL, NULL};
	const char *extra[4];
	char cert[128], key[128], url[128];
	const char *argv[] = {"/usr/bin/openssl",
			      "req",
			      "-x509",
			      "-newkey",
			      "ec",
			      "-pkeyopt",
			      "ec_paramgen_curve:prime256v1",
			      "-nodes",
			      "-keyout",
			      key,
			      "-out",
			      cert,
			      "-days",
			      "2",
			      "-subj",
			      "/CN=127.0.0.1",
			      "-addext",
			      "subjectAltName=IP:127.0.0.1,DNS:localhost",
			      NULL};
	struct proc p = {.pid = -1, .stdin_fd = -1};
	struct cirt_fetch_req req;
	struct cirt_fetch_res res;
	struct cirt_diag d;
	int in, status = -1;
	pid_t pid;

	(void)state;
	NEED_SERVER();
	if (access(argv[0], X_OK) != 0) {
		printf("# SKIP https: %s is missing\n", argv[0]);
		skip();
	}
	snprintf(cert, sizeof(cert), "%s/cert.pem", srv.dir);
	snprintf(key, sizeof(key), "%s/key.pem", srv.dir);
	pid = spawn(argv, &in, NULL);
	assert_true(pid > 0);
	close(in);
	waitpid(pid, &status, 0);
	assert_int_equal(status, 0);
	memcpy(extra, tls, sizeof(extra));
	extra[1] = cert;
	extra[2] = key;
	assert_int_equal(start_server(&p, extra), 0);

	snprintf(url, sizeof(url), "https://127.0.0.1:%d/feed.txt", p.port);
	cirt_fetch_req_init(&req, url);
	req.retries = 2;
	req.ca_file = cert;
	cirt_fetch_res_init(&res);
	cirt_diag_init(&d);
	assert_int_equal(cirt_fetch(&req, &res, &d), 0);
	assert_int_equal(res.status, 200);
	assert_int_equal(res.bytes, strlen(FEED_TEXT));
	req.ca_file = NULL;
	assert_int_equal(cirt_fetch(&req, &res, &d), -CIRT_EIO);
	assert_int_equal(res.attempts, 1);
	assert_int_equal(res.fd, -1);
	stop_server(&p);
}

/* ---- TAXII 2.1 ---- */

static void taxii_req(struct cirt_fetch_taxii_req *t, const char *collection)
{
	memset(t, 0, sizeof(*t));
	cirt_fetch_req_init(&t->http, NULL);
	t->http.retries = 0;
	t->http.basic = TAXII_USER;
	t->collection = url_of(collection);
}

/* Count the objects in the page's fd, as the STIX parser will see it. */
static size_t objects_in(int fd)
{
	size_t n;
	char *body = slurp(fd, &n);
	json_t *env = json_loadb(body, n, 0, NULL);
	size_t count;

	assert_non_null(env);
	count = json_array_size(json_object_get(env, "objects"));
	json_decref(env);
	free(body);
	return count;
}

static void test_fetch_taxii_pages(void **state)
{
	static const struct {
		size_t count;
		bool more;
		const char *next, *last;
	} pages[] = {
		{3, true, "n+3", "2026-01-03T00:00:00.000Z"},
		{3, true, "n+6", "2026-01-06T00:00:00.000Z"},
		{1, false, "", "2026-01-07T00:00:00.000Z"},
	};
	struct cirt_fetch_taxii_req t;
	struct cirt_fetch_taxii_res res;
	struct cirt_diag d;
	char next[CIRT_FETCH_NEXT_MAX + 1] = "";
	json_t *e;

	(void)state;
	NEED_SERVER();
	taxii_req(&t, "/taxii2/api1/collections/coll1");
	t.limit = 3;
	cirt_fetch_taxii_res_init(&res);
	for (size_t i = 0; i < CIRT_ARRAY_LEN(pages); i++) {
		t.next = next;
		cirt_diag_init(&d);
		assert_int_equal(cirt_fetch_taxii_page(&t, &res, &d), 0);
		assert_int_equal(res.count, pages[i].count);
		assert_int_equal(res.more, pages[i].more);
		assert_string_equal(res.next, pages[i].next);
		assert_string_equal(res.http.date_added_last, pages[i].last);
		assert_int_equal(objects_in(res.http.fd), pages[i].count);
		e = last_logged();
		assert_string_equal(str_of(e, "accept"),
				    "application/taxii+json;version=2.1");
		assert_true(json_is_true(json_object_get(e, "authorization")));
		if (i == 1)
			assert_string_equal(str_of(e, "path"),
					    "/taxii2/api1/collections/coll1/"
					    "objects/?limit=3&next=n%2B3");
		json_decref(e);
		snprintf(next, sizeof(next), "%s", res.next);
	}
	cirt_fetch_taxii_res_release(&res);
	assert_int_equal(res.http.fd, -1);
}

static void test_fetch_taxii_added_after(void **state)
{
	struct cirt_fetch_taxii_req t;
	struct cirt_fetch_taxii_res res;
	struct cirt_diag d;
	json_t *e;

	(void)state;
	NEED_SERVER();
	taxii_req(&t, "/taxii2/api1/collections/coll1/");
	t.added_after = "2026-01-05T00:00:00.000Z";
	cirt_fetch_taxii_res_init(&res);
	cirt_diag_init(&d);
	assert_int_equal(cirt_fetch_taxii_page(&t, &res, &d), 0);
	assert_int_equal(res.count, 2);
	assert_false(res.more);
	assert_string_equal(res.next, "");
	assert_string_equal(res.http.date_added_last,
			    "2026-01-07T00:00:00.000Z");
	e = last_logged();
	assert_string_equal(str_of(e, "path"),
			    "/taxii2/api1/collections/coll1/objects/"
			    "?added_after=2026-01-05T00%3A00%3A00.000Z");
	json_decref(e);

	/* Nothing newer: an empty envelope. */
	t.added_after = "2026-02-01T00:00:00Z";
	assert_int_equal(cirt_fetch_taxii_page(&t, &res, &d), 0);
	assert_int_equal(res.count, 0);
	assert_false(res.more);
	assert_string_equal(res.http.date_added_last, "");

	t.added_after = "yesterday";
	assert_int_equal(cirt_fetch_taxii_page(&t, &res, &d), -CIRT_EINVAL);
	assert_string_equal(d.field, "added_after");
	assert_int_equal(res.http.fd, -1);
	cirt_fetch_taxii_res_release(&res);
}

static void test_fetch_taxii_credentials(void **state)
{
	struct cirt_fetch_taxii_req t;
	struct cirt_fetch_taxii_res res;
	struct cirt_diag d;

	(void)state;
	NEED_SERVER();
	cirt_fetch_taxii_res_init(&res);
	taxii_req(&t, "/taxii2/api1/collections/coll1/");
	t.http.basic = NULL;
	cirt_diag_init(&d);
	assert_int_equal(cirt_fetch_taxii_page(&t, &res, &d), -CIRT_EPROTO);
	assert_int_equal(res.http.status, 401);
	t.http.basic = "alice:wrong";
	assert_int_equal(cirt_fetch_taxii_page(&t, &res, NULL), -CIRT_EPROTO);
	t.http.basic = NULL;
	t.http.bearer = TAXII_TOKEN;
	cirt_diag_init(&d);
	assert_int_equal(cirt_fetch_taxii_page(&t, &res, &d), 0);
	assert_int_equal(res.count, TAXII_N);
	cirt_fetch_taxii_res_release(&res);
}

static void test_fetch_taxii_bad_envelopes(void **state)
{
	struct cirt_fetch_taxii_req t;
	struct cirt_fetch_taxii_res res;
	struct cirt_diag d;

	(void)state;
	NEED_SERVER();
	cirt_fetch_taxii_res_init(&res);
	taxii_req(&t, "/taxii2/api1/collections/garbage/");
	cirt_diag_init(&d);
	assert_int_equal(cirt_fetch_taxii_page(&t, &res, &d), -CIRT_EPROTO);
	assert_int_equal(res.http.fd, -1);
	assert_non_null(strstr(d.message, "TAXII envelope"));
	taxii_req(&t, "/taxii2/api1/collections/badmore/");
	assert_int_equal(cirt_fetch_taxii_page(&t, &res, NULL), -CIRT_EPROTO);
	taxii_req(&t, "/taxii2/api1/collections/longnext/");
	assert_int_equal(cirt_fetch_taxii_page(&t, &res, NULL), -CIRT_ELIMIT);
	taxii_req(&t, "/taxii2/api1/collections/none/");
	assert_int_equal(cirt_fetch_taxii_page(&t, &res, NULL), -CIRT_EPROTO);
	assert_int_equal(res.http.status, 404);
	/* A JSON body, but not served as JSON. */
	taxii_req(&t, "/plain");
	cirt_diag_init(&d);
	assert_int_equal(cirt_fetch_taxii_page(&t, &res, &d), -CIRT_EMEDIA);
	assert_non_null(strstr(d.message, "text/plain"));
	assert_int_equal(res.http.fd, -1);
	t.collection = url_of("/c?x=1");
	assert_int_equal(cirt_fetch_taxii_page(&t, &res, NULL), -CIRT_EINVAL);
	cirt_fetch_taxii_res_release(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fetch_ok_with_validators),
		cmocka_unit_test(test_fetch_conditional_not_modified),
		cmocka_unit_test(test_fetch_size_cap_content_length),
		cmocka_unit_test(test_fetch_size_cap_streaming),
		cmocka_unit_test(test_fetch_timeout),
		cmocka_unit_test(test_fetch_retry_recovers),
		cmocka_unit_test(test_fetch_retry_gives_up),
		cmocka_unit_test(test_fetch_retry_backoff_on_refused),
		cmocka_unit_test(test_fetch_schemes_refused),
		cmocka_unit_test(test_fetch_redirects),
		cmocka_unit_test(test_fetch_not_found),
		cmocka_unit_test(test_fetch_request_headers),
		cmocka_unit_test(test_fetch_response_headers_checked),
		cmocka_unit_test(test_fetch_https_ca_file),
		cmocka_unit_test(test_fetch_taxii_pages),
		cmocka_unit_test(test_fetch_taxii_added_after),
		cmocka_unit_test(test_fetch_taxii_credentials),
		cmocka_unit_test(test_fetch_taxii_bad_envelopes),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
