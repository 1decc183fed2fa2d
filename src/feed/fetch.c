/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * HTTP(S) GET with libcurl's easy interface, and one TAXII 2.1 page on
 * top of it. See feed/fetch.h for the contracts. Not here: scheduling,
 * the validators' storage, the loop over pages, parsing the objects.
 *
 * One curl handle per call, reused by its retries. The body goes through
 * on_body() into an unlinked temporary file (O_TMPFILE where the file
 * system has it, else mkostemp and unlink) that is emptied before each
 * attempt, and counted there against size_max: CURLOPT_MAXFILESIZE only
 * looks at Content-Length (refusing early), the count catches chunked
 * and decompressed bodies. Response headers are read by on_header(),
 * which starts over at each status line, so what is kept belongs to the
 * last answer after redirects; values that are too long or not printable
 * ASCII are dropped, since they go back to a server in the next run.
 *
 * Each attempt reports into a diag of its own; only the last one's
 * message reaches the caller, who sees one error, not the retries (those
 * are logged as warnings, without credentials).
 */
#define _GNU_SOURCE /* O_TMPFILE, mkostemp */
#include "feed/fetch.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/parse.h"
#include "core/time.h"
#include "stix/stix_bundle.h"
#include "version.h"
#include "core/banned.h"

#define USER_AGENT   "cirtkit/" CIRT_VERSION
#define TAXII_ACCEPT "application/taxii+json;version=2.1"
#define SHOWN_MAX    200 /* bytes of a URL in a message */
#define SNIPPET_MAX  160 /* bytes of an error answer's body in a message */

/* One transfer's state, shared by the callbacks. */
struct xfer {
	int fd;
	uint64_t bytes;
	uint64_t max;
	bool too_big;
	int write_errno;
	int64_t retry_after_ms; /* -1: no usable Retry-After */
	struct cirt_fetch_res *res;
	char errbuf[CURL_ERROR_SIZE];
	char shown[SHOWN_MAX + 8]; /* the URL for messages */
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_setup_rc;

static void curl_setup(void)
{
	curl_setup_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* ---- requests ---- */

void cirt_fetch_req_init(struct cirt_fetch_req *req, const char *url)
{
	memset(req, 0, sizeof(*req));
	req->url = url;
	req->timeout_ms = CIRT_FETCH_TIMEOUT_MS;
	req->connect_timeout_ms = CIRT_FETCH_CONNECT_TIMEOUT_MS;
	req->size_max = CIRT_FETCH_SIZE_MAX;
	req->retries = CIRT_FETCH_RETRIES;
	req->retry_base_ms = CIRT_FETCH_RETRY_BASE_MS;
	req->retry_max_ms = CIRT_FETCH_RETRY_MAX_MS;
}

void cirt_fetch_res_init(struct cirt_fetch_res *res)
{
	memset(res, 0, sizeof(*res));
	res->fd = -1;
}

void cirt_fetch_res_release(struct cirt_fetch_res *res)
{
	if (res->fd >= 0)
		close(res->fd);
	res->fd = -1;
}

static bool given(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* Printable ASCII and tabs only: nothing that could end a header line. */
static bool printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t') || c >= 0x7f)
			return false;
	}
	return true;
}

/* The URL for messages: without the user:password@ of its authority,
 * cut at SHOWN_MAX bytes. Works on text that is not a valid URL too. */
static void show_url(const char *url, char *out, size_t n)
{
	const char *auth = url, *at = NULL, *end, *rest;
	const char *s = strstr(url, "://");
	size_t pre;

	if (s != NULL && s - url < 32) {
		auth = s + 3;
		end = auth + strcspn(auth, "/?#");
		for (const char *p = auth; p < end; p++)
			if (*p == '@')
				at = p;
	}
	pre = (size_t)(auth - url);
	rest = at != NULL ? at + 1 : auth;
	snprintf(out, n, "%.*s%.*s%s", (int)pre, url,
		 (int)(SHOWN_MAX - CIRT_MIN(pre, SHOWN_MAX)), rest,
		 pre + strlen(rest) > SHOWN_MAX ? "..." : "");
}

/*
 * Check the URL: at most CIRT_FETCH_URL_MAX bytes of visible ASCII, a
 * URL curl can parse, with a host and the scheme http or https. The form
 * for messages goes to shown.
 */
static int check_url(const char *url, char *shown, size_t n,
		     struct cirt_diag *d)
{
	CURLU *u;
	CURLUcode uc;
	char *scheme = NULL, *host = NULL;
	const char *auth;
	size_t len = url != NULL ? strlen(url) : 0;
	int rc = 0;

