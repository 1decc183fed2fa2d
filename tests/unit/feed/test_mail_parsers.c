/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The abuse-report parsers (feed/parse_mail.c, parse_xarf.c,
 * parse_stix.c): ARF-01 to ARF-04 on the RFC 5965 fixture and variants
 * built here (fields missing or repeated, unknown and every Feedback-Type,
 * CRLF, folded lines, base64, text/rfc822-headers); every X-ARF v4 and v3
 * sample (one event each, classification and source); invalid reports;
 * arrays; X-ARF in e-mail, legacy X-ARF 0.2; a STIX bundle with each
 * kind of indicator and observable, patterns that give no event and TLP
 * markings; hostile input (truncated MIME, deep nesting, huge header,
 * binary, over the size limit) counted without a crash. Tests that need
 * ../shared/data skip when it is not there.
 */
#include "testlib.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/ip.h"
#include "core/json.h"
#include "core/tlp.h"
#include "feed/event.h"
#include "feed/parser.h"

#define SEEN_MAX 32

/* What the tests look at in one emitted event. */
struct seen {
	char cls[40], type[40], identifier[64];
	char ip[CIRT_IP_TEXT_MAX + 1], dst_ip[CIRT_IP_TEXT_MAX + 1];
	char fqdn[CIRT_EVENT_FQDN_MAX + 1], url[CIRT_EVENT_URL_MAX + 1];
	char transport[8], application[64], malware[64];
	int32_t port, dst_port;
	int64_t time, line;
	int tlp;
	char extra[8192];
	size_t raw_len;
};

struct result {
	int rc;
	struct cirt_diag d;
	struct cirt_feed_stats st;
	size_t n;
	struct seen ev[SEEN_MAX];
};

static int catch (struct cirt_event *ev, void *arg)
{
	struct result *res = arg;
	struct seen *s;

	assert_true(res->n < SEEN_MAX);
	s = &res->ev[res->n++];
	snprintf(s->cls, sizeof(s->cls), "%s", ev->cls);
	snprintf(s->type, sizeof(s->type), "%s", ev->type);
	snprintf(s->identifier, sizeof(s->identifier), "%s", ev->identifier);
	if (ev->src.has_ip)
		cirt_ip_format(&ev->src.ip, s->ip);
	if (ev->dst.has_ip)
		cirt_ip_format(&ev->dst.ip, s->dst_ip);
	snprintf(s->fqdn, sizeof(s->fqdn), "%s", ev->src.fqdn);
	snprintf(s->url, sizeof(s->url), "%s", ev->url);
	snprintf(s->transport, sizeof(s->transport), "%s", ev->transport);
	snprintf(s->application, sizeof(s->application), "%s", ev->application);
	snprintf(s->malware, sizeof(s->malware), "%s", ev->malware);
	s->port = ev->src.port;
	s->dst_port = ev->dst.port;
	s->time = ev->time_source;
	s->line = ev->line;
	s->tlp = ev->tlp;
	snprintf(s->extra, sizeof(s->extra), "%s", cirt_buf_str(&ev->extra));
	s->raw_len = ev->raw_len;
	assert_true(ev->raw != NULL && ev->raw_len > 0);
	return 0;
}

/* Run parser name on data[0..n) (through a temporary file). */
static struct result *run(const char *name, const char *data, size_t n,
			  const char *options)
{
	const struct cirt_parser *p = cirt_parser_find(name);
	struct cirt_feed_src src;
	struct result *res = calloc(1, sizeof(*res));
	FILE *f = tmpfile();

	assert_non_null(p);
	assert_non_null(res);
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fflush(f), 0);
	rewind(f);
	memset(&src, 0, sizeof(src));
	src.fd = fileno(f);
	src.name = "test";
	src.report_time = 1000000;
	src.options = options != NULL ? options : "";
	cirt_diag_init(&res->d);
	res->rc = p->run(&src, catch, res, &res->st, &res->d);
	fclose(f);
	return res;
}

static struct result *runs(const char *name, const char *data)
{
	return run(name, data, strlen(data), NULL);
}

/* One record, counted as malformed, with want in its message. */
static void assert_bad(const struct result *res, const char *want)
{
	assert_int_equal(res->rc, 0);
	assert_int_equal(res->n, 0);
	assert_int_equal(res->st.bad, 1);
	if (strstr(res->st.first_bad[0], want) == NULL)
		fail_msg("\"%s\" not in \"%s\"", want, res->st.first_bad[0]);
}

static void assert_has(const char *s, const char *want)
{
	if (strstr(s, want) == NULL)
		fail_msg("\"%s\" not in \"%s\"", want, s);
}

/* s with the first from replaced by to (caller frees). */
static char *replace(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	size_t a, b = strlen(from), c = strlen(to);
	char *out;

	assert_non_null(at);
	a = (size_t)(at - s);
	out = malloc(strlen(s) - b + c + 1);
	assert_non_null(out);
	memcpy(out, s, a);
	memcpy(out + a, to, c);
	memcpy(out + a + c, at + b, strlen(at + b) + 1);
	return out;
}

/* s with every "\n" as "\r\n" (caller frees). */
static char *crlf(const char *s)
{
	size_t n = strlen(s), i, k = 0;
	char *out = malloc(2 * n + 1);

	assert_non_null(out);
	for (i = 0; i < n; i++) {
		if (s[i] == '\n')
			out[k++] = '\r';
		out[k++] = s[i];
	}
	out[k] = '\0';
	return out;
}

static char *shared_file(const char *rel, size_t *len);

#define ARF_FIXTURE "arf/rfc5965-appB2-style-abuse-report.eml"

/* s with every "\r\n" as "\n", in place. */
static void lf(char *s, size_t *n)
{
	size_t i, k = 0;

	for (i = 0; i < *n; i++)
		if (!(s[i] == '\r' && i + 1 < *n && s[i + 1] == '\n'))
			s[k++] = s[i];
	s[k] = '\0';
	*n = k;
}

