/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The HTTP server: the life of one request on libmicrohttpd.
 *
 *   first call       match the route, decode the query, and refuse a
 *                    declared Content-Length over max_body with 413 at once
 *   upload calls     collect the body up to max_body; past it, discard the
 *                    rest and answer 413 at the end (libmicrohttpd cannot
 *                    answer in the middle of an upload)
 *   final call       borrow a store connection, authenticate, authorise
 *                    the route's action, check and parse the JSON body,
 *                    run the handler, give the connection back, answer
 *   completed        count it in the metrics and write the access log line
 *
 * Answers are queued on the final call, never the first (except a 413),
 * so that keep-alive connections stay open (docs/TIPS.md).
 *
 * Layer: http. Callbacks run on libmicrohttpd's worker threads; a request
 * stays on one thread.
 */
#include "http/http_server.h"

#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "core/json.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/time.h"
#include "http/http_access.h"
#include "http/http_int.h"
#include "http/http_metrics.h"
#include "os/net.h"
#include "core/banned.h"

#define JSON_DEPTH_MAX 32
#define PEM_MAX	       (1u << 20)

struct cirt_http {
	struct MHD_Daemon *mhd;
	struct cirt_http_opts o;
	char *cert_pem;
	char *key_pem;
	unsigned port;
};

static atomic_bool serving;

int cirt_http_status_of(int code)
{
	if (code <= -CIRT_ERR_COUNT || code >= CIRT_ERR_COUNT)
		return MHD_HTTP_INTERNAL_SERVER_ERROR;
	switch (code < 0 ? -code : code) {
	case CIRT_EINVAL:
	case CIRT_EPROTO:
		return MHD_HTTP_BAD_REQUEST;
	case CIRT_ELIMIT:
		return MHD_HTTP_CONTENT_TOO_LARGE;
	case CIRT_ENOTFOUND:
		return MHD_HTTP_NOT_FOUND;
	case CIRT_ECONFLICT:
		return MHD_HTTP_CONFLICT;
	case CIRT_EPERM:
		return MHD_HTTP_FORBIDDEN;
	case CIRT_EAUTH:
		return MHD_HTTP_UNAUTHORIZED;
	case CIRT_EMEDIA:
		return MHD_HTTP_UNSUPPORTED_MEDIA_TYPE;
	case CIRT_EIO:
	case CIRT_EAGAIN:
		return MHD_HTTP_SERVICE_UNAVAILABLE;
	default:
		return MHD_HTTP_INTERNAL_SERVER_ERROR;
	}
}

/* ---- request accessors (http/http.h) ---- */

const char *cirt_req_param(const struct cirt_req *r, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < r->match.nparams; i++) {
		const char *p = r->match.names[i] + 1; /* skip '{' */

		if (strncmp(p, name, n) == 0 && p[n] == '}')
			return r->match.values[i];
	}
	return NULL;
}

const char *cirt_req_query(const struct cirt_req *r, const char *name)
{
	for (size_t i = 0; i < r->nquery; i++)
		if (strcmp(r->query[i].key, name) == 0)
			return r->query[i].value;
	return NULL;
}

const char *cirt_req_query_key(const struct cirt_req *r, size_t i)
{
	return i < r->nquery ? r->query[i].key : NULL;
}