	show_url(url != NULL ? url : "", shown, n);
	if (len == 0)
		return cirt_diag_set(d, -CIRT_EINVAL, "url",
				     "the URL is empty");
	if (len > CIRT_FETCH_URL_MAX)
		return cirt_diag_set(d, -CIRT_ELIMIT, "url",
				     "URL %s is longer than %d bytes", shown,
				     CIRT_FETCH_URL_MAX);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)url[i] <= ' ' ||
		    (unsigned char)url[i] >= 0x7f)
			return cirt_diag_set(d, -CIRT_EINVAL, "url",
					     "URL %s has a space, a control "
					     "character or a byte that is not "
					     "ASCII at byte %zu",
					     shown, i);
	u = curl_url();
	if (u == NULL)
		return cirt_diag_set(d, -CIRT_EINTERNAL, "url",
				     "out of memory parsing a URL");
	uc = curl_url_set(u, CURLUPART_URL, url, 0);
	if (uc != CURLUE_OK) {
		rc = cirt_diag_set(d, -CIRT_EINVAL, "url",
				   "%s is not a valid URL: %s", shown,
				   curl_url_strerror(uc));
		goto out;
	}
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcasecmp(scheme, "http") != 0 &&
	     strcasecmp(scheme, "https") != 0)) {
		rc = cirt_diag_set(d, -CIRT_EINVAL, "url",
				   "URL %s: the scheme must be http or https",
				   shown);
		goto out;
	}
	/* curl reads "http:///x" as host x; an empty authority is no host. */
	auth = strstr(url, "://");
	if (auth == NULL || strchr("/?#", auth[3]) != NULL ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    host[0] == '\0')
		rc = cirt_diag_set(d, -CIRT_EINVAL, "url", "URL %s has no host",
				   shown);
out:
	curl_free(host);
	curl_free(scheme);
	curl_url_cleanup(u);
	return rc;
}

/* Append "Name: value" (value borrowed) to *list, checked. */
static int add_header(struct curl_slist **list, const char *name,
		      const char *value, struct cirt_diag *d)
{
	char line[CIRT_FETCH_HDR_MAX + 1];
	struct curl_slist *l;
	int n;

	if (!printable(value, strlen(value)))
		return cirt_diag_set(d, -CIRT_EINVAL, name,
				     "the %s header has a line break or a "
				     "byte that is not printable ASCII",
				     name);
	n = snprintf(line, sizeof(line), "%s: %s", name, value);
	if (n < 0 || (size_t)n >= sizeof(line))
		return cirt_diag_set(d, -CIRT_ELIMIT, name,
				     "the %s header is longer than %d bytes",
				     name, CIRT_FETCH_HDR_MAX);
	l = curl_slist_append(*list, line);
	if (l == NULL)
		return cirt_diag_set(d, -CIRT_EINTERNAL, name,
				     "out of memory building headers");
	*list = l;
	return 0;
}

/* The caller's own "Name: value" lines: a token, a colon, printable. */
static int add_extra(struct curl_slist **list, const char *const *hdrs,
		     struct cirt_diag *d)
{
	struct curl_slist *l;
	size_t i, len, name;