/* The bytes of a JSON file without its trailing white space. */
static size_t json_len(const char *j, size_t n)
{
	while (n > 0 && strchr(" \t\r\n", j[n - 1]) != NULL)
		n--;
	return n;
}

/* The ARF fixture with LF line ends, for the variants built from it. */
static char *arf_lf(size_t *n)
{
	char *m = shared_file(ARF_FIXTURE, n);

	if (m != NULL)
		lf(m, n);
	return m;
}

static char *shared_file(const char *rel, size_t *len)
{
	char path[1024];
	const char *dir = test_shared_data("abuse-reporting samples");

	if (dir == NULL)
		return NULL;
	snprintf(path, sizeof(path), "%s/abuse-reporting/%s", dir, rel);
	return test_read_file(path, len);
}

/* 2005-03-08 14:00:00 EDT */
#define ARF_TIME (INT64_C(1110304800) * 1000000)

/* ---- ARF ---- */

/* ARF-01, ARF-04: the fixture's fields. */
static void arf_fixture(void **state)
{
	struct result *res;
	size_t n;
	char *m = shared_file(ARF_FIXTURE, &n);

	(void)state;
	if (m == NULL)
		return;
	res = run("arf", m, n, NULL);
	assert_int_equal(res->rc, 0);
	assert_int_equal(res->st.records, 1);
	assert_int_equal(res->st.events, 1);
	assert_int_equal(res->st.bad, 0);
	assert_int_equal(res->n, 1);
	assert_string_equal(res->ev[0].cls, "abusive-content");
	assert_string_equal(res->ev[0].type, "spam");
	assert_string_equal(res->ev[0].identifier, "abuse");
	assert_string_equal(res->ev[0].ip, "192.0.2.1");
	assert_string_equal(res->ev[0].fqdn, "example.net");
	assert_string_equal(res->ev[0].url,
			    "http://example.net/earn_money.html");
	assert_int_equal(res->ev[0].time, ARF_TIME);
	assert_int_equal(res->ev[0].line, 1);
	assert_int_equal(res->ev[0].raw_len, n);
	assert_has(res->ev[0].extra, "\"feedback_type\":\"abuse\"");
	assert_has(res->ev[0].extra, "\"user_agent\":\"SomeGenerator/1.0\"");
	assert_has(res->ev[0].extra,
		   "\"original_mail_from\":\"<somespammer@example.net>\"");
	assert_has(res->ev[0].extra,
		   "\"original_rcpt_to\":\"<user@example.com>\"");
	assert_has(res->ev[0].extra,
		   "\"reporting_mta\":\"dns; mail.example.com\"");
	assert_has(res->ev[0].extra, "\"reported_domains\":\"example.net\"");
	assert_has(res->ev[0].extra,
		   "\"reported_uris\":\"http://example.net/earn_money.html, "
		   "mailto:user@example.com\"");
	assert_has(res->ev[0].extra,
		   "\"authentication_results\":\"mail.example.com; spf=fail "
		   "smtp.mail=somespammer@example.com\"");
	assert_has(res->ev[0].extra, "\"subject\":\"Earn money\"");
	free(res);
	free(m);
}

/* ARF-02: each required field missing, repeated; Version not 1. */
static void arf_required(void **state)
{
	static const struct {
		const char *from, *to, *want;
	} cases[] = {
		{"Feedback-Type: abuse\n", "", "Feedback-Type: missing"},
		{"User-Agent: SomeGenerator/1.0\n", "", "User-Agent: missing"},
		{"Version: 1\n", "", "Version: missing"},
		{"Version: 1\n", "Version: 2\n", "is not 1"},
		{"Version: 1\n", "Version: 1\nVersion: 1\n",
		 "Version: repeated"},
		{"User-Agent: SomeGenerator/1.0\n",
		 "User-Agent: a\nUser-Agent: b\n", "User-Agent: repeated"},
	};
	struct result *res;
	size_t i, n;
	char *m = arf_lf(&n), *v;

	(void)state;
	if (m == NULL)
		return;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = replace(m, cases[i].from, cases[i].to);
		res = runs("arf", v);
		assert_int_equal(res->st.records, 1);
		assert_bad(res, cases[i].want);
		free(res);
		free(v);
	}
	free(m);
}

/* ARF-03 and ARF-04: every Feedback-Type; not-spam gives no event. */
static void arf_types(void **state)
{
	static const struct {
		const char *type, *cls, *rsit;
	} cases[] = {
		{"abuse", "abusive-content", "spam"},
		{"fraud", "fraud", "phishing"},
		{"virus", "malicious-code", "malware-distribution"},
		{"other", "other", "other"},
		{"auth-failure", "fraud", "masquerade"},
		{"Something-New", "other", "other"},
		{"not-spam", NULL, NULL},
	};
	struct result *res;
	char line[64], *v;
	size_t i, n;
	char *m = arf_lf(&n);

	(void)state;
	if (m == NULL)
		return;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(line, sizeof(line), "Feedback-Type: %s\n",
			 cases[i].type);
		v = replace(m, "Feedback-Type: abuse\n", line);
		res = runs("arf", v);
		assert_int_equal(res->rc, 0);
		assert_int_equal(res->st.records, 1);
		assert_int_equal(res->st.bad, 0);
		if (cases[i].cls == NULL) {
			assert_int_equal(res->n, 0);
		} else {
			assert_int_equal(res->n, 1);
			assert_string_equal(res->ev[0].cls, cases[i].cls);
			assert_string_equal(res->ev[0].type, cases[i].rsit);
			assert_string_equal(res->ev[0].ip, "192.0.2.1");
		}
		free(res);
		free(v);
	}
	v = replace(m, "Feedback-Type: abuse\n",
		    "Feedback-Type: Something-New\n");
	res = runs("arf", v);
	assert_has(res->ev[0].extra, "\"feedback_type\":\"Something-New\"");
	free(res);
	free(v);
	free(m);
}