const char *cirt_req_header(const struct cirt_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

json_t *cirt_req_body(const struct cirt_req *r)
{
	return r->json;
}

const char *cirt_req_raw_body(const struct cirt_req *r, size_t *len)
{
	*len = r->body.len;
	return cirt_buf_str(&r->body);
}

void cirt_req_error_status(struct cirt_req *r, int status)
{
	r->error_status = status;
}

const struct cirt_principal *cirt_req_principal(const struct cirt_req *r)
{
	return &r->who;
}

const struct cirt_actor *cirt_req_actor(const struct cirt_req *r)
{
	return &r->actor;
}

const char *cirt_req_addr(const struct cirt_req *r)
{
	return r->addr;
}

struct cirt_db *cirt_req_db(const struct cirt_req *r)
{
	return r->db;
}

const struct cirt_http_settings *cirt_req_settings(const struct cirt_req *r)
{
	return &r->srv->o.settings;
}

int cirt_req_reply_text(struct cirt_req *r, int status,
			const char *content_type, char *text, size_t len)
{
	if (r->resp)
		MHD_destroy_response(r->resp);
	r->resp = MHD_create_response_from_buffer_with_free_callback(len, text,
								     free);
	if (r->resp == NULL)
		cirt_fatalx("cannot create an HTTP response");
	r->status = status;
	r->resp_bytes = len;
	if (content_type)
		MHD_add_response_header(r->resp, MHD_HTTP_HEADER_CONTENT_TYPE,
					content_type);
	MHD_add_response_header(r->resp, MHD_HTTP_HEADER_CACHE_CONTROL,
				"no-store");
	MHD_add_response_header(r->resp, "X-Content-Type-Options", "nosniff");
	return 0;
}

int cirt_req_reply_json(struct cirt_req *r, int status, json_t *body)
{
	size_t len = 0;
	char *text = body ? cirt_json_dump(body, &len) : cirt_xstrdup("");

	json_decref(body);
	return cirt_req_reply_text(r, status, len ? "application/json" : NULL,
				   text, len);
}

void cirt_req_add_header(struct cirt_req *r, const char *name,
			 const char *value)
{
	CIRT_ASSERT(r->resp != NULL);
	MHD_add_response_header(r->resp, name, value);
}

/* ---- answering ---- */

/* TAXII routes, and unknown paths under /taxii2/, answer errors with
 * TAXII error resources. */
static bool taxii_request(const struct cirt_req *r)
{
	if (r->route)
		return (r->route->flags & CIRT_ROUTE_TAXII) != 0;
	return strncmp(r->path, "/taxii2/", 8) == 0 ||
	       strcmp(r->path, "/taxii2") == 0;
}

static void reply_error(struct cirt_req *r, int status, const char *code,
			const char *field, const char *message)
{
	const char *title = MHD_get_reason_phrase_for((unsigned)status);
	char st[8];
	json_t *body;

	snprintf(st, sizeof(st), "%d", status);
	if (taxii_request(r))
		/* TAXII 2.1 section 3.6.1: title is required, http_status
		 * must equal the status. */
		body = json_pack("{s:s, s:s, s:s, s:s}", "title",
				 *title ? title : code, "description", message,
				 "error_code", code, "http_status", st);
	else
		body = json_pack("{s:{s:s, s:s, s:s?}}", "error", "code", code,
				 "message", message, "field",
				 field && *field ? field : NULL);
	if (body == NULL) /* a message that is not UTF-8: keep the shape */
		body = json_pack("{s:{s:s, s:s, s:n}}", "error", "code", code,
				 "message", "invalid request", "field");
	if (taxii_request(r)) {
		size_t len;
		char *text = cirt_json_dump(body, &len);

		json_decref(body);
		cirt_req_reply_text(r, status, CIRT_TAXII_MEDIA, text, len);
		return;
	}
	cirt_req_reply_json(r, status, body);
}

static void reply_diag(struct cirt_req *r, const struct cirt_diag *d)
{
	int status = cirt_http_status_of(d->code);
	const char *code = cirt_err_name(d->code);
	const char *msg = d->message[0] ? d->message : "request failed";

	if (d->code == -CIRT_ENOTFOUND && r->match.wrong_method) {
		status = MHD_HTTP_METHOD_NOT_ALLOWED;
		code = "method_not_allowed";
	}
	if (r->error_status) {
		status = r->error_status;
		code = status == MHD_HTTP_NOT_ACCEPTABLE ? "not_acceptable"
		       : status == 422			 ? "unprocessable"
							 : code;
	}
	if (status >= 500) {
		bool busy = d->code == -CIRT_EAGAIN;

		/* Details of a store or internal failure are for the
		 * operator's log, not for the client. Busy (a store
		 * conflict, an indicator set still compiling) passes. */
		cirt_log(busy ? CIRT_LOG_WARNING : CIRT_LOG_ERR, "%s %s: %s",
			 r->method, r->path, msg);
		msg = busy ? "busy; try again in a few seconds"
		      : status == MHD_HTTP_SERVICE_UNAVAILABLE
			      ? "the store is unavailable; try again later"
			      : "internal error";
		if (busy)
			cirt_req_add_header(r, "Retry-After", "5");
	}
	reply_error(r, status, code, d->field, msg);
	if (status == MHD_HTTP_UNAUTHORIZED)
		cirt_req_add_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
				    "Bearer realm=\"cirtkit\", "
				    "Basic realm=\"cirtkit\", "
				    "charset=\"UTF-8\"");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		cirt_req_add_header(r, MHD_HTTP_HEADER_ALLOW, r->match.allow);
}