	for (i = 0; hdrs != NULL && hdrs[i] != NULL; i++) {
		if (i >= CIRT_FETCH_HDRS_MAX)
			return cirt_diag_set(d, -CIRT_ELIMIT, "headers",
					     "more than %d extra headers",
					     CIRT_FETCH_HDRS_MAX);
		len = strlen(hdrs[i]);
		name = strcspn(hdrs[i], ":");
		if (len > CIRT_FETCH_HDR_MAX)
			return cirt_diag_set(d, -CIRT_ELIMIT, "headers",
					     "extra header %zu is longer than "
					     "%d bytes",
					     i + 1, CIRT_FETCH_HDR_MAX);
		if (name == 0 || name == len || !printable(hdrs[i], len) ||
		    strcspn(hdrs[i], " \t") < name)
			return cirt_diag_set(d, -CIRT_EINVAL, "headers",
					     "extra header %zu is not one "
					     "\"Name: value\" line",
					     i + 1);
		l = curl_slist_append(*list, hdrs[i]);
		if (l == NULL)
			return cirt_diag_set(d, -CIRT_EINTERNAL, "headers",
					     "out of memory building headers");
		*list = l;
	}
	return 0;
}

static int build_headers(const struct cirt_fetch_req *req,
			 struct curl_slist **list, struct cirt_diag *d)
{
	int rc;

	rc = add_header(list, "Accept",
			given(req->accept) ? req->accept : "*/*", d);
	if (rc == 0 && given(req->etag))
		rc = add_header(list, "If-None-Match", req->etag, d);
	if (rc == 0 && given(req->last_modified))
		rc = add_header(list, "If-Modified-Since", req->last_modified,
				d);
	if (rc == 0)
		rc = add_extra(list, req->headers, d);
	if (rc == 0 && given(req->basic) && given(req->bearer))
		rc = cirt_diag_set(d, -CIRT_EINVAL, "auth",
				   "give Basic credentials or a bearer "
				   "token, not both");
	if (rc == 0 && ((given(req->basic) &&
			 !printable(req->basic, strlen(req->basic))) ||
			(given(req->bearer) &&
			 !printable(req->bearer, strlen(req->bearer)))))
		rc = cirt_diag_set(d, -CIRT_EINVAL, "auth",
				   "the credentials have a line break or a "
				   "byte that is not printable ASCII");
	return rc;
}

/* ---- the body and the headers ---- */

/* An unlinked file in $TMPDIR (when absolute) or /tmp. */
static int tmp_open(struct cirt_diag *d)
{
	const char *dir = getenv("TMPDIR");
	char path[PATH_MAX];
	int fd;

	if (dir == NULL || dir[0] != '/' || strlen(dir) > PATH_MAX - 64)
		dir = "/tmp";
#ifdef O_TMPFILE
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
#endif
	snprintf(path, sizeof(path), "%s/cirtkit-fetch-XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return cirt_diag_set(d, -CIRT_EIO, NULL,
				     "cannot create a temporary file in %s: %s",
				     dir, strerror(errno));
	unlink(path);
	return fd;
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n, off = 0;
	ssize_t w;

	if (len > x->max - x->bytes) {
		x->too_big = true;
		return 0;
	}
	while (off < len) {
		w = write(x->fd, p + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			x->write_errno = errno;
			return 0;
		}
		off += (size_t)w;
	}
	x->bytes += len;
	return len;
}

/* Keep v[0..n) in out[size] if it fits and is printable, else "". */
static void keep(char *out, size_t size, const char *v, size_t n)
{
	out[0] = '\0';
	if (n < size && printable(v, n)) {
		memcpy(out, v, n);
		out[n] = '\0';
	}
}

/* Retry-After as delay-seconds or an HTTP date, in ms from now; -1 if
 * it is neither (RFC 9110 section 10.2.3). */