/* CRLF line ends, folded fields, Received-Date, a bracketed Source-IP. */
static void arf_variants(void **state)
{
	struct result *res;
	size_t n;
	char *m = arf_lf(&n), *a, *b, *c;

	(void)state;
	if (m == NULL)
		return;
	a = replace(m, "Source-IP: 192.0.2.1\n", "Source-IP:\n  [192.0.2.1]\n");
	b = replace(a, "Arrival-Date: Thu, 8 Mar 2005 14:00:00 EDT\n",
		    "Received-Date: Thu, 8 Mar 2005\n\t18:00:00 +0000 (UTC)\n");
	c = crlf(b);
	res = runs("arf", c);
	assert_int_equal(res->rc, 0);
	assert_int_equal(res->st.bad, 0);
	assert_int_equal(res->n, 1);
	assert_string_equal(res->ev[0].ip, "192.0.2.1");
	assert_int_equal(res->ev[0].time, ARF_TIME);
	assert_string_equal(res->ev[0].fqdn, "example.net");
	assert_has(res->ev[0].extra, "\"subject\":\"Earn money\"");
	free(res);
	free(a);
	free(b);
	free(c);
	free(m);
}

/* The report part in base64, the original as text/rfc822-headers with
 * an encoded Subject, no Arrival-Date (the run's report time). */
static const char arf_b64[] =
	"From: fbl@isp.example\n"
	"To: abuse@cert.example\n"
	"Subject: report\n"
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/report; report-type=feedback-report;\n"
	"\tboundary=\"b1\"\n"
	"\n"
	"--b1\n"
	"Content-Type: text/plain\n"
	"\n"
	"A report.\n"
	"--b1\n"
	"Content-Type: message/feedback-report\n"
	"Content-Transfer-Encoding: base64\n"
	"\n"
	/* Feedback-Type: fraud / User-Agent: x/1 / Version: 1 /
	 * Source-IP: 2001:db8::1 / Reported-Uri: https://phish.example/a */
	"RmVlZGJhY2stVHlwZTogZnJhdWQKVXNlci1BZ2VudDogeC8xClZlcnNpb246IDEK\n"
	"U291cmNlLUlQOiAyMDAxOmRiODo6MQpSZXBvcnRlZC1Vcmk6IGh0dHBzOi8vcGhp\n"
	"c2guZXhhbXBsZS9hCg==\n"
	"--b1\n"
	"Content-Type: text/rfc822-headers\n"
	"\n"
	"From: bad@phish.example\n"
	"Subject: =?UTF-8?B?w4RjaHR1bmc=?=\n"
	"\n"
	"--b1--\n";

static void arf_encoded(void **state)
{
	struct result *res = runs("arf", arf_b64);

	(void)state;
	assert_int_equal(res->rc, 0);
	assert_int_equal(res->st.bad, 0);
	assert_int_equal(res->n, 1);
	assert_string_equal(res->ev[0].cls, "fraud");
	assert_string_equal(res->ev[0].type, "phishing");
	assert_string_equal(res->ev[0].ip, "2001:db8::1");
	assert_string_equal(res->ev[0].url, "https://phish.example/a");
	assert_int_equal(res->ev[0].time, 1000000);
	assert_has(res->ev[0].extra, "\"subject\":\"\xc3\x84"
				     "chtung\"");
	free(res);
}

/* Not an abuse report; bad values. */
static void arf_not_reports(void **state)
{
	struct result *res;

	(void)state;
	res = runs("arf", "From: a@example.org\nSubject: hi\n\nJust mail.\n");
	assert_int_equal(res->st.records, 1);
	assert_bad(res, "not an abuse report");
	free(res);
	res = runs("arf", "");
	assert_bad(res, "empty");
	free(res);
	res = runs("arf", "\x01\x02\x03\xff\xfe binary\n");
	assert_int_equal(res->st.bad, 1);
	free(res);
}

static void arf_bad_values(void **state)
{
	struct result *res;
	size_t n;
	char *m = arf_lf(&n), *v;

	(void)state;
	if (m == NULL)
		return;
	v = replace(m, "Source-IP: 192.0.2.1", "Source-IP: 300.1.1.1");
	res = runs("arf", v);
	assert_bad(res, "source.ip");
	free(res);
	free(v);
	v = replace(m, "Arrival-Date: Thu, 8 Mar 2005 14:00:00 EDT",
		    "Arrival-Date: yesterday");
	res = runs("arf", v);
	assert_bad(res, "Arrival-Date");
	free(res);
	free(v);
	res = run("arf", m, n, "max=1k");
	assert_int_equal(res->st.records, 1);
	assert_bad(res, "longer than 1024");
	free(res);
	res = run("arf", m, n, "max=lots");
	assert_int_equal(res->rc, -CIRT_EINVAL);
	assert_string_equal(res->d.field, "max");
	free(res);
	free(m);
}

/* ---- legacy X-ARF 0.2 ---- */

static const char legacy_mail[] =
	"From: reports@honeypot.example\n"
	"To: abuse@cert.example\n"
	"Subject: abuse report about 192.0.2.44\n"
	"MIME-Version: 1.0\n"
	"X-XARF: PLAIN\n"
	"Content-Type: multipart/mixed; boundary=\"x\"\n"
	"\n"
	"--x\n"
	"Content-Type: text/plain; charset=utf-8\n"
	"\n"
	"Dear abuse team, see the report.\n"
	"--x\n"
	"Content-Type: text/plain; charset=utf-8; name=\"report.txt\"\n"
	"Content-Disposition: attachment; filename=\"report.txt\"\n"
	"\n"
	"---\n"
	"# X-ARF 0.2\n"
	"Reported-From: reports@honeypot.example\n"
	"Category: 'abuse'\n"
	"Report-Type: \"login-attack\"\n"
	"Service: ssh\n"
	"Version: '0.2'\n"
	"User-Agent: \"fail2ban 0.11\"\n"
	"Date: Thu, 8 Mar 2005 14:00:00 EDT\n"
	"Source-Type: ipv4\n"
	"Source: 192.0.2.44\n"
	"Port: 22\n"
	"Report-ID: 1234@honeypot.example\n"
	"Schema-URL: "
	"http://www.x-arf.org/schema/abuse_login-attack_0.1.2.json\n"
	"--x\n"
	"Content-Type: text/plain; name=\"logfile.log\"\n"
	"\n"
	"Mar  8 14:00:00 sshd[1]: Failed password for root\n"
	"--x--\n";

