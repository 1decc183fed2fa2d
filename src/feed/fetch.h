/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The collector's transport: one HTTP(S) GET with libcurl, and one page of
 * a TAXII 2.1 collection on top of it. What a fetch brings back goes to an
 * unlinked temporary file, never to memory, so memory stays flat whatever
 * the size; the caller gets the descriptor rewound and hands it to a
 * parser (feed/parser.h) or to the STIX bundle reader. Deciding what to
 * fetch when, storing the validators between runs and looping over TAXII
 * pages are the caller's (feed/feed.c); this file does one request.
 *
 * A fetch is a conditional GET when the last run's ETag or Last-Modified
 * is given; it is retried with exponential backoff on connection errors,
 * time-outs, 429 and 5xx (a Retry-After is honoured up to retry_max_ms);
 * only http and https are spoken, also across at most
 * CIRT_FETCH_REDIRECTS_MAX redirects; the body is refused as soon as it
 * passes size_max, and before it starts when its Content-Length does.
 *
 * Errors name the URL (without any user:password@) in the diag's
 * message; its field is "url" or the request member at fault.
 * -CIRT_EINVAL: a bad URL, a scheme other than http/https, a header or
 * credentials with a line break. -CIRT_ELIMIT: the body passed size_max;
 * a URL or header over its _MAX, too many headers. -CIRT_EIO: network
 * failure, time-out or a 5xx after the last retry, with curl's message.
 * -CIRT_EAGAIN: 429 after the last retry. -CIRT_EPROTO: a 4xx other than
 * 429, a redirect to another scheme or too many of them, a 3xx or 1xx as
 * the final answer, a TAXII envelope that is not one. -CIRT_EMEDIA: a
 * TAXII answer that is not JSON.
 *
 * Layer: feed. Runs in the ingest role, off request threads; blocking.
 * Thread-safe: each call has its own curl handle (libcurl is set up
 * once, on first use, through pthread_once). Credentials are passed to
 * libcurl and never logged; curl sends them only to the URL's own host.
 *
 * See docs/feeds.md; TAXII 2.1 sections 3.3 and 3.5 (sorting, pagination,
 * the X-TAXII-Date-Added headers) and 5.4 (Get Objects).
 */
#ifndef CIRT_FEED_FETCH_H
#define CIRT_FEED_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/compiler.h"
#include "core/err.h"

#define CIRT_FETCH_URL_MAX  8192 /* bytes of a request URL */
#define CIRT_FETCH_HDRS_MAX 32	 /* extra request headers */
#define CIRT_FETCH_HDR_MAX  8192 /* bytes of one extra header line */
/* Bytes of the response headers kept: ETag and Content-Type, and the
 * dates (Last-Modified, X-TAXII-Date-Added-Last). */
#define CIRT_FETCH_VALUE_MAX	 255
#define CIRT_FETCH_DATE_MAX	 63
#define CIRT_FETCH_REDIRECTS_MAX 5
#define CIRT_FETCH_NEXT_MAX	 1023 /* bytes of a TAXII "next" token */

/* Waits ms milliseconds between attempts; tests pass a recorder. */
typedef void (*cirt_fetch_sleep_fn)(int64_t ms, void *arg);

/* One GET. Every pointer is borrowed for the call; NULL or "" means
 * "not given" for the optional strings. */
struct cirt_fetch_req {
	const char *url;	    /* http:// or https:// */
	const char *etag;	    /* the last run's ETag: If-None-Match */
	const char *last_modified;  /* the last run's Last-Modified text:
				    * If-Modified-Since */
	const char *accept;	    /* Accept; NULL for any */
	const char *const *headers; /* extra "Name: value" lines,
				     * NULL-terminated, or NULL */
	const char *basic;	    /* "user:password" for Basic auth */
	const char *bearer;	    /* token for "Authorization: Bearer" */
	const char *ca_file;	    /* PEM CA bundle; NULL: the system's */
	/* In these three, 0 or less is the default below. */
	int64_t timeout_ms; /* whole attempt */
	int64_t connect_timeout_ms;
	uint64_t size_max;	   /* bytes of the (decoded) body */
	unsigned retries;	   /* attempts after the first; at most
				    * CIRT_FETCH_RETRIES_MAX */
	int64_t retry_base_ms;	   /* first backoff; doubles each time */
	int64_t retry_max_ms;	   /* cap on one wait, Retry-After too */
	cirt_fetch_sleep_fn sleep; /* NULL: nanosleep */
	void *sleep_arg;
};