static int64_t parse_retry_after(const char *v, size_t n)
{
	char s[64];
	int64_t sec;
	time_t t, now;

	if (n == 0 || n >= sizeof(s))
		return -1;
	memcpy(s, v, n);
	s[n] = '\0';
	if (cirt_parse_i64(s, 0, INT64_MAX / 1000, &sec) == 0)
		return sec * 1000;
	t = curl_getdate(s, NULL);
	if (t < 0)
		return -1;
	now = time(NULL);
	if (t <= now)
		return 0;
	return (int64_t)(t - now) > INT64_MAX / 1000
		       ? INT64_MAX
		       : (int64_t)(t - now) * 1000;
}

static void clear_headers(struct xfer *x)
{
	x->res->etag[0] = '\0';
	x->res->last_modified[0] = '\0';
	x->res->content_type[0] = '\0';
	x->res->date_added_last[0] = '\0';
	x->retry_after_ms = -1;
}

static bool named(const char *p, size_t n, const char *name)
{
	return n == strlen(name) && strncasecmp(p, name, n) == 0;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n, name;
	const char *v;
	size_t vn;

	if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		clear_headers(x);
		return len;
	}
	v = memchr(p, ':', len);
	if (v == NULL)
		return len;
	name = (size_t)(v - p);
	v++;
	vn = len - name - 1;
	while (vn > 0 && (*v == ' ' || *v == '\t'))
		v++, vn--;
	while (vn > 0 && (v[vn - 1] == '\r' || v[vn - 1] == '\n' ||
			  v[vn - 1] == ' ' || v[vn - 1] == '\t'))
		vn--;
	if (named(p, name, "ETag"))
		keep(x->res->etag, sizeof(x->res->etag), v, vn);
	else if (named(p, name, "Last-Modified"))
		keep(x->res->last_modified, sizeof(x->res->last_modified), v,
		     vn);
	else if (named(p, name, "Content-Type"))
		keep(x->res->content_type, sizeof(x->res->content_type), v, vn);
	else if (named(p, name, "X-TAXII-Date-Added-Last"))
		keep(x->res->date_added_last, sizeof(x->res->date_added_last),
		     v, vn);
	else if (named(p, name, "Retry-After"))
		x->retry_after_ms = parse_retry_after(v, vn);
	return len;
}

/* ---- one attempt ---- */

/* The start of the answer's body, for a message: control bytes become
 * spaces. */