static void legacy_xarf(void **state)
{
	struct result *res = runs("arf", legacy_mail);
	char *v;

	(void)state;
	assert_int_equal(res->rc, 0);
	assert_int_equal(res->st.bad, 0);
	assert_int_equal(res->n, 1);
	assert_string_equal(res->ev[0].cls, "intrusion-attempts");
	assert_string_equal(res->ev[0].type, "brute-force");
	assert_string_equal(res->ev[0].identifier, "abuse/login-attack");
	assert_string_equal(res->ev[0].ip, "192.0.2.44");
	assert_int_equal(res->ev[0].port, 22);
	assert_string_equal(res->ev[0].application, "ssh");
	assert_int_equal(res->ev[0].time, ARF_TIME);
	assert_has(res->ev[0].extra, "\"user_agent\":\"fail2ban 0.11\"");
	assert_has(res->ev[0].extra, "\"xarf_version\":\"0.2\"");
	assert_has(res->ev[0].extra, "\"category\":\"abuse\"");
	assert_has(res->ev[0].extra, "\"report_type\":\"login-attack\"");
	free(res);

	/* The xarf parser takes the same e-mail. */
	res = runs("xarf", legacy_mail);
	assert_int_equal(res->n, 1);
	assert_string_equal(res->ev[0].type, "brute-force");
	free(res);

	v = replace(legacy_mail, "Report-Type: \"login-attack\"\n",
		    "Report-Type: spam\n");
	res = runs("arf", v);
	assert_string_equal(res->ev[0].cls, "abusive-content");
	assert_string_equal(res->ev[0].type, "spam");
	free(res);
	free(v);
	v = replace(legacy_mail, "Source: 192.0.2.44\n", "");
	res = runs("arf", v);
	assert_bad(res, "Source: missing");
	free(res);
	free(v);
}

/* ---- X-ARF v4 ---- */

/* Every sample: its classification (source checked from the file). */
static const struct {
	const char *file, *cls, *type;
} v4_expect[] = {
	{"connection-ddos", "availability", "ddos"},
	{"connection-infected-host", "malicious-code", "infected-system"},
	{"connection-login-attack", "intrusion-attempts", "brute-force"},
	{"connection-port-scan", "information-gathering", "scanner"},
	{"connection-reconnaissance", "information-gathering", "scanner"},
	{"connection-vulnerability-scan", "information-gathering", "scanner"},
	{"content-brand-infringement", "fraud", "masquerade"},
	{"content-csam", "abusive-content", "violence"},
	{"content-csem", "abusive-content", "violence"},
	{"content-fraud", "fraud", "masquerade"},
	{"content-malware", "malicious-code", "malware-distribution"},
	{"content-phishing", "fraud", "phishing"},
	{"content-remote-compromise", "intrusions", "system-compromise"},
	{"content-suspicious-registration", "fraud", "masquerade"},
	{"copyright-copyright", "fraud", "copyright"},
	{"copyright-cyberlocker", "fraud", "copyright"},
	{"copyright-link-site", "fraud", "copyright"},
	{"copyright-p2p", "fraud", "copyright"},
	{"copyright-ugc-platform", "fraud", "copyright"},
	{"copyright-usenet", "fraud", "copyright"},
	{"infrastructure-botnet", "malicious-code", "infected-system"},
	{"messaging-spam", "abusive-content", "spam"},
	{"reputation-blocklist", "other", "other"},
	{"reputation-threat-intelligence", "other", "other"},
	{"vulnerability-cve", "vulnerable", "vulnerable-system"},
	{"vulnerability-misconfiguration", "vulnerable", "vulnerable-system"},
};

#define NV4 (sizeof(v4_expect) / sizeof(v4_expect[0]))

static size_t v4_index(const char *file)
{
	size_t i, n = strlen(file) - 5; /* ".json" */

	for (i = 0; i < NV4; i++)
		if (strlen(v4_expect[i].file) == n &&
		    strncmp(file, v4_expect[i].file, n) == 0)
			return i;
	fail_msg("no expectation for %s", file);
	return 0;
}

/* The value of "name": "..." in JSON text (enough for the samples). */
static void json_field(const char *j, const char *name, char *out, size_t n)
{
	char key[64];
	const char *p, *e;

	snprintf(key, sizeof(key), "\"%s\": \"", name);
	p = strstr(j, key);
	assert_non_null(p);
	p += strlen(key);
	e = strchr(p, '"');
	assert_non_null(e);
	snprintf(out, n, "%.*s", (int)(e - p), p);
}

static void check_v4(const char *file, const char *j, size_t n)
{
	struct result *res = run("xarf", j, n, NULL);
	size_t k = v4_index(file);
	char src[256], cat[64], type[64], id[128], ts[64];
	int64_t us;

	assert_int_equal(res->rc, 0);
	if (res->st.bad != 0)
		fail_msg("%s: %s", file, res->st.first_bad[0]);
	assert_int_equal(res->st.records, 1);
	assert_int_equal(res->st.events, 1);
	assert_string_equal(res->ev[0].cls, v4_expect[k].cls);
	assert_string_equal(res->ev[0].type, v4_expect[k].type);
	json_field(j, "source_identifier", src, sizeof(src));
	json_field(j, "category", cat, sizeof(cat));
	json_field(j, "type", type, sizeof(type));
	json_field(j, "timestamp", ts, sizeof(ts));
	snprintf(id, sizeof(id), "%s/%s", cat, type);
	assert_string_equal(res->ev[0].identifier, id);
	if (src[0] >= '0' && src[0] <= '9')
		assert_string_equal(res->ev[0].ip, src);
	else
		assert_string_equal(res->ev[0].fqdn, src);
	assert_int_equal(cirt_event_parse_time(ts, strlen(ts), &us), 0);
	assert_int_equal(res->ev[0].time, us);
	assert_int_equal(res->ev[0].raw_len, json_len(j, n));
	assert_has(res->ev[0].extra, "\"report_id\":\"");
	assert_has(res->ev[0].extra, "\"reporter\":\"");
	if (strstr(j, "\"payload\"") != NULL) {
		assert_has(res->ev[0].extra, "\"evidence_hashes\":\"");
		assert_null(strstr(res->ev[0].extra, "payload"));
	}
	free(res);
}