static enum MHD_Result queue(struct cirt_req *r)
{
	enum MHD_Result ret =
		MHD_queue_response(r->conn, (unsigned)r->status, r->resp);

	MHD_destroy_response(r->resp);
	r->resp = NULL;
	return ret;
}

/* ---- the request's life ---- */

static enum MHD_Result take_query_arg(void *cls, enum MHD_ValueKind kind,
				      const char *key, const char *value)
{
	struct cirt_req *r = cls;
	struct cirt_query_arg a = {0};
	struct cirt_diag *d = &r->early;

	(void)kind;
	if (d->code != 0)
		return MHD_NO;
	if (r->nquery == CIRT_QUERY_MAX) {
		cirt_diag_set(d, -CIRT_EINVAL, NULL,
			      "more than %d query parameters", CIRT_QUERY_MAX);
		return MHD_NO;
	}
	if (cirt_pct_decode(key, strlen(key), "query", &a.key, d) < 0)
		return MHD_NO;
	value = value ? value : "";
	if (cirt_pct_decode(value, strlen(value), a.key, &a.value, d) < 0) {
		free(a.key);
		return MHD_NO;
	}
	if (cirt_req_query(r, a.key) != NULL) {
		cirt_diag_set(d, -CIRT_EINVAL, a.key,
			      "query parameter '%s' is given twice", a.key);
		free(a.key);
		free(a.value);
		return MHD_NO;
	}
	r->query[r->nquery++] = a;
	return MHD_YES;
}

static void client_addr(struct cirt_req *r)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	if (ci && ci->client_addr)
		cirt_net_addr_text(ci->client_addr, r->addr, sizeof(r->addr));
	else
		snprintf(r->addr, sizeof(r->addr), "unknown");
}

static struct cirt_req *req_new(struct cirt_http *h,
				struct MHD_Connection *conn, const char *url,
				const char *method)
{
	struct cirt_req *r = cirt_xcalloc(1, sizeof(*r));

	r->srv = h;
	r->conn = conn;
	r->method = method;
	r->path = cirt_xstrdup(url);
	r->start_ns = cirt_time_mono_ns();
	cirt_diag_init(&r->early);
	cirt_buf_init(&r->body, h->o.max_body);
	client_addr(r);
	r->actor.name = "anonymous";
	r->actor.addr = r->addr;
	return r;
}

static void req_free(struct cirt_req *r)
{
	cirt_route_match_release(&r->match);
	for (size_t i = 0; i < r->nquery; i++) {
		free(r->query[i].key);
		free(r->query[i].value);
	}
	cirt_buf_release(&r->body);
	json_decref(r->json);
	if (r->resp)
		MHD_destroy_response(r->resp);
	free(r->path);
	free(r);
}

/* The largest body the request's route takes. */
static size_t body_max(const struct cirt_req *r)
{
	return r->route && (r->route->flags & CIRT_ROUTE_UPLOAD)
		       ? r->srv->o.max_upload
		       : r->srv->o.max_body;
}