static void snippet(int fd, uint64_t bytes, char out[SNIPPET_MAX + 4])
{
	ssize_t n, got;

	out[0] = '\0';
	if (bytes == 0)
		return;
	n = got = pread(fd, out, SNIPPET_MAX, 0);
	if (n <= 0) {
		out[0] = '\0';
		return;
	}
	for (ssize_t i = 0; i < n; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = ' ';
	while (n > 0 && out[n - 1] == ' ')
		n--;
	snprintf(out + n, 4, "%s", bytes > (uint64_t)got ? "..." : "");
}

static bool retryable(CURLcode cc)
{
	switch (cc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
		return true;
	default:
		return false;
	}
}

static int curl_failed(struct xfer *x, CURLcode cc, bool *retry,
		       struct cirt_diag *d)
{
	const char *why =
		x->errbuf[0] != '\0' ? x->errbuf : curl_easy_strerror(cc);

	if (x->too_big || cc == CURLE_FILESIZE_EXCEEDED)
		return cirt_diag_set(d, -CIRT_ELIMIT, "url",
				     "GET %s: the body is larger than %" PRIu64
				     " bytes",
				     x->shown, x->max);
	if (x->write_errno != 0)
		return cirt_diag_set(d, -CIRT_EIO, "url",
				     "GET %s: cannot write the body to a "
				     "temporary file: %s",
				     x->shown, strerror(x->write_errno));
	if (cc == CURLE_UNSUPPORTED_PROTOCOL)
		return cirt_diag_set(d, -CIRT_EPROTO, "url",
				     "GET %s: redirected to a scheme other "
				     "than http or https (%s)",
				     x->shown, why);
	if (cc == CURLE_TOO_MANY_REDIRECTS)
		return cirt_diag_set(d, -CIRT_EPROTO, "url",
				     "GET %s: more than %d redirects", x->shown,
				     CIRT_FETCH_REDIRECTS_MAX);
	*retry = retryable(cc);
	return cirt_diag_set(d, -CIRT_EIO, "url", "GET %s: %s", x->shown, why);
}

static int status_failed(struct xfer *x, long status, bool *retry,
			 struct cirt_diag *d)
{
	char body[SNIPPET_MAX + 4];

	if (status == 429) {
		*retry = true;
		return cirt_diag_set(d, -CIRT_EAGAIN, "url",
				     "GET %s: HTTP 429 (too many requests)",
				     x->shown);
	}
	snippet(x->fd, x->bytes, body);
	if (status >= 500 && status <= 599) {
		*retry = true;
		return cirt_diag_set(d, -CIRT_EIO, "url",
				     "GET %s: HTTP %ld%s%s", x->shown, status,
				     body[0] ? ": " : "", body);
	}
	if (status >= 400 && status <= 499)
		return cirt_diag_set(d, -CIRT_EPROTO, "url",
				     "GET %s: HTTP %ld%s%s", x->shown, status,
				     body[0] ? ": " : "", body);
	return cirt_diag_set(d, -CIRT_EPROTO, "url",
			     "GET %s: unexpected HTTP status %ld", x->shown,
			     status);
}

/* One request. 0 on a 2xx or 304; *retry tells whether a failure is
 * worth another attempt. */
static int attempt(CURL *h, struct xfer *x, bool *retry, struct cirt_diag *d)
{
	CURLcode cc;
	long status = 0;

	*retry = false;
	if (ftruncate(x->fd, 0) < 0 || lseek(x->fd, 0, SEEK_SET) < 0)
		return cirt_diag_set(d, -CIRT_EIO, NULL,
				     "cannot empty the temporary file: %s",
				     strerror(errno));
	x->bytes = 0;
	x->too_big = false;
	x->write_errno = 0;
	x->errbuf[0] = '\0';
	clear_headers(x);
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	x->res->status = status;
	if (cc != CURLE_OK)
		return curl_failed(x, cc, retry, d);
	if ((status >= 200 && status <= 299) || status == 304)
		return 0;
	return status_failed(x, status, retry, d);
}

/* ---- the request ---- */

/* A time-out for curl: the default for 0 or less, at most LONG_MAX. */
static long ms_or_default(int64_t v, int64_t dflt)
{
	return (long)CIRT_MIN(v > 0 ? v : dflt, (int64_t)LONG_MAX);
}

static int set_options(CURL *h, const struct cirt_fetch_req *req,
		       struct xfer *x, struct curl_slist *hdrs)
{
	curl_off_t max =
		x->max > (uint64_t)INT64_MAX ? INT64_MAX : (curl_off_t)x->max;
	CURLcode cc = CURLE_OK;

#define SET(opt, val)                                       \
	do {                                                \
		if (cc == CURLE_OK)                         \
			cc = curl_easy_setopt(h, opt, val); \
	} while (0)
	SET(CURLOPT_URL, req->url);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_FOLLOWLOCATION, 1L);
	SET(CURLOPT_MAXREDIRS, (long)CIRT_FETCH_REDIRECTS_MAX);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_USERAGENT, USER_AGENT);
	SET(CURLOPT_TIMEOUT_MS,
	    ms_or_default(req->timeout_ms, CIRT_FETCH_TIMEOUT_MS));
	SET(CURLOPT_CONNECTTIMEOUT_MS,
	    ms_or_default(req->connect_timeout_ms,
			  CIRT_FETCH_CONNECT_TIMEOUT_MS));
	SET(CURLOPT_MAXFILESIZE_LARGE, max);
	SET(CURLOPT_ACCEPT_ENCODING, "");
	SET(CURLOPT_HTTPHEADER, hdrs);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, x);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, x);
	SET(CURLOPT_ERRORBUFFER, x->errbuf);
	if (given(req->ca_file))
		SET(CURLOPT_CAINFO, req->ca_file);
	if (given(req->basic)) {
		SET(CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		SET(CURLOPT_USERPWD, req->basic);
	} else if (given(req->bearer)) {
		SET(CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
		SET(CURLOPT_XOAUTH2_BEARER, req->bearer);
	}
#undef SET
	return cc == CURLE_OK ? 0 : -CIRT_EINTERNAL;
}

/* The wait before attempt number done + 1: Retry-After when the server
 * gave one, else base * 2^(done - 1); at most retry_max_ms. */
static int64_t backoff_ms(const struct cirt_fetch_req *req, unsigned done,
			  int64_t retry_after)
{
	int64_t cap = CIRT_MAX(req->retry_max_ms, 0);
	int64_t ms = CIRT_MAX(req->retry_base_ms, 0);

	if (retry_after >= 0)
		return CIRT_MIN(retry_after, cap);
	for (unsigned i = 1; i < done && ms < cap; i++)
		ms = ms > cap / 2 ? cap : ms * 2;
	return CIRT_MIN(ms, cap);
}

static void sleep_ms(int64_t ms, void *arg)
{
	struct timespec ts;

	(void)arg;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The attempts and their waits. The last attempt's error is the one
 * passed on. */
static int perform(CURL *h, const struct cirt_fetch_req *req, struct xfer *x,
		   struct cirt_diag *d)
{
	unsigned retries = CIRT_MIN(req->retries, CIRT_FETCH_RETRIES_MAX);
	struct cirt_diag ad;
	bool retry;
	int64_t wait;
	int rc;

	for (;;) {
		cirt_diag_init(&ad);
		x->res->attempts++;
		rc = attempt(h, x, &retry, &ad);
		if (rc == 0 || !retry || x->res->attempts > retries)
			break;
		wait = backoff_ms(req, x->res->attempts, x->retry_after_ms);
		cirt_log(CIRT_LOG_WARNING,
			 "fetch: %s; attempt %u of %u, next in %" PRId64 " ms",
			 ad.message, x->res->attempts, retries + 1, wait);
		(req->sleep != NULL ? req->sleep : sleep_ms)(wait,
							     req->sleep_arg);
	}
	return rc < 0 ? cirt_diag_set(d, rc, ad.field, "%s", ad.message) : 0;
}

/* A 304 that does not repeat the validators keeps the request's. */
static void finish(const struct cirt_fetch_req *req, struct xfer *x)
{
	struct cirt_fetch_res *res = x->res;
	time_t t;

	res->not_modified = res->status == 304;
	if (res->not_modified && res->etag[0] == '\0' && given(req->etag))
		keep(res->etag, sizeof(res->etag), req->etag,
		     strlen(req->etag));
	if (res->not_modified && res->last_modified[0] == '\0' &&
	    given(req->last_modified))
		keep(res->last_modified, sizeof(res->last_modified),
		     req->last_modified, strlen(req->last_modified));
	if (res->last_modified[0] != '\0') {
		t = curl_getdate(res->last_modified, NULL);
		if (t > 0 && (int64_t)t < INT64_MAX / CIRT_US_PER_SEC)
			res->last_modified_us = (int64_t)t * CIRT_US_PER_SEC;
	}
	res->bytes = res->not_modified ? 0 : x->bytes;
}

int cirt_fetch(const struct cirt_fetch_req *req, struct cirt_fetch_res *res,
	       struct cirt_diag *d)
{
	struct xfer x = {.fd = -1, .res = res};
	struct curl_slist *hdrs = NULL;
	CURL *h = NULL;
	int rc;

	cirt_fetch_res_release(res);
	cirt_fetch_res_init(res);
	x.max = req->size_max > 0 ? req->size_max : CIRT_FETCH_SIZE_MAX;
	rc = check_url(req->url, x.shown, sizeof(x.shown), d);
	if (rc < 0)
		return rc;
	rc = build_headers(req, &hdrs, d);
	if (rc < 0)
		goto out;
	pthread_once(&curl_once, curl_setup);
	if (curl_setup_rc != CURLE_OK || (h = curl_easy_init()) == NULL) {
		rc = cirt_diag_set(d, -CIRT_EIO, "url",
				   "GET %s: cannot set up libcurl", x.shown);
		goto out;
	}
	x.fd = tmp_open(d);
	if (x.fd < 0) {
		rc = x.fd;
		goto out;
	}
	if (set_options(h, req, &x, hdrs) < 0) {
		rc = cirt_diag_set(d, -CIRT_EINTERNAL, "url",
				   "GET %s: libcurl refused an option",
				   x.shown);
		goto out;
	}
	rc = perform(h, req, &x, d);
	if (rc < 0)
		goto out;
	finish(req, &x);
	if (!res->not_modified) {
		if (lseek(x.fd, 0, SEEK_SET) < 0) {
			rc = cirt_diag_set(d, -CIRT_EIO, NULL,
					   "cannot rewind the body: %s",
					   strerror(errno));
			goto out;
		}
		res->fd = x.fd;
		x.fd = -1;
	}
out:
	if (x.fd >= 0)
		close(x.fd);
	curl_easy_cleanup(h);
	curl_slist_free_all(hdrs);
	return rc;
}

/* ---- TAXII 2.1 ---- */

void cirt_fetch_taxii_res_init(struct cirt_fetch_taxii_res *res)
{
	memset(res, 0, sizeof(*res));
	cirt_fetch_res_init(&res->http);
}

void cirt_fetch_taxii_res_release(struct cirt_fetch_taxii_res *res)
{
	cirt_fetch_res_release(&res->http);
}

/* Append "&name=" and s percent-encoded (RFC 3986 unreserved kept). */
static int add_param(struct cirt_buf *b, const char *name, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char e[3] = {'%', 0, 0};
	int rc;

	rc = cirt_buf_addf(b, "%c%s=", strchr(b->data, '?') ? '&' : '?', name);
	for (; rc == 0 && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c) != NULL) {
			rc = cirt_buf_add(b, s, 1);
			continue;
		}
		e[1] = hex[c >> 4];
		e[2] = hex[c & 15];
		rc = cirt_buf_add(b, e, 3);
	}
	return rc;
}