static void xarf_v4_samples(void **state)
{
	const char *dir = test_shared_data("X-ARF v4 samples");
	char path[1024];
	struct dirent *e;
	size_t n, count = 0;
	DIR *dh;
	char *j;

	(void)state;
	if (dir == NULL)
		return;
	snprintf(path, sizeof(path), "%s/abuse-reporting/xarf/samples/v4", dir);
	dh = opendir(path);
	assert_non_null(dh);
	while ((e = readdir(dh)) != NULL) {
		if (strstr(e->d_name, ".json") == NULL)
			continue;
		snprintf(path, sizeof(path),
			 "%s/abuse-reporting/xarf/samples/v4/%s", dir,
			 e->d_name);
		j = test_read_file(path, &n);
		check_v4(e->d_name, j, n);
		free(j);
		count++;
	}
	closedir(dh);
	assert_int_equal(count, NV4);
}

static void xarf_v3_samples(void **state)
{
	static const struct {
		const char *file, *cls, *type, *ip, *url;
	} cases[] = {
		{"spam", "abusive-content", "spam", "192.168.1.100", NULL},
		{"ddos", "availability", "ddos", "172.16.254.10", NULL},
		{"phishing", "fraud", "phishing", NULL,
		 "https://malicious-example.net/banking-login/"},
		{"botnet", "malicious-code", "infected-system", "198.51.100.25",
		 NULL},
	};
	struct result *res;
	char rel[128], *j;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(rel, sizeof(rel), "xarf/samples/v3/%s_v3_sample.json",
			 cases[i].file);
		j = shared_file(rel, &n);
		if (j == NULL)
			return;
		res = run("xarf", j, n, NULL);
		if (res->st.bad != 0)
			fail_msg("%s: %s", rel, res->st.first_bad[0]);
		assert_int_equal(res->n, 1);
		assert_string_equal(res->ev[0].cls, cases[i].cls);
		assert_string_equal(res->ev[0].type, cases[i].type);
		if (cases[i].ip != NULL)
			assert_string_equal(res->ev[0].ip, cases[i].ip);
		if (cases[i].url != NULL)
			assert_string_equal(res->ev[0].url, cases[i].url);
		assert_has(res->ev[0].extra, "\"legacy_version\":\"3\"");
		assert_has(res->ev[0].extra, "\"evidence_descriptions\":\"");
		assert_int_equal(res->ev[0].raw_len, json_len(j, n));
		free(res);
		free(j);
	}
}

static char *sample(const char *name, size_t *n)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "xarf/samples/v4/%s.json", name);
	return shared_file(rel, n);
}

/* Fields of the login-attack sample; an array of reports. */
static void xarf_fields_array(void **state)
{
	struct result *res;
	struct cirt_buf b;
	size_t n1, n2;
	char *a = sample("connection-login-attack", &n1);
	char *c = sample("content-malware", &n2);

	(void)state;
	if (a == NULL || c == NULL)
		return;
	res = run("xarf", a, n1, NULL);
	assert_string_equal(res->ev[0].ip, "198.51.100.77");
	assert_int_equal(res->ev[0].port, 45621);
	assert_string_equal(res->ev[0].dst_ip, "203.0.113.22");
	assert_int_equal(res->ev[0].dst_port, 22);
	assert_string_equal(res->ev[0].transport, "tcp");
	assert_string_equal(res->ev[0].application, "ssh");
	assert_has(res->ev[0].extra, "\"evidence_source\":\"honeypot\"");
	assert_has(res->ev[0].extra,
		   "\"tags\":\"attack:brute_force, service:ssh, "
		   "pattern:dictionary\"");
	assert_has(res->ev[0].extra, "\"evidence_count\":1");
	free(res);

	cirt_buf_init(&b, 1 << 20);
	assert_int_equal(cirt_buf_adds(&b, " [\n"), 0);
	assert_int_equal(cirt_buf_add(&b, a, n1), 0);
	assert_int_equal(cirt_buf_adds(&b, ",\n"), 0);
	assert_int_equal(cirt_buf_add(&b, c, n2), 0);
	assert_int_equal(cirt_buf_adds(&b, "]\n"), 0);
	res = run("xarf", b.data, b.len, NULL);
	assert_int_equal(res->rc, 0);
	assert_int_equal(res->st.records, 2);
	assert_int_equal(res->st.events, 2);
	assert_int_equal(res->ev[0].line, 1);
	assert_int_equal(res->ev[1].line, 2);
	assert_int_equal(res->ev[0].raw_len, json_len(a, n1));
	assert_int_equal(res->ev[1].raw_len, json_len(c, n2));
	assert_string_equal(res->ev[1].url,
			    "http://download-center.example.com/setup.exe");
	assert_string_equal(res->ev[1].malware, "trojan.win32.generic");
	free(res);
	cirt_buf_release(&b);
	free(a);
	free(c);
}