/* Defaults cirt_fetch_req_init() sets (and the fetch uses for a timeout
 * or size_max left at 0). */
#define CIRT_FETCH_TIMEOUT_MS	      (300 * 1000)
#define CIRT_FETCH_CONNECT_TIMEOUT_MS (30 * 1000)
#define CIRT_FETCH_SIZE_MAX	      (UINT64_C(1) << 30)
#define CIRT_FETCH_RETRIES	      3
#define CIRT_FETCH_RETRY_BASE_MS      1000
#define CIRT_FETCH_RETRY_MAX_MS	      (60 * 1000)
#define CIRT_FETCH_RETRIES_MAX	      10 /* more are not made */

/* What came back. Owns fd; release with cirt_fetch_res_release. */
struct cirt_fetch_res {
	/* The body, rewound to 0; -1 on a 304 or an error. A caller that
	 * keeps it sets fd = -1 before the release. */
	int fd;
	long status;		  /* HTTP status of the last answer, 0 none */
	bool not_modified;	  /* 304: the caller's copy is current */
	uint64_t bytes;		  /* body bytes in fd */
	unsigned attempts;	  /* requests made, retries included */
	int64_t last_modified_us; /* Last-Modified in µs, 0 unknown */
	/* Response headers, "" when absent, longer than
	 * their _MAX or not printable ASCII. On a 304 that
	 * does not repeat them, etag and last_modified are the request's,
	 * so a caller can always store what it finds here. */
	char etag[CIRT_FETCH_VALUE_MAX + 1];
	char last_modified[CIRT_FETCH_DATE_MAX + 1];
	char content_type[CIRT_FETCH_VALUE_MAX + 1];
	char date_added_last[CIRT_FETCH_DATE_MAX + 1]; /* TAXII 2.1 */
};

/* Set up req for url with the defaults above and nothing else. */
void cirt_fetch_req_init(struct cirt_fetch_req *req, const char *url);

void cirt_fetch_res_init(struct cirt_fetch_res *res);

/* Close the body if it is still open; res can be reused after init. */
void cirt_fetch_res_release(struct cirt_fetch_res *res);

/*
 * GET req->url into res (initialised by the caller; released and filled
 * here). 0 on a 2xx (fd holds the body) or a 304 (not_modified, fd -1),
 * or a negative code (see the top of this file) with res->status and the
 * headers of the last answer, if any, still filled and no fd.
 */
int cirt_fetch(const struct cirt_fetch_req *req, struct cirt_fetch_res *res,
	       struct cirt_diag *d) CIRT_MUST_CHECK;

/* One page of a TAXII 2.1 collection's objects. */
struct cirt_fetch_taxii_req {
	/* Transport options and credentials; url and accept are set by
	 * the call. */
	struct cirt_fetch_req http;
	const char *collection;	 /* ".../collections/<id>/" */
	const char *added_after; /* RFC 3339 timestamp, or NULL/"" */
	const char *next;	 /* the last page's next, or NULL/"" */
	unsigned limit;		 /* objects per page; 0: the server's */
};

struct cirt_fetch_taxii_res {
	/* The envelope in fd (rewound); X-TAXII-Date-Added-Last in
	 * http.date_added_last. */
	struct cirt_fetch_res http;
	bool more;			    /* the envelope's "more" */
	char next[CIRT_FETCH_NEXT_MAX + 1]; /* its "next", "" if none */
	size_t count;			    /* elements of its "objects" */
};

void cirt_fetch_taxii_res_init(struct cirt_fetch_taxii_res *res);
void cirt_fetch_taxii_res_release(struct cirt_fetch_taxii_res *res);

/*
 * GET <collection>objects/?limit=N&added_after=T&next=X with
 * "Accept: application/taxii+json;version=2.1" and read the envelope's
 * "more" and "next" (the objects are walked, not kept: the caller feeds
 * the fd to the STIX parser). added_after must be an RFC 3339 timestamp
 * (-CIRT_EINVAL). A 304 (when req->http.etag is given) gives 0 with
 * http.not_modified, more false and no fd. Errors as cirt_fetch, and
 * -CIRT_EMEDIA for a Content-Type that is not JSON, -CIRT_EPROTO for a
 * body that is not an envelope, -CIRT_ELIMIT for a next token longer than
 * CIRT_FETCH_NEXT_MAX.
 */
int cirt_fetch_taxii_page(const struct cirt_fetch_taxii_req *req,
			  struct cirt_fetch_taxii_res *res,
			  struct cirt_diag *d) CIRT_MUST_CHECK;

#endif