/* <collection>[/]objects/?limit=N&added_after=T&next=X into b. */
static int taxii_url(const struct cirt_fetch_taxii_req *req, struct cirt_buf *b,
		     struct cirt_diag *d)
{
	const char *c = req->collection;
	const char *why = NULL;
	int rc;

	if (!given(c) || strpbrk(c, "?#") != NULL)
		return cirt_diag_set(d, -CIRT_EINVAL, "collection",
				     "the collection URL is empty or has a "
				     "query or fragment");
	if (given(req->added_after) &&
	    cirt_time_parse(req->added_after, strlen(req->added_after), NULL,
			    &why) < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, "added_after",
				     "added_after %.64s %s", req->added_after,
				     why);
	if (given(req->next) && strlen(req->next) > CIRT_FETCH_NEXT_MAX)
		return cirt_diag_set(d, -CIRT_ELIMIT, "next",
				     "the next token is longer than %d bytes",
				     CIRT_FETCH_NEXT_MAX);
	rc = cirt_buf_addf(b, "%s%sobjects/", c,
			   c[strlen(c) - 1] == '/' ? "" : "/");
	if (rc == 0 && req->limit > 0)
		rc = cirt_buf_addf(b, "?limit=%u", req->limit);
	if (rc == 0 && given(req->added_after))
		rc = add_param(b, "added_after", req->added_after);
	if (rc == 0 && given(req->next))
		rc = add_param(b, "next", req->next);
	if (rc < 0)
		return cirt_diag_set(d, -CIRT_ELIMIT, "collection",
				     "the objects URL is longer than %d bytes",
				     CIRT_FETCH_URL_MAX);
	return 0;
}