/* Invalid reports are malformed records naming the field. */
static void xarf_invalid(void **state)
{
	static const struct {
		const char *from, *to, *want;
	} cases[] = {
		{"\"report_id\": \"dbf79f17-f4f4-4c22-ae58-19991f52a1e8\",", "",
		 "report_id: missing"},
		{"\"dbf79f17-f4f4-4c22-ae58-19991f52a1e8\"", "\"42\"",
		 "report_id: \"42\" is not a UUID"},
		{"\"category\": \"connection\"", "\"category\": \"bogus\"",
		 "category: \"bogus\""},
		{"\"xarf_version\": \"4.2.0\"", "\"xarf_version\": \"4.2\"",
		 "xarf_version"},
		{"\"contact\": \"honeypot@ssh-monitor.example\",", "",
		 "reporter.contact: missing"},
		{"\"timestamp\": \"2025-01-11T12:17:20Z\"",
		 "\"timestamp\": \"soon\"", "timestamp"},
		{"\"source_identifier\": \"198.51.100.77\",", "",
		 "source_identifier: missing"},
		{"\"source_port\": 45621", "\"source_port\": 99999",
		 "source.port"},
		{"\"xarf_version\": \"4.2.0\",",
		 "\"xarf_version\": \"4.2.0\", \"xarf_version\": \"4.2.0\",",
		 "duplicate"},
	};
	struct result *res;
	struct cirt_buf b;
	size_t i, n;
	char *a = sample("connection-login-attack", &n), *v;

	(void)state;
	if (a == NULL)
		return;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = replace(a, cases[i].from, cases[i].to);
		res = runs("xarf", v);
		assert_int_equal(res->st.records, 1);
		assert_bad(res, cases[i].want);
		free(res);
		free(v);
	}
	/* One bad report in an array does not stop the others. */
	v = replace(a, "\"category\": \"connection\"", "\"category\": \"x\"");
	cirt_buf_init(&b, 1 << 20);
	assert_int_equal(cirt_buf_addf(&b, "[%s, 17, %s]", v, a), 0);
	res = run("xarf", b.data, b.len, NULL);
	assert_int_equal(res->rc, 0);
	assert_int_equal(res->st.records, 3);
	assert_int_equal(res->st.events, 1);
	assert_int_equal(res->st.bad, 2);
	assert_int_equal(res->ev[0].line, 3);
	assert_has(res->st.first_bad[0], "line 1: category");
	assert_has(res->st.first_bad[1], "line 2: malformed JSON");
	free(res);
	cirt_buf_release(&b);
	/* Truncated; over the size limit. */
	res = run("xarf", a, n / 2, NULL);
	assert_bad(res, "ends inside report 1");
	free(res);
	res = run("xarf", a, n, "max=1k");
	assert_bad(res, "longer than 1024");
	free(res);
	free(v);
	free(a);
}

/* X-ARF v4 JSON attached to, or the body of, an e-mail. */
static void xarf_in_mail(void **state)
{
	struct result *res;
	struct cirt_buf b;
	size_t n;
	char *a = sample("messaging-spam", &n);

	(void)state;
	if (a == NULL)
		return;
	cirt_buf_init(&b, 1 << 20);
	assert_int_equal(
		cirt_buf_addf(&b,
			      "From: x@antispam-service.example\n"
			      "Subject: X-ARF report\n"
			      "MIME-Version: 1.0\n"
			      "Content-Type: multipart/mixed; boundary=zz\n\n"
			      "--zz\nContent-Type: text/plain\n\nSee the "
			      "attachment.\n--zz\n"
			      "Content-Type: application/json\n"
			      "Content-Disposition: attachment; "
			      "filename=report.json\n\n%s\n--zz--\n",
			      a),
		0);
	res = run("arf", b.data, b.len, NULL);
	assert_int_equal(res->st.records, 1);
	assert_int_equal(res->n, 1);
	assert_string_equal(res->ev[0].cls, "abusive-content");
	assert_string_equal(res->ev[0].ip, "192.168.1.100");
	assert_int_equal(res->ev[0].port, 25);
	assert_int_equal(res->ev[0].raw_len, b.len);
	free(res);
	res = run("xarf", b.data, b.len, NULL);
	assert_int_equal(res->n, 1);
	assert_string_equal(res->ev[0].identifier, "messaging/spam");
	free(res);
	cirt_buf_release(&b);

	cirt_buf_init(&b, 1 << 20);
	assert_int_equal(cirt_buf_addf(&b,
				       "From: x@antispam-service.example\n"
				       "Subject: X-ARF report\n\n%s",
				       a),
			 0);
	res = run("arf", b.data, b.len, NULL);
	assert_int_equal(res->n, 1);
	assert_string_equal(res->ev[0].type, "spam");
	free(res);
	cirt_buf_release(&b);
	free(a);
}

/* ---- STIX ---- */

#define TLP2_AMBER "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
#define TLP2_RED   "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"
#define TLP2_GREEN "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"

/* The indicators of the test bundle, in order (ids ...0001 up). */
static const struct {
	const char *pattern, *extra;
} indicators[] = {
	{"[ipv4-addr:value = '198.51.100.7']",
	 ",\"name\":\"bot\",\"indicator_types\":[\"compromised\"],"
	 "\"object_marking_refs\":[\"" TLP2_AMBER "\"]"},
	{"[ipv6-addr:value = '2001:db8::5']",
	 ",\"object_marking_refs\":[\"" TLP2_GREEN "\",\"" TLP2_RED "\"]"},
	{"[domain-name:value = 'tor-exit.example']",
	 ",\"indicator_types\":[\"anonymization\"]"},
	{"[url:value = 'http://bad.example/x.exe']",
	 ",\"indicator_types\":[\"malicious-activity\"]"},
	{"[ipv4-addr:value = '203.0.113.0/24']", ""},
	/* No event: two observables, two comparisons, another object. */
	{"[ipv4-addr:value = '192.0.2.1'] AND "
	 "[domain-name:value = 'a.example']",
	 ""},
	{"[ipv4-addr:value = '192.0.2.1'] OR [ipv4-addr:value = '192.0.2.2']",
	 ""},
	{"[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']", ""},
	/* Malformed: no parse; an IPv6 address as ipv4-addr. */
	{"[ipv4-addr:value = ", ""},
	{"[ipv4-addr:value = '192.0.2.9']", ",\"revoked\":true"},
	{"[ipv4-addr:value = '2001:db8::9']", ""},
};