static bool declared_too_large(struct cirt_req *r)
{
	const char *cl = MHD_lookup_connection_value(
		r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	char *end = NULL;
	unsigned long long n;

	if (cl == NULL)
		return false;
	errno = 0;
	n = strtoull(cl, &end, 10);
	return errno != 0 || n > body_max(r);
}

static void too_large(struct cirt_req *r, struct cirt_diag *d)
{
	cirt_diag_set(d, -CIRT_ELIMIT, NULL,
		      "request body is larger than the limit of %zu bytes",
		      body_max(r));
}

static enum MHD_Result begin(struct cirt_req *r)
{
	struct cirt_http *h = r->srv;
	struct cirt_diag d;

	if (cirt_route_find(h->o.routes, h->o.nroutes, r->method, r->path,
			    &r->match, &r->early) == 0)
		r->route = &h->o.routes[r->match.route];
	if (r->route && (r->route->flags & CIRT_ROUTE_UPLOAD))
		cirt_buf_init(&r->body, h->o.max_upload);
	if (r->early.code == 0)
		MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND,
					  take_query_arg, r);
	if (!declared_too_large(r))
		return MHD_YES;
	/* Refuse now rather than read the body: libmicrohttpd then closes
	 * the connection without taking the upload. */
	cirt_diag_init(&d);
	too_large(r, &d);
	reply_diag(r, &d);
	return queue(r);
}

static void take_body(struct cirt_req *r, const char *data, size_t n)
{
	if (r->too_large || r->route == NULL ||
	    !(r->route->flags &
	      (CIRT_ROUTE_BODY | CIRT_ROUTE_RAW | CIRT_ROUTE_UPLOAD)))
		return; /* discarded */
	if (cirt_buf_add(&r->body, data, n) < 0)
		r->too_large = true;
}

/* Does the media type at s (up to end) name want, with parameters that a
 * TAXII peer may add? When taxii, a version parameter must be 2.1. */
static bool media_is(const char *s, const char *end, const char *want,
		     bool taxii)
{
	size_t n = strlen(want);
	const char *p;

	while (s < end && *s == ' ')
		s++;
	if ((size_t)(end - s) < n || strncasecmp(s, want, n) != 0)
		return false;
	for (p = s + n; p < end && *p == ' '; p++)
		;
	if (p == end)
		return true;
	if (*p != ';')
		return false;
	if (!taxii)
		return true;
	/* ;version=2.1 is the only parameter TAXII defines. */
	for (p++; p < end && *p == ' '; p++)
		;
	if ((size_t)(end - p) < 8 || strncasecmp(p, "version=", 8) != 0)
		return false;
	for (p += 8; end > p && end[-1] == ' '; end--)
		;
	return end - p == 3 && memcmp(p, "2.1", 3) == 0;
}

static bool is_json_type(const char *ct)
{
	return ct && media_is(ct, ct + strlen(ct), "application/json", false);
}

static bool is_taxii_type(const char *ct)
{
	return ct &&
	       media_is(ct, ct + strlen(ct), "application/taxii+json", true);
}

/* TAXII 2.1 section 1.6.8.1: one of the Accept media ranges must be the
 * TAXII type (any q-value; ";q=" parameters are skipped). */
static bool accepts_taxii(const char *accept)
{
	const char *p = accept, *comma, *q;

	while (p && *p) {
		comma = strchr(p, ',');
		if (comma == NULL)
			comma = p + strlen(p);
		q = strstr(p, ";q=");
		if (media_is(p, q && q < comma ? q : comma,
			     "application/taxii+json", true))
			return true;
		p = *comma ? comma + 1 : NULL;
	}
	return false;
}