/* A JSON media type: application/taxii+json or application/json, with
 * any parameters (TAXII 2.1 section 1.6.8). */
static bool json_media(const char *ct)
{
	size_t n = strcspn(ct, "; \t");

	return (n == 22 && strncasecmp(ct, "application/taxii+json", n) == 0) ||
	       (n == 16 && strncasecmp(ct, "application/json", n) == 0);
}

static int skip_object(const char *bytes, size_t len, json_t *obj, size_t index,
		       void *arg)
{
	(void)bytes;
	(void)len;
	(void)obj;
	(void)index;
	(void)arg;
	return 0;
}

/* Walk the envelope in res->http.fd for "more" and "next", then rewind. */
static int read_envelope(struct cirt_fetch_taxii_res *res, const char *url,
			 struct cirt_diag *d)
{
	struct cirt_bundle_src src = {res->http.fd, NULL, 0};
	struct cirt_bundle_info info;
	struct cirt_diag ed;
	json_t *more, *next;
	int rc;

	cirt_diag_init(&ed);
	rc = cirt_bundle_read(&src, &cirt_bundle_default_limits, skip_object,
			      NULL, &info, &ed);
	if (rc < 0) {
		rc = cirt_diag_set(d, rc == -CIRT_EINVAL ? -CIRT_EPROTO : rc,
				   "url", "TAXII envelope from %s: %s", url,
				   ed.message);
		goto out;
	}
	more = json_object_get(info.hdr, "more");
	next = json_object_get(info.hdr, "next");
	if ((more != NULL && !json_is_boolean(more)) ||
	    (next != NULL && !json_is_string(next))) {
		rc = cirt_diag_set(d, -CIRT_EPROTO, "url",
				   "TAXII envelope from %s: \"more\" is "
				   "not a boolean or \"next\" not a string",
				   url);
		goto out;
	}
	if (next != NULL && json_string_length(next) > CIRT_FETCH_NEXT_MAX) {
		rc = cirt_diag_set(d, -CIRT_ELIMIT, "url",
				   "TAXII envelope from %s: \"next\" is "
				   "longer than %d bytes",
				   url, CIRT_FETCH_NEXT_MAX);
		goto out;
	}
	res->more = more != NULL && json_is_true(more);
	if (next != NULL)
		snprintf(res->next, sizeof(res->next), "%s",
			 json_string_value(next));
	res->count = info.count;
	if (lseek(res->http.fd, 0, SEEK_SET) < 0)
		rc = cirt_diag_set(d, -CIRT_EIO, NULL,
				   "cannot rewind the body: %s",
				   strerror(errno));
out:
	cirt_bundle_info_release(&info);
	return rc;
}