/* The objects after them: three SCOs and an identity. */
static const char *const others[] = {
	"{\"type\":\"ipv4-addr\",\"spec_version\":\"2.1\",\"id\":\"ipv4-addr--"
	"00000000-0000-4000-8000-000000000010\",\"value\":\"192.0.2.77\"}",
	"{\"type\":\"domain-name\",\"spec_version\":\"2.1\",\"id\":\"domain-"
	"name--00000000-0000-4000-8000-000000000011\",\"value\":"
	"\"Evil.Example\"}",
	"{\"type\":\"url\",\"spec_version\":\"2.1\",\"id\":\"url--00000000-"
	"0000-4000-8000-000000000012\",\"value\":\"https://evil.example/p\"}",
	"{\"type\":\"identity\",\"spec_version\":\"2.1\",\"id\":\"identity--"
	"00000000-0000-4000-8000-000000000013\",\"created\":\"2026-01-01T00:"
	"00:00Z\",\"modified\":\"2026-01-01T00:00:00Z\",\"name\":\"CERT\","
	"\"identity_class\":\"organization\"}",
};

static char *make_bundle(void)
{
	struct cirt_buf b;
	size_t i;

	cirt_buf_init(&b, 1 << 20);
	assert_int_equal(cirt_buf_adds(&b, "{\"type\":\"bundle\",\"id\":"
					   "\"bundle--6f2b9c3a-1e52-4c7d-a8a7-"
					   "1c3a5b6d7e8f\",\"objects\":["),
			 0);
	for (i = 0; i < sizeof(indicators) / sizeof(indicators[0]); i++)
		assert_int_equal(
			cirt_buf_addf(
				&b,
				"{\"type\":\"indicator\",\"spec_version\":"
				"\"2.1\",\"id\":\"indicator--00000000-0000-"
				"4000-8000-%012zx\",\"created\":\"2026-01-01T"
				"00:00:00Z\",\"modified\":\"2026-01-01T00:00:"
				"00Z\",\"pattern\":\"%s\",\"pattern_type\":"
				"\"stix\",\"valid_from\":\"2026-01-02T03:04:"
				"05Z\"%s},",
				i + 1, indicators[i].pattern,
				indicators[i].extra),
			0);
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		assert_int_equal(
			cirt_buf_addf(&b, "%s%s", i > 0 ? "," : "", others[i]),
			0);
	assert_int_equal(cirt_buf_adds(&b, "]}"), 0);
	return cirt_buf_detach(&b, NULL);
}

static void stix_bundle(void **state)
{
	char *bundle = make_bundle();
	struct result *res = runs("stix", bundle);

	(void)state;
	assert_int_equal(res->rc, 0);
	assert_int_equal(res->st.records, 15);
	assert_int_equal(res->st.events, 8);
	assert_int_equal(res->st.bad, 2);
	assert_has(res->st.first_bad[0], "line 9: pattern");
	assert_has(res->st.first_bad[1], "line 11: value");
	assert_int_equal(res->n, 8);

	assert_string_equal(res->ev[0].ip, "198.51.100.7");
	assert_string_equal(res->ev[0].cls, "malicious-code");
	assert_string_equal(res->ev[0].type, "infected-system");
	assert_int_equal(res->ev[0].tlp, CIRT_TLP_AMBER);
	assert_int_equal(res->ev[0].time, INT64_C(1767323045) * 1000000);
	assert_int_equal(res->ev[0].line, 1);
	assert_has(res->ev[0].extra,
		   "\"stix_id\":\"indicator--00000000-0000-4000-8000-"
		   "000000000001\"");
	assert_has(res->ev[0].extra, "\"name\":\"bot\"");
	assert_has(res->ev[0].extra, "\"indicator_types\":\"compromised\"");

	assert_string_equal(res->ev[1].ip, "2001:db8::5");
	assert_int_equal(res->ev[1].tlp, CIRT_TLP_RED);
	assert_string_equal(res->ev[1].cls, "");

	assert_string_equal(res->ev[2].fqdn, "tor-exit.example");
	assert_string_equal(res->ev[2].cls, "other");
	assert_int_equal(res->ev[2].tlp, -1);

	assert_string_equal(res->ev[3].url, "http://bad.example/x.exe");
	assert_string_equal(res->ev[3].cls, "");

	assert_string_equal(res->ev[4].ip, "203.0.113.0/24");

	assert_string_equal(res->ev[5].ip, "192.0.2.77");
	assert_int_equal(res->ev[5].time, 1000000);
	assert_int_equal(res->ev[5].line, 12);
	assert_string_equal(res->ev[6].fqdn, "evil.example");
	assert_string_equal(res->ev[7].url, "https://evil.example/p");
	free(res);
	free(bundle);
}

static void stix_broken(void **state)
{
	struct result *res;

	(void)state;
	res = runs("stix", "{\"type\":\"bundle\",\"objects\":[{\"type\":"
			   "\"ipv4-addr\",\"value\":\"192.0.2.1\"}, {\"type\"");
	assert_true(res->rc < 0);
	assert_int_equal(res->n, 1);
	free(res);
	res = runs("stix", "not json");
	assert_true(res->rc < 0);
	assert_int_equal(res->n, 0);
	free(res);
}

/* ---- hostile input ---- */

/* A message truncated inside its report part. */
static void hostile_truncated(void **state)
{
	struct result *res;
	size_t n;
	char *m = arf_lf(&n);
	const char *cut;

	(void)state;
	if (m == NULL)
		return;
	cut = strstr(m, "User-Agent:");
	res = run("arf", m, (size_t)(cut - m), NULL);
	assert_bad(res, "User-Agent: missing");
	free(res);
	cut = strstr(m,
		     "--part1_13d.2e68ed54_boundary\nContent-Type: message/f");
	res = run("arf", m, (size_t)(cut - m) + 5, NULL);
	assert_int_equal(res->st.bad, 1);
	free(res);
	free(m);
}