static int check_taxii(struct cirt_req *r, struct cirt_diag *d)
{
	if (!accepts_taxii(cirt_req_header(r, MHD_HTTP_HEADER_ACCEPT))) {
		r->error_status = MHD_HTTP_NOT_ACCEPTABLE;
		return cirt_diag_set(d, -CIRT_EINVAL, "Accept",
				     "Accept must include %s",
				     CIRT_TAXII_MEDIA);
	}
	if ((r->route->flags & CIRT_ROUTE_RAW) &&
	    !is_taxii_type(cirt_req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE)))
		return cirt_diag_set(d, -CIRT_EMEDIA, "Content-Type",
				     "Content-Type must be %s",
				     CIRT_TAXII_MEDIA);
	return 0;
}

static int parse_body(struct cirt_req *r, struct cirt_diag *d)
{
	int rc;

	if (r->body.len == 0) {
		r->json = json_object();
		return 0;
	}
	if (!is_json_type(cirt_req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE)))
		return cirt_diag_set(d, -CIRT_EMEDIA, NULL,
				     "Content-Type must be application/json");
	rc = cirt_json_parse(r->body.data, r->body.len, JSON_DEPTH_MAX,
			     &r->json, d);
	if (rc < 0)
		return rc;
	if (!json_is_object(r->json))
		return cirt_diag_set(d, -CIRT_EINVAL, NULL,
				     "request body must be a JSON object");
	return 0;
}

static int check_access(struct cirt_req *r, struct cirt_diag *d)
{
	int rc = cirt_http_authenticate(r, d);

	if (rc < 0)
		return rc;
	if (r->who.via == CIRT_VIA_NONE)
		return cirt_diag_set(d, -CIRT_EAUTH, NULL,
				     "authentication required: send "
				     "Authorization: Bearer TOKEN or Basic "
				     "credentials");
	r->actor.name = r->who.user;
	if (!cirt_authz_allows(&r->who, r->route->action))
		return cirt_diag_set(d, -CIRT_EPERM, NULL,
				     "role '%s' may not %s",
				     cirt_role_name(r->who.role),
				     cirt_action_name(r->route->action));
	return 0;
}

static int run(struct cirt_req *r, struct cirt_diag *d)
{
	const struct cirt_route *route = r->route;
	int rc;

	if (r->early.code != 0) {
		*d = r->early;
		return d->code;
	}
	if (r->too_large) {
		too_large(r, d);
		return d->code;
	}
	rc = cirt_db_pool_get(r->srv->o.pool, &r->db, d);
	if (rc < 0)
		return rc;
	if (!(route->flags & CIRT_ROUTE_PUBLIC)) {
		rc = check_access(r, d);
		if (rc < 0)
			return rc;
	}
	if (route->flags & CIRT_ROUTE_TAXII) {
		rc = check_taxii(r, d);
		if (rc < 0)
			return rc;
	}
	if (route->flags & CIRT_ROUTE_BODY) {
		rc = parse_body(r, d);
		if (rc < 0)
			return rc;
	}
	return route->fn(r, d);
}

static enum MHD_Result finish(struct cirt_req *r)
{
	struct cirt_diag d;
	int rc;