int cirt_fetch_taxii_page(const struct cirt_fetch_taxii_req *req,
			  struct cirt_fetch_taxii_res *res, struct cirt_diag *d)
{
	struct cirt_fetch_req http = req->http;
	struct cirt_buf url;
	char shown[SHOWN_MAX + 8];
	int rc;

	cirt_fetch_taxii_res_release(res);
	cirt_fetch_taxii_res_init(res);
	cirt_buf_init(&url, CIRT_FETCH_URL_MAX);
	rc = taxii_url(req, &url, d);
	if (rc < 0)
		goto out;
	http.url = cirt_buf_str(&url);
	http.accept = TAXII_ACCEPT;
	rc = cirt_fetch(&http, &res->http, d);
	if (rc < 0 || res->http.not_modified)
		goto out;
	show_url(http.url, shown, sizeof(shown));
	if (!json_media(res->http.content_type)) {
		rc = cirt_diag_set(d, -CIRT_EMEDIA, "url",
				   "TAXII answer from %s has Content-Type "
				   "\"%.100s\", not application/taxii+json",
				   shown, res->http.content_type);
		goto out;
	}
	rc = read_envelope(res, shown, d);
out:
	if (rc < 0)
		cirt_fetch_res_release(&res->http);
	cirt_buf_release(&url);
	return rc;
}