/* Multiparts nested depth deep. */
static char *nested(size_t depth)
{
	struct cirt_buf b;
	size_t i;

	cirt_buf_init(&b, 64 << 20);
	assert_int_equal(cirt_buf_adds(&b, "From: a@example.org\n"
					   "MIME-Version: 1.0\n"),
			 0);
	for (i = 0; i < depth; i++)
		assert_int_equal(cirt_buf_addf(&b,
					       "Content-Type: multipart/mixed; "
					       "boundary=\"b%zu\"\n\n--b%zu\n",
					       i, i),
				 0);
	assert_int_equal(cirt_buf_adds(&b, "Content-Type: message/"
					   "feedback-report\n\n"
					   "Feedback-Type: abuse\n"
					   "User-Agent: x\nVersion: 1\n"
					   "Source-IP: 192.0.2.1\n\n"),
			 0);
	for (i = depth; i-- > 0;)
		assert_int_equal(cirt_buf_addf(&b, "--b%zu--\n", i), 0);
	return cirt_buf_detach(&b, NULL);
}

static void hostile_nesting(void **state)
{
	struct result *res;
	char *m;

	(void)state;
	m = nested(8);
	res = runs("arf", m);
	assert_int_equal(res->n, 1);
	assert_string_equal(res->ev[0].ip, "192.0.2.1");
	free(res);
	free(m);
	m = nested(100);
	res = runs("arf", m);
	assert_bad(res, "nested");
	free(res);
	free(m);
	m = nested(5000);
	res = runs("arf", m);
	assert_bad(res, "too many MIME parts");
	free(res);
	free(m);
}

static void hostile_sizes(void **state)
{
	struct result *res;
	struct cirt_buf b;
	size_t i;

	(void)state;
	/* One header of just over 1 MiB, folded (larger ones take GMime
	 * minutes under AddressSanitizer, not longer to refuse). */
	cirt_buf_init(&b, 64 << 20);
	assert_int_equal(cirt_buf_adds(&b, "X-Huge: "), 0);
	for (i = 0; i < (1u << 20) / 64 + 64; i++)
		assert_int_equal(cirt_buf_adds(&b, "0123456789abcdef0123456789"
						   "abcdef0123456789abcdef012"
						   "3456789abcde\n "),
				 0);
	assert_int_equal(cirt_buf_adds(&b, "x\nSubject: big\n\nbody\n"), 0);
	res = run("arf", b.data, b.len, NULL);
	assert_bad(res, "not an abuse report");
	free(res);
	res = run("arf", b.data, b.len, "max=1m");
	assert_bad(res, "longer than");
	free(res);
	cirt_buf_release(&b);

	/* Header fields by the thousand: refused before GMime sees them. */
	cirt_buf_init(&b, 64 << 20);
	assert_int_equal(cirt_buf_adds(&b, "From: a@example.org\n"), 0);
	for (i = 0; i < 20000; i++)
		assert_int_equal(cirt_buf_adds(&b, "X-A: b\n"), 0);
	assert_int_equal(cirt_buf_adds(&b, "\nbody\n"), 0);
	res = run("arf", b.data, b.len, NULL);
	assert_bad(res, "too many lines that could be header fields");
	free(res);
	cirt_buf_release(&b);

	/* JSON nested deeper than the budget. */
	cirt_buf_init(&b, 64 << 20);
	assert_int_equal(cirt_buf_adds(&b, "{\"a\":"), 0);
	for (i = 0; i < 100000; i++)
		assert_int_equal(cirt_buf_add(&b, "[", 1), 0);
	for (i = 0; i < 100000; i++)
		assert_int_equal(cirt_buf_add(&b, "]", 1), 0);
	assert_int_equal(cirt_buf_adds(&b, "}"), 0);
	res = run("xarf", b.data, b.len, NULL);
	assert_int_equal(res->st.records, 1);
	assert_int_equal(res->st.bad, 1);
	free(res);
	cirt_buf_release(&b);
	res = runs("xarf", "[{\"a\":\"\\\"}]\"}, ]]]]]] trailing");
	assert_int_equal(res->n, 0);
	free(res);
}

/* A report longer than a raw record keeps its first bytes, marked. */
static void raw_truncated(void **state)
{
	struct result *res;
	struct cirt_buf b;
	size_t i;
	char *m;

	(void)state;
	cirt_buf_init(&b, 64 << 20);
	for (i = 0; i < (2u << 20) / 64; i++)
		assert_int_equal(cirt_buf_adds(&b, "Mar  8 14:00:00 sshd[1] "
						   "Failed password for root "
						   "from 192.0.2.44\n"),
				 0);
	m = replace(legacy_mail,
		    "Mar  8 14:00:00 sshd[1]: Failed password for root\n",
		    b.data);
	res = runs("arf", m);
	assert_int_equal(res->st.bad, 0);
	assert_int_equal(res->n, 1);
	assert_int_equal(res->ev[0].raw_len, CIRT_EVENT_RAW_MAX);
	assert_has(res->ev[0].extra, "\"raw_truncated\":\"true\"");
	free(res);
	free(m);
	cirt_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arf_fixture),
		cmocka_unit_test(arf_required),
		cmocka_unit_test(arf_types),
		cmocka_unit_test(arf_variants),
		cmocka_unit_test(arf_encoded),
		cmocka_unit_test(arf_not_reports),
		cmocka_unit_test(arf_bad_values),
		cmocka_unit_test(legacy_xarf),
		cmocka_unit_test(xarf_v4_samples),
		cmocka_unit_test(xarf_v3_samples),
		cmocka_unit_test(xarf_fields_array),
		cmocka_unit_test(xarf_invalid),
		cmocka_unit_test(xarf_in_mail),
		cmocka_unit_test(stix_bundle),
		cmocka_unit_test(stix_broken),
		cmocka_unit_test(hostile_truncated),
		cmocka_unit_test(hostile_nesting),
		cmocka_unit_test(hostile_sizes),
		cmocka_unit_test(raw_truncated),
	};

	cirt_json_setup();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