	cirt_diag_init(&d);
	rc = run(r, &d);
	if (r->db) {
		cirt_db_pool_put(r->srv->o.pool, r->db);
		r->db = NULL;
	}
	if (rc < 0)
		reply_diag(r, &d);
	else if (r->resp == NULL)
		reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL,
			    "handler gave no answer");
	return queue(r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct cirt_req *r = *con_cls;

	(void)version;
	if (r == NULL) {
		r = req_new(cls, conn, url, method);
		*con_cls = r;
		return begin(r);
	}
	if (*upload_size != 0) {
		take_body(r, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	return finish(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct cirt_req *r = *con_cls;
	struct cirt_access_rec rec;
	int64_t ns;

	(void)cls;
	(void)conn;
	(void)toe;
	if (r == NULL)
		return;
	ns = cirt_time_mono_ns() - r->start_ns;
	cirt_metrics_observe(r->route ? r->match.route : -1, r->status, ns);
	rec.addr = r->addr;
	rec.method = r->method;
	rec.path = r->path;
	rec.route = r->route ? r->route->pattern : NULL;
	rec.user = r->who.via != CIRT_VIA_NONE ? r->who.user : NULL;
	rec.agent = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						MHD_HTTP_HEADER_USER_AGENT);
	rec.status = r->status;
	rec.bytes = r->resp_bytes;
	rec.duration_ns = ns;
	cirt_access_log_write(&rec);
	req_free(r);
	*con_cls = NULL;
}

/* Keep paths and query strings raw: the router decodes each segment on
 * its own, so an encoded '/' stays inside its segment. */
static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

static void mhd_log(void *cls, const char *fmt, va_list ap) CIRT_PRINTF(2, 0);

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	/* Once serving, these are mostly about misbehaving clients. */
	cirt_log(atomic_load(&serving) ? CIRT_LOG_DEBUG : CIRT_LOG_ERR,
		 "http: %s", msg);
}

static int read_pem(const char *path, char **out, struct cirt_diag *d)
{
	struct cirt_buf b;
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return cirt_diag_set(d, -CIRT_EIO, "tls", "cannot read %s: %s",
				     path, strerror(errno));
	cirt_buf_init(&b, PEM_MAX);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (cirt_buf_add(&b, chunk, n) < 0) {
			fclose(f);
			return cirt_diag_set(d, -CIRT_ELIMIT, "tls",
					     "%s is larger than %u bytes", path,
					     PEM_MAX);
		}
	}
	fclose(f);
	*out = cirt_buf_detach(&b, NULL);
	return 0;
}

/* Parse the certificate chain and the key with GnuTLS before the daemon
 * does, so that a bad file is refused with a message that names it.
 * (GnuTLS 3.7 leaks when gnutls_certificate_set_x509_key_mem() is given
 * malformed PEM, so it only sees a pair that parsed; it then checks that
 * the key belongs to the certificate.) */
static int check_tls(char *cert, char *key, struct cirt_diag *d)
{
	gnutls_datum_t c = {(unsigned char *)cert, (unsigned)strlen(cert)};
	gnutls_datum_t k = {(unsigned char *)key, (unsigned)strlen(key)};
	gnutls_certificate_credentials_t cred;
	gnutls_x509_privkey_t pk;
	gnutls_x509_crt_t *crts = NULL;
	unsigned n = 0;
	int rc;

	rc = gnutls_x509_crt_list_import2(&crts, &n, &c, GNUTLS_X509_FMT_PEM,
					  0);
	for (unsigned i = 0; i < n; i++)
		gnutls_x509_crt_deinit(crts[i]);
	gnutls_free(crts);
	if (rc < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, "tls_cert",
				     "tls_cert is not a PEM certificate chain: "
				     "%s",
				     gnutls_strerror(rc));
	if (gnutls_x509_privkey_init(&pk) < 0)
		return cirt_diag_set(d, -CIRT_EINTERNAL, "tls_key",
				     "GnuTLS cannot allocate a key");
	rc = gnutls_x509_privkey_import2(pk, &k, GNUTLS_X509_FMT_PEM, NULL, 0);
	gnutls_x509_privkey_deinit(pk);
	if (rc < 0)
		return cirt_diag_set(
			d, -CIRT_EINVAL, "tls_key",
			"tls_key is not an unencrypted PEM private "
			"key: %s",
			gnutls_strerror(rc));
	if (gnutls_certificate_allocate_credentials(&cred) < 0)
		return cirt_diag_set(d, -CIRT_EINTERNAL, "tls_cert",
				     "GnuTLS cannot allocate credentials");
	rc = gnutls_certificate_set_x509_key_mem(cred, &c, &k,
						 GNUTLS_X509_FMT_PEM);
	gnutls_certificate_free_credentials(cred);
	if (rc < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, "tls_key",
				     "tls_key does not go with tls_cert: %s",
				     gnutls_strerror(rc));
	return 0;
}

static int check_listen(const struct cirt_http_opts *o,
			struct sockaddr_storage *ss, socklen_t *len,
			struct cirt_diag *d)
{
	bool tls = o->tls_cert_file && *o->tls_cert_file;
	int rc = cirt_net_parse_hostport(o->listen, "listen", ss, len, d);

	if (rc < 0)
		return rc;
	if (!tls && !o->insecure_http &&
	    !cirt_net_is_loopback((const struct sockaddr *)ss))
		return cirt_diag_set(
			d, -CIRT_EINVAL, "listen",
			"refusing plain HTTP on %s, which is not a "
			"loopback address: give --tls-cert and "
			"--tls-key, or set insecure_http = true "
			"behind a TLS proxy",
			o->listen);
	return 0;
}

static void http_free(struct cirt_http *h)
{
	if (h->key_pem)
		cirt_wipe(h->key_pem, strlen(h->key_pem));
	free(h->key_pem);
	free(h->cert_pem);
	free(h);
}

static struct MHD_Daemon *start_daemon(struct cirt_http *h,
				       const struct sockaddr_storage *ss)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_USE_ERROR_LOG;
	struct MHD_OptionItem tls[] = {
		{MHD_OPTION_HTTPS_MEM_CERT, 0, h->cert_pem},
		{MHD_OPTION_HTTPS_MEM_KEY, 0, h->key_pem},
		{MHD_OPTION_HTTPS_PRIORITIES, 0,
		 (void *)(uintptr_t) "NORMAL:-VERS-ALL:+VERS-TLS1.3:"
				     "+VERS-TLS1.2"},
		{MHD_OPTION_END, 0, NULL},
	};

	if (ss->ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (h->cert_pem)
		flags |= MHD_USE_TLS;
	else
		tls[0].option = MHD_OPTION_END;
	return MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, h, MHD_OPTION_EXTERNAL_LOGGER,
		mhd_log, NULL, /* must be first */
		MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)ss,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)h->o.threads,
		MHD_OPTION_CONNECTION_LIMIT, 1000u,
		MHD_OPTION_CONNECTION_TIMEOUT, 60u,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32 * 1024,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
		MHD_OPTION_UNESCAPE_CALLBACK, no_unescape, NULL,
		MHD_OPTION_ARRAY, tls, MHD_OPTION_END);
}

int cirt_http_start(const struct cirt_http_opts *o, struct cirt_http **out,
		    struct cirt_diag *d)
{
	struct cirt_http *h = cirt_xcalloc(1, sizeof(*h));
	const union MHD_DaemonInfo *info;
	struct sockaddr_storage ss;
	socklen_t len;
	int rc;

	*out = NULL;
	h->o = *o;
	rc = check_listen(o, &ss, &len, d);
	if (rc == 0 && o->tls_cert_file && *o->tls_cert_file) {
		rc = read_pem(o->tls_cert_file, &h->cert_pem, d);
		if (rc == 0)
			rc = read_pem(o->tls_key_file, &h->key_pem, d);
		if (rc == 0)
			rc = check_tls(h->cert_pem, h->key_pem, d);
		h->o.settings.tls = true;
	}
	if (rc < 0) {
		http_free(h);
		return rc;
	}
	atomic_store(&serving, false);
	h->mhd = start_daemon(h, &ss);
	if (h->mhd == NULL) {
		http_free(h);
		return cirt_diag_set(d, -CIRT_EIO, "listen",
				     "cannot serve on %s (see the error above)",
				     o->listen);
	}
	info = MHD_get_daemon_info(h->mhd, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info ? info->port : 0;
	atomic_store(&serving, true);
	*out = h;
	return 0;
}

unsigned cirt_http_port(const struct cirt_http *h)
{
	return h->port;
}

void cirt_http_stop(struct cirt_http *h)
{
	if (h == NULL)
		return;
	MHD_stop_daemon(h->mhd);
	http_free(h);
}
