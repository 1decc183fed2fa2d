/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The feed parsers of feed/parse_{shadowserver,lists,abusech,phishtank,
 * csv}.c, the registry and options of feed/parser.c, and the JSON array
 * reader of feed/json_array.c (standards.md 6.3, FEED-01 to -08):
 *  - every sample in ../shared/data/feeds parses to the expected number
 *    of events with their RSIT classification, a few values checked
 *    exactly (canonical IPs, UTC times, ports, ASNs; skipped when the
 *    shared data is not there);
 *  - comment and blank lines skipped, quoted fields, CRLF (FEED-02);
 *    IPv6 and prefixes canonical (FEED-04); unknown columns and a report
 *    type never seen kept in extra (FEED-07); raw lines and line numbers
 *    kept (FEED-08);
 *  - malformed rows counted with their line, not fatal; record size just
 *    under and over the limit; an emit callback that fails stops the run;
 *  - the generic csv parser's options and their errors;
 *  - JSON arrays: bad elements skipped, too large or too deep ones
 *    reported, damage that cannot be skipped fails with the offset,
 *    elements that straddle the read chunks.
 */
#include "testlib.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/ip.h"
#include "core/mem.h"
#include "core/time.h"
#include "feed/event.h"
#include "feed/json_array.h"
#include "feed/parser.h"

#define REPORT_TIME INT64_C(1700000000000000) /* 2023-11-14T22:13:20Z */

/* What the tests look at in one emitted event. */
struct got {
	char cls[40], type[40], ident[64], malware[64], app[64], transport[8];
	char ip[CIRT_IP_TEXT_MAX + 1], dip[CIRT_IP_TEXT_MAX + 1];
	int32_t port, dport;
	int64_t asn, dasn;
	char cc[3], dcc[3];
	char fqdn[CIRT_EVENT_FQDN_MAX + 1], dfqdn[CIRT_EVENT_FQDN_MAX + 1];
	char url[CIRT_EVENT_URL_MAX + 1];
	char time[CIRT_TIME_LEN];
	char *extra, *raw;
	int64_t line;
};

struct result {
	struct got *ev;
	size_t n;
	struct cirt_feed_stats st;
	struct cirt_diag d;
	int rc;
	int stop_after; /* emit fails after this many events; 0 never */
};

static int collect(struct cirt_event *ev, void *arg)
{
	struct result *res = arg;
	struct got *g;

	if (res->stop_after && res->n == (size_t)res->stop_after)
		return -CIRT_EAGAIN;
	res->ev = cirt_xrealloc(res->ev, (res->n + 1) * sizeof(*res->ev));
	g = &res->ev[res->n++];
	memset(g, 0, sizeof(*g));
	snprintf(g->cls, sizeof(g->cls), "%s", ev->cls);
	snprintf(g->type, sizeof(g->type), "%s", ev->type);
	snprintf(g->ident, sizeof(g->ident), "%s", ev->identifier);
	snprintf(g->malware, sizeof(g->malware), "%s", ev->malware);
	snprintf(g->app, sizeof(g->app), "%s", ev->application);
	snprintf(g->transport, sizeof(g->transport), "%s", ev->transport);
	if (ev->src.has_ip)
		cirt_ip_format(&ev->src.ip, g->ip);
	if (ev->dst.has_ip)
		cirt_ip_format(&ev->dst.ip, g->dip);
	g->port = ev->src.port;
	g->dport = ev->dst.port;
	g->asn = ev->src.asn;
	g->dasn = ev->dst.asn;
	memcpy(g->cc, ev->src.cc, 3);
	memcpy(g->dcc, ev->dst.cc, 3);
	snprintf(g->fqdn, sizeof(g->fqdn), "%s", ev->src.fqdn);
	snprintf(g->dfqdn, sizeof(g->dfqdn), "%s", ev->dst.fqdn);
	snprintf(g->url, sizeof(g->url), "%s", ev->url);
	cirt_time_format(ev->time_source, g->time);
	g->extra = cirt_xstrdup(cirt_buf_str(&ev->extra));
	g->raw = cirt_xstrndup(ev->raw ? ev->raw : "", ev->raw_len);
	g->line = ev->line;
	return 0;
}

static void result_free(struct result *res)
{
	size_t i;

	for (i = 0; i < res->n; i++) {
		free(res->ev[i].extra);
		free(res->ev[i].raw);
	}
	free(res->ev);
	memset(res, 0, sizeof(*res));
}

static void run_fd(struct result *res, const char *parser, int fd,
		   const char *name, const char *options, size_t record_max)
{
	const struct cirt_parser *p = cirt_parser_find(parser);
	struct cirt_feed_src src = {fd, name, REPORT_TIME, options, record_max};
	int stop = res->stop_after;

	assert_non_null(p);
	memset(res, 0, sizeof(*res));
	res->stop_after = stop;
	cirt_diag_init(&res->d);
	res->rc = p->run(&src, collect, res, &res->st, &res->d);
}

/* Run parser over text (its input named name). */
static void run_text(struct result *res, const char *parser, const char *text,
		     const char *name, const char *options)
{
	int fd = test_temp_fd(text, strlen(text));

	run_fd(res, parser, fd, name, options, 0);
	close(fd);
}

/* Run parser over the sample data/feeds/<rel>; false if the shared data
 * is not there. */
static bool run_sample(struct result *res, const char *parser, const char *rel,
		       const char *options)
{
	const char *data = test_shared_data("feed samples");
	const char *name = strrchr(rel, '/') + 1;
	char path[1024];
	int fd;

	if (data == NULL)
		return false;
	snprintf(path, sizeof(path), "%s/feeds/%s", data, rel);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		fail_msg("cannot open %s", path);
	run_fd(res, parser, fd, name, options, 0);
	close(fd);
	if (res->rc != 0)
		fail_msg("%s: %s", rel, res->d.message);
	return true;
}

static void assert_class(const struct got *g, const char *cls, const char *type,
			 const char *ident)
{
	assert_string_equal(g->cls, cls);
	assert_string_equal(g->type, type);
	if (ident)
		assert_string_equal(g->ident, ident);
}

/* extra holds "key":"value". */
static void assert_extra(const struct got *g, const char *key,
			 const char *value)
{
	char want[512];

	snprintf(want, sizeof(want), "\"%s\":\"%s\"", key, value);
	if (strstr(g->extra, want) == NULL)
		fail_msg("extra lacks %s: {%s}", want, g->extra);
}

static void assert_all_class(const struct result *res, const char *cls,
			     const char *type)
{
	size_t i;

	for (i = 0; i < res->n; i++)
		assert_class(&res->ev[i], cls, type, NULL);
}

/* -------- Shadowserver -------- */

static void test_shadowserver_samples(void **state)
{
	static const struct {
		const char *file;
		size_t events, bad;
		const char *cls, *type;
	} samples[] = {
		{"blocklist.csv", 3, 0, "other", "other"},
		{"event4_honeypot_brute_force.csv", 6, 0, "intrusion-attempts",
		 "brute-force"},
		{"event4_microsoft_sinkhole.csv", 6, 0, "malicious-code",
		 "infected-system"},
		/* the third row's dst_ip is "148.81.111.11.12" */
		{"event4_sinkhole.csv", 2, 1, "malicious-code",
		 "infected-system"},
		{"malware_url.csv", 3, 0, "malicious-code",
		 "malware-distribution"},
		{"phish_url.csv", 3, 0, "fraud", "phishing"},
		{"scan_http_vulnerable.csv", 3, 0, "vulnerable",
		 "vulnerable-system"},
		{"scan_memcached.csv", 3, 0, "vulnerable", "ddos-amplifier"},
		{"scan_ntp.csv", 3, 0, "vulnerable", "ddos-amplifier"},
		{"scan_rdp.csv", 2, 0, "vulnerable",
		 "potentially-unwanted-accessible"},
		{"scan_smb.csv", 3, 0, "vulnerable",
		 "potentially-unwanted-accessible"},
		{"scan_ssdp.csv", 3, 0, "vulnerable", "ddos-amplifier"},
		{"scan_ssh.csv", 3, 0, "vulnerable",
		 "potentially-unwanted-accessible"},
		{"scan_telnet.csv", 2, 0, "vulnerable",
		 "potentially-unwanted-accessible"},
	};
	struct result res;
	char rel[128];
	size_t i;

	(void)state;
	for (i = 0; i < CIRT_ARRAY_LEN(samples); i++) {
		snprintf(rel, sizeof(rel), "shadowserver/%s", samples[i].file);
		if (!run_sample(&res, "shadowserver", rel, ""))
			return;
		if (res.n != samples[i].events || res.st.bad != samples[i].bad)
			fail_msg("%s: %zu events, %llu bad (%s)", rel, res.n,
				 (unsigned long long)res.st.bad,
				 res.st.first_bad[0]);
		assert_int_equal(res.st.records,
				 samples[i].events + samples[i].bad);
		assert_int_equal(res.st.events, samples[i].events);
		assert_all_class(&res, samples[i].cls, samples[i].type);
		result_free(&res);
	}
}

static void test_shadowserver_values(void **state)
{
	struct result res;
	const struct got *g;

	(void)state;
	if (!run_sample(&res, "shadowserver", "shadowserver/blocklist.csv", ""))
		return;
	g = &res.ev[0];
	assert_class(g, "other", "other", "blocklist");
	assert_string_equal(g->ip, "198.123.245.134");
	assert_int_equal(g->asn, 5678);
	assert_string_equal(g->cc, "XX");
	assert_string_equal(g->time, "2019-09-04T07:00:19.000Z");
	assert_extra(g, "source.reverse_dns", "host.local");
	assert_extra(g, "source", "Alien Vault");
	assert_extra(g, "naics", "517311");
	assert_int_equal(g->line, 2);
	/* a prefix in "ip" is the source network */
	assert_string_equal(res.ev[2].ip, "198.123.245.0/24");
	result_free(&res);

	if (!run_sample(&res, "shadowserver",
			"shadowserver/event4_honeypot_brute_force.csv", ""))
		return;
	g = &res.ev[0];
	assert_class(g, "intrusion-attempts", "brute-force", "ssh-brute-force");
	assert_string_equal(g->ip, "141.98.1.2");
	assert_int_equal(g->port, 30123);
	assert_int_equal(g->asn, 209588);
	assert_string_equal(g->cc, "NL");
	assert_string_equal(g->dip, "162.250.1.2");
	assert_int_equal(g->dport, 22);
	assert_int_equal(g->dasn, 26832);
	assert_string_equal(g->dcc, "CA");
	assert_string_equal(g->app, "ssh");
	assert_string_equal(g->transport, "tcp");
	assert_string_equal(g->time, "2021-03-27T00:00:00.000Z");
	assert_extra(g, "client_version", "b'SSH-2.0-Go'");
	assert_extra(g, "end_time", "2021-03-27T00:00:01.710968Z");
	assert_string_equal(res.ev[2].ident, "telnet-brute-force");
	result_free(&res);

	if (!run_sample(&res, "shadowserver",
			"shadowserver/event4_microsoft_sinkhole.csv", ""))
		return;
	g = &res.ev[0];
	assert_class(g, "malicious-code", "infected-system",
		     "b68-zeroaccess-2-32bit");
	assert_string_equal(g->malware, "zeroaccess");
	assert_string_equal(g->ip, "190.229.1.2");
	assert_string_equal(g->dip, "168.63.134.179");
	assert_int_equal(g->dport, 16464);
	assert_string_equal(res.ev[5].ident, "b68-zeroaccess-2-64bit");
	result_free(&res);

	if (!run_sample(&res, "shadowserver",
			"shadowserver/event4_sinkhole.csv", ""))
		return;
	assert_string_equal(res.ev[0].malware, "victorygate.b");
	assert_int_equal(res.st.bad, 1);
	assert_non_null(strstr(res.st.first_bad[0], "line 4: "));
	assert_non_null(strstr(res.st.first_bad[0], "destination.ip"));
	result_free(&res);

	if (!run_sample(&res, "shadowserver", "shadowserver/phish_url.csv", ""))
		return;
	g = &res.ev[0];
	assert_string_equal(
		g->url, "https://priceless-pare.example.net/Postal-/acec6/");
	assert_string_equal(g->fqdn, "priceless-pare.example.net");
	assert_string_equal(g->ip, "172.245.0.0");
	result_free(&res);

	if (!run_sample(&res, "shadowserver", "shadowserver/malware_url.csv",
			""))
		return;
	g = &res.ev[0];
	assert_string_equal(g->url, "http://41.86.0.0:50008/Mozi.m");
	assert_string_equal(g->ip, "41.86.0.0");
	assert_string_equal(g->fqdn, ""); /* "host" was the address */
	assert_string_equal(g->app, "http");
	assert_extra(g, "tag", "CVE-2016-10372");
	result_free(&res);

	if (!run_sample(&res, "shadowserver", "shadowserver/scan_ntp.csv", ""))
		return;
	g = &res.ev[1];
	assert_class(g, "vulnerable", "ddos-amplifier", "scan_ntp");
	assert_string_equal(g->app, "ntp");
	assert_string_equal(g->transport, "udp");
	assert_string_equal(g->ip, "192.168.0.2");
	assert_int_equal(g->port, 123);
	assert_extra(g, "refid", "10.48.21.21");
	assert_extra(g, "amplification", "27.33");
	assert_extra(g, "source.reverse_dns", "node02.example.com");
	result_free(&res);

	if (!run_sample(&res, "shadowserver",
			"shadowserver/scan_http_vulnerable.csv", ""))
		return;
	assert_extra(&res.ev[0], "http_reason", "Unauthorized");
	assert_extra(&res.ev[0], "content_type", "text/html; charset=utf-8");
	result_free(&res);
}

/* The report type from the file name, and from report=. */
static void test_shadowserver_report_type(void **state)
{
	static const char csv[] = "\"timestamp\",\"ip\",\"port\",\"banner\"\n"
				  "\"2019-09-04 12:27:34\",192.0.2.1,23,x\n";
	static const struct {
		const char *name, *options, *cls, *type, *ident, *app;
	} rows[] = {
		{"2019-09-04-scan_ntp-nation.csv", "", "vulnerable",
		 "ddos-amplifier", "scan_ntp", "ntp"},
		{"/var/feeds/2024-01-02-scan_telnet-asn-nation.csv", "",
		 "vulnerable", "potentially-unwanted-accessible", "scan_telnet",
		 "telnet"},
		{"scan6_memcached.csv", "", "vulnerable", "ddos-amplifier",
		 "scan6_memcached", "memcached"},
		{"scan_ntpmonitor.csv", "", "vulnerable", "ddos-amplifier",
		 "scan_ntpmonitor", "ntpmonitor"},
		{"scan_ssl_poodle.csv", "", "vulnerable", "weak-crypto",
		 "scan_ssl_poodle", "ssl"},
		{"scan_elasticsearch.csv", "", "vulnerable",
		 "information-disclosure", "scan_elasticsearch",
		 "elasticsearch"},
		/* never seen: a scan is an accessible service */
		{"2024-01-02-scan_new_thing-nation.csv", "", "vulnerable",
		 "potentially-unwanted-accessible", "scan_new_thing", "new"},
		{"brand_new_report.csv", "", "other", "undetermined",
		 "brand_new_report", ""},
		{"whatever.csv", "report=event4_honeypot_ddos_amp",
		 "availability", "ddos", "event4_honeypot_ddos_amp", ""},
		{"", "", "other", "undetermined", "shadowserver", ""},
	};
	struct result res;
	size_t i;

	(void)state;
	for (i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		run_text(&res, "shadowserver", csv, rows[i].name,
			 rows[i].options);
		assert_int_equal(res.rc, 0);
		assert_int_equal(res.n, 1);
		assert_class(&res.ev[0], rows[i].cls, rows[i].type,
			     rows[i].ident);
		assert_string_equal(res.ev[0].app, rows[i].app);
		/* FEED-07: an unknown column is kept */
		assert_extra(&res.ev[0], "banner", "x");
		result_free(&res);
	}
}

/* FEED-02, -04, -07, -08 on a made-up report. */
static void test_shadowserver_generic(void **state)
{
	static const char csv[] =
		"\"timestamp\",\"ip\",\"protocol\",\"port\",\"new_col\","
		"\"note\"\r\n"
		"\r\n"
		"\"2026-01-02 03:04:05\",\"2001:DB8:0:0::1\",udp,161,"
		"\"a, b\",\"say \"\"hi\"\"\"\r\n"
		"\"2026-01-02 03:04:06\",192.0.2.7,tcp,161,,\r\n"
		"\"not a time\",192.0.2.8,tcp,1,,\r\n"
		"\"2026-01-02 03:04:07\",192.0.2.999,tcp,1,,\r\n"
		"\"2026-01-02 03:04:08\",192.0.2.9,tcp,1,,,too many\r\n"
		"\"2026-01-02 03:04:09\",192.0.2.10,tcp,99999,x\r\n"
		"\"2026-01-02 03:04:10\",\"192.0.2.11\r\n";
	struct result res;
	const struct got *g;

	(void)state;
	run_text(&res, "shadowserver", csv, "2026-01-02-scan_snmp-nation.csv",
		 "");
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.n, 3);
	assert_int_equal(res.st.records, 7);
	assert_int_equal(res.st.bad, 4);
	g = &res.ev[0];
	assert_string_equal(g->ip, "2001:db8::1");
	assert_string_equal(g->time, "2026-01-02T03:04:05.000Z");
	assert_int_equal(g->port, 161);
	assert_extra(g, "new_col", "a, b");
	assert_extra(g, "note", "say \\\"hi\\\"");
	assert_string_equal(g->raw,
			    "\"2026-01-02 03:04:05\",\"2001:DB8:0:0::1\""
			    ",udp,161,\"a, b\",\"say \"\"hi\"\"\"");
	assert_int_equal(g->line, 3);
	assert_int_equal(res.ev[1].line, 4);
	assert_string_equal(res.ev[1].extra, "");
	/* a port out of range is not lost: it goes to extra */
	assert_int_equal(res.ev[2].port, -1);
	assert_extra(&res.ev[2], "port", "99999");
	assert_non_null(strstr(res.st.first_bad[0], "line 5: time.source"));
	assert_non_null(strstr(res.st.first_bad[1], "line 6: source.ip"));
	assert_non_null(strstr(res.st.first_bad[2], "line 7: 7 fields"));
	assert_non_null(strstr(res.st.first_bad[3], "line 9: a quote"));
	result_free(&res);
}

static void test_shadowserver_not_a_report(void **state)
{
	struct result res;

	(void)state;
	run_text(&res, "shadowserver", "a,b\n1,2\n", "scan_ntp.csv", "");
	assert_int_equal(res.rc, -CIRT_EINVAL);
	assert_non_null(strstr(res.d.message, "timestamp"));
	result_free(&res);
	run_text(&res, "shadowserver", "", "scan_ntp.csv", "");
	assert_int_equal(res.rc, -CIRT_EINVAL);
	result_free(&res);
}

static void test_shadowserver_schema(void **state)
{
	const char *data = test_shared_data("the Shadowserver schema");
	struct result res;
	char opt[1200];
	const struct got *g;

	(void)state;
	if (data == NULL)
		return;
	snprintf(opt, sizeof(opt),
		 "report=test_smb; schema=%s/feeds/shadowserver/"
		 "shadowserver-schema.json.test.json",
		 data);
	if (!run_sample(&res, "shadowserver", "shadowserver/scan_smb.csv", opt))
		return;
	assert_int_equal(res.n, 3);
	g = &res.ev[0];
	assert_class(g, "vulnerable", "vulnerable-system", "test-smb");
	assert_string_equal(g->app, "smb");
	assert_string_equal(g->transport, "tcp");
	assert_string_equal(g->ip, "192.168.0.1");
	assert_int_equal(g->port, 445);
	assert_extra(g, "smb_implant", "false"); /* convert_bool */
	assert_extra(g, "source.reverse_dns", "node01.example.com");
	assert_extra(g, "smb_version_string", "SMB 2.1");
	assert_null(strstr(g->extra, "naics")); /* invalidate_zero */
	result_free(&res);

	/* a report the schema does not have: the built-in table */
	snprintf(opt, sizeof(opt),
		 "schema=%s/feeds/shadowserver/"
		 "shadowserver-schema.json.test.json",
		 data);
	if (!run_sample(&res, "shadowserver", "shadowserver/scan_smb.csv", opt))
		return;
	assert_class(&res.ev[0], "vulnerable",
		     "potentially-unwanted-accessible", "scan_smb");
	result_free(&res);

	run_text(&res, "shadowserver", "timestamp\n", "scan_smb.csv",
		 "schema=/nonexistent/schema.json");
	assert_int_equal(res.rc, -CIRT_EIO);
	assert_string_equal(res.d.field, "schema");
	result_free(&res);
}

/* Records just under and over the size limit. */
static void test_shadowserver_record_max(void **state)
{
	static const char csv[] = "timestamp,ip\n"
				  "2026-01-02 03:04:05,192.0.2.1\n"
				  "2026-01-02 03:04:05,192.0.2.12\n"
				  "2026-01-02 03:04:05,192.0.2.3\n";
	struct result res;
	int fd = test_temp_fd(csv, strlen(csv));

	(void)state;
	run_fd(&res, "shadowserver", fd, "scan_x.csv", "", 29);
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.n, 2);
	assert_int_equal(res.st.bad, 1);
	assert_non_null(strstr(res.st.first_bad[0], "line 3: longer than 29"));
	result_free(&res);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	run_fd(&res, "shadowserver", fd, "scan_x.csv", "", 30);
	assert_int_equal(res.n, 3);
	result_free(&res);
	close(fd);
}

static int count_only(struct cirt_event *ev, void *arg)
{
	(void)ev;
	(*(size_t *)arg)++;
	return 0;
}

/* Not a limit: prints events per second for a 20-column scan report. */
static void test_shadowserver_speed(void **state)
{
	const size_t rows = 100000;
	struct cirt_feed_src src = {-1, "2026-01-02-scan_ntp-nation.csv",
				    REPORT_TIME, "", 0};
	struct cirt_feed_stats st;
	struct cirt_diag d;
	struct cirt_buf b;
	size_t i, len, n = 0;
	int64_t t0, t1;
	char *text;

	(void)state;
	cirt_buf_init(&b, 256u << 20);
	assert_int_equal(cirt_buf_adds(&b,
				       "\"timestamp\",\"ip\",\"protocol\","
				       "\"port\",\"hostname\",\"tag\","
				       "\"asn\",\"geo\",\"region\",\"city\","
				       "\"naics\",\"sic\",\"version\","
				       "\"stratum\",\"refid\",\"sector\","
				       "\"a\",\"b\",\"response_size\","
				       "\"amplification\"\n"),
			 0);
	for (i = 0; i < rows; i++)
		assert_int_equal(
			cirt_buf_addf(&b,
				      "\"2026-01-02 03:04:05\",198.51.%zu.%zu,"
				      "udp,123,host%zu.example.net,ntpversion,"
				      "64512,ZZ,Region,City,0,0,4,2,"
				      "10.0.0.1,,x,y,324,27.00\n",
				      i / 256 % 256, i % 256, i),
			0);
	text = cirt_buf_detach(&b, &len);
	src.fd = test_temp_fd(text, len);
	memset(&st, 0, sizeof(st));
	cirt_diag_init(&d);
	t0 = cirt_time_mono_ns();
	assert_int_equal(
		cirt_parser_shadowserver.run(&src, count_only, &n, &st, &d), 0);
	t1 = cirt_time_mono_ns();
	close(src.fd);
	free(text);
	assert_int_equal(n, rows);
	printf("# shadowserver: %.0f events/s\n",
	       (double)rows * 1e9 / (double)(t1 - t0 + 1));
}

/* A negative emit stops the parser, which returns it. */
static void test_parser_emit_stops(void **state)
{
	static const char csv[] = "timestamp,ip\n"
				  "2026-01-02 03:04:05,192.0.2.1\n"
				  "2026-01-02 03:04:05,192.0.2.2\n";
	struct result res = {.stop_after = 1};

	(void)state;
	run_text(&res, "shadowserver", csv, "scan_x.csv", "");
	assert_int_equal(res.rc, -CIRT_EAGAIN);
	assert_int_equal(res.n, 1);
	result_free(&res);
	res.stop_after = 1;
	run_text(&res, "phishtank",
		 "[{\"url\":\"http://a.example/\"},{\"url\":\"http://b.example/"
		 "\"}]",
		 "x.json", "");
	assert_int_equal(res.rc, -CIRT_EAGAIN);
	assert_int_equal(res.n, 1);
	result_free(&res);
}

/* -------- Spamhaus, OpenPhish, blocklist.de -------- */

static void test_spamhaus_drop(void **state)
{
	struct result res;

	(void)state;
	if (!run_sample(&res, "spamhaus-drop", "spamhaus/drop.txt", ""))
		return;
	assert_int_equal(res.n, 2);
	assert_int_equal(res.st.records, 2);
	assert_all_class(&res, "abusive-content", "spam");
	assert_string_equal(res.ev[0].ident, "spamhaus-drop");
	assert_string_equal(res.ev[0].ip, "1.4.0.0/17");
	assert_string_equal(res.ev[1].ip, "2a06:e480::/29");
	assert_extra(&res.ev[0], "blocklist_id", "SBL256893");
	assert_string_equal(res.ev[0].raw, "1.4.0.0/17 ; SBL256893");
	assert_int_equal(res.ev[0].line, 5);
	result_free(&res);

	/* the JSON-lines form, EDROP by name */
	run_text(&res, "spamhaus-drop",
		 "{\"cidr\":\"192.0.2.0/24\",\"sblid\":\"SBL1\",\"rir\":"
		 "\"ripencc\"}\n"
		 "{\"cidr\":\"bad\",\"sblid\":\"SBL2\"}\n"
		 "{\"type\":\"metadata\",\"timestamp\":1}\n",
		 "edrop_v4.json", "");
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.n, 1);
	assert_int_equal(res.st.bad, 1);
	assert_string_equal(res.ev[0].ident, "spamhaus-edrop");
	assert_string_equal(res.ev[0].ip, "192.0.2.0/24");
	assert_extra(&res.ev[0], "blocklist_id", "SBL1");
	result_free(&res);
}

static void test_spamhaus_asndrop(void **state)
{
	struct result res;

	(void)state;
	if (!run_sample(&res, "spamhaus-asndrop", "spamhaus/asndrop.txt", ""))
		return;
	assert_int_equal(res.n, 2);
	assert_all_class(&res, "abusive-content", "spam");
	assert_int_equal(res.ev[0].asn, 260);
	assert_string_equal(res.ev[0].cc, "AE");
	assert_extra(&res.ev[0], "as_name", "XCONNECT24 - Xconnect24 Inc., US");
	assert_int_equal(res.ev[1].asn, 10516);
	assert_string_equal(res.ev[1].cc, "");
	assert_extra(&res.ev[1], "as_name", "Orb-bit Design Group");
	result_free(&res);
}

static void test_spamhaus_cert(void **state)
{
	static const struct {
		size_t i;
		const char *cls, *type, *ident, *malware, *app;
	} rows[] = {
		{0, "malicious-code", "infected-system", "asprox", "asprox",
		 ""},
		{3, "malicious-code", "infected-system", "iotmirai", "iotmirai",
		 ""},
		{4, "intrusion-attempts", "brute-force", "iotrdp", "", "rdp"},
		{5, "vulnerable", "vulnerable-system", "openrelay", "", "smtp"},
		{6, "intrusion-attempts", "brute-force", "sshauth", "", "ssh"},
		{8, "information-gathering", "scanner", "wpscanner", "",
		 "http"},
		{10, "malicious-code", "infected-system", "auto", "", ""},
		{11, "abusive-content", "spam", "l_spamlink", "", ""},
		{17, "abusive-content", "spam", "extortion", "", "smtp"},
		{18, "other", "other", "misc", "", ""},
	};
	struct result res;
	const struct got *g;
	size_t i;

	(void)state;
	if (!run_sample(&res, "spamhaus-cert", "spamhaus/cert.txt", ""))
		return;
	assert_int_equal(res.n, 19);
	assert_int_equal(res.st.bad, 0);
	for (i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		g = &res.ev[rows[i].i];
		assert_class(g, rows[i].cls, rows[i].type, rows[i].ident);
		assert_string_equal(g->malware, rows[i].malware);
		assert_string_equal(g->app, rows[i].app);
	}
	g = &res.ev[0];
	assert_string_equal(g->ip, "109.126.64.2");
	assert_int_equal(g->asn, 12635);
	assert_string_equal(g->cc, "AT");
	assert_string_equal(g->time, "2015-08-31T08:16:10.000Z");
	assert_int_equal(g->dport, 25);
	assert_string_equal(g->transport, "tcp");
	g = &res.ev[1];
	assert_string_equal(g->dfqdn, "dxxt.sinkhole.dk");
	assert_string_equal(g->dip, "212.227.20.19");
	assert_int_equal(g->port, 1036);
	/* "-" and "?" are empty */
	g = &res.ev[3];
	assert_string_equal(g->dip, "");
	assert_int_equal(g->dport, -1);
	assert_string_equal(g->transport, "");
	g = &res.ev[6];
	assert_string_equal(g->dip, "249.145.142.15");
	assert_int_equal(g->dport, 22);
	g = &res.ev[11];
	assert_string_equal(g->url, "http://example.com/");
	assert_extra(g, "local_port", "192.168.46.8:1660:darkmailer2");
	assert_extra(&res.ev[14], "domain", "192.168.255.154:8080");
	result_free(&res);

	/* a column added later is kept; too few fields are malformed */
	run_text(&res, "spamhaus-cert",
		 "; ip, asn\n"
		 "192.0.2.1,AS1,AT,1441008970,Conficker,,,,,tcp,new\n"
		 "192.0.2.1,AS1,AT\n",
		 "cert.txt", "");
	assert_int_equal(res.n, 1);
	assert_int_equal(res.st.bad, 1);
	assert_string_equal(res.ev[0].malware, "conficker");
	assert_extra(&res.ev[0], "col11", "new");
	result_free(&res);
}

static void test_openphish(void **state)
{
	struct result res;

	(void)state;
	if (!run_sample(&res, "openphish", "openphish/feed.txt", ""))
		return;
	assert_int_equal(res.n, 2);
	assert_all_class(&res, "fraud", "phishing");
	assert_string_equal(res.ev[0].ident, "openphish");
	assert_string_equal(res.ev[0].url, "http://www..example.com/phishing");
	assert_string_equal(res.ev[1].url,
			    "http://www..example.invalid/phishing");
	assert_int_equal(res.ev[1].line, 2);
	result_free(&res);
}

static void test_blocklist(void **state)
{
	struct result res;

	(void)state;
	if (!run_sample(&res, "blocklist", "blocklistde/imap.txt", ""))
		return;
	assert_int_equal(res.n, 6);
	assert_all_class(&res, "intrusion-attempts", "brute-force");
	assert_string_equal(res.ev[0].ident, "blocklist.de-imap");
	assert_string_equal(res.ev[0].app, "imap");
	assert_string_equal(res.ev[5].ip, "203.0.113.254");
	assert_string_equal(res.ev[5].time, "2023-11-14T22:13:20.000Z");
	result_free(&res);

	run_text(&res, "blocklist", "# c\n192.0.2.1\n\nnot an ip\n::1\n",
		 "list.txt", "service=bots");
	assert_int_equal(res.n, 2);
	assert_int_equal(res.st.bad, 1);
	assert_all_class(&res, "malicious-code", "infected-system");
	assert_string_equal(res.ev[1].ip, "::1");
	assert_non_null(strstr(res.st.first_bad[0], "line 4: source.ip"));
	result_free(&res);

	run_text(&res, "blocklist", "192.0.2.1\n", "mail.txt", "");
	assert_string_equal(res.ev[0].app, "smtp");
	result_free(&res);
}

/* -------- abuse.ch -------- */

static void test_urlhaus(void **state)
{
	struct result res;
	const struct got *g;

	(void)state;
	if (!run_sample(&res, "urlhaus", "abusech/urlhaus-2019.csv", ""))
		return;
	assert_int_equal(res.n, 2);
	assert_all_class(&res, "malicious-code", "malware-distribution");
	g = &res.ev[0];
	assert_string_equal(g->ident, "urlhaus");
	assert_string_equal(g->time, "2019-02-13T00:34:42.000Z");
	assert_string_equal(g->url,
			    "http://marconuenlist.ch/verif.accounts.docs.net/");
	assert_string_equal(g->fqdn, "marconuenlist.ch");
	assert_string_equal(g->ip, "62.241.37.242");
	assert_int_equal(g->asn, 29083);
	assert_string_equal(g->cc, "DE");
	assert_extra(g, "status", "offline");
	assert_extra(g, "threat", "malware_download");
	assert_int_equal(g->line, 12);
	result_free(&res);

	/* the current layout */
	run_text(&res, "urlhaus",
		 "################\n"
		 "# id,dateadded,url,url_status,last_online,threat,tags,"
		 "urlhaus_link,reporter\n"
		 "\"3372581\",\"2025-01-20 13:44:06\",\"http://192.0.2.5:3333/"
		 "i\",\"online\",\"\",\"malware_download\",\"elf,mirai\","
		 "\"https://urlhaus.abuse.ch/url/3372581/\",\"geenensp\"\n"
		 "\"1\",\"bad time\",\"http://a/\",\"\",\"\",\"\",\"\",\"\","
		 "\"\"\n",
		 "csv_recent.csv", "");
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.n, 1);
	assert_int_equal(res.st.bad, 1);
	g = &res.ev[0];
	assert_string_equal(g->url, "http://192.0.2.5:3333/i");
	assert_string_equal(g->time, "2025-01-20T13:44:06.000Z");
	assert_extra(g, "urlhaus_id", "3372581");
	assert_extra(g, "tags", "elf,mirai");
	assert_extra(g, "reporter", "geenensp");
	result_free(&res);
}

static void test_feodo(void **state)
{
	struct result res;
	const struct got *g;

	(void)state;
	if (!run_sample(&res, "feodo",
			"abusech/feodotracker-ipblocklist-2021.csv", ""))
		return;
	assert_int_equal(res.n, 2);
	assert_all_class(&res, "malicious-code", "c2-server");
	g = &res.ev[0];
	assert_string_equal(g->ip, "10.213.75.205");
	assert_int_equal(g->port, 443);
	assert_string_equal(g->malware, "dridex");
	assert_string_equal(g->time, "2021-01-17T07:30:05.000Z");
	assert_extra(g, "status", "online");
	assert_extra(g, "last_online", "2021-02-10");
	result_free(&res);

	if (!run_sample(&res, "feodo",
			"abusech/feodotracker-ipblocklist-sample.json", ""))
		return;
	assert_int_equal(res.n, 4);
	assert_all_class(&res, "malicious-code", "c2-server");
	g = &res.ev[0];
	assert_string_equal(g->ip, "51.178.161.32");
	assert_int_equal(g->port, 4643);
	assert_int_equal(g->asn, 16276);
	assert_string_equal(g->cc, "FR");
	assert_string_equal(g->fqdn, "srv-web.ffconsulting.com");
	assert_string_equal(g->malware, "dridex");
	assert_string_equal(g->time, "2021-01-17T07:44:46.000Z");
	assert_extra(g, "as_name", "OVH");
	assert_int_equal(g->line, 1);
	assert_true(g->raw[0] == '{');
	/* no first_seen: the report's time */
	assert_string_equal(res.ev[3].time, "2023-11-14T22:13:20.000Z");
	assert_string_equal(res.ev[3].fqdn, "");
	result_free(&res);

	/* a plain list of addresses; a header naming nothing fails */
	run_text(&res, "feodo", "# x\n192.0.2.1\n192.0.2.2\n", "ips.txt", "");
	assert_int_equal(res.n, 2);
	result_free(&res);
	run_text(&res, "feodo", "a,b\n1,2\n", "x.csv", "");
	assert_int_equal(res.rc, -CIRT_EINVAL);
	result_free(&res);
}

static void test_phishtank(void **state)
{
	struct result res;
	const struct got *g;

	(void)state;
	if (!run_sample(&res, "phishtank", "phishtank/online-valid-sample.json",
			""))
		return;
	assert_int_equal(res.n, 3);
	assert_all_class(&res, "fraud", "phishing");
	g = &res.ev[0];
	assert_string_equal(g->ident, "phishtank");
	assert_string_equal(g->url, "https://ardentig.top/");
	assert_string_equal(g->time, "2022-11-16T14:12:55.000Z");
	assert_string_equal(g->ip, "204.152.210.139");
	assert_int_equal(g->asn, 8100);
	assert_string_equal(g->cc, "US");
	assert_extra(g, "phish_id", "7946016");
	assert_extra(g, "target", "AEON Card");
	assert_int_equal(res.ev[2].line, 3);
	result_free(&res);

	/* bad elements are counted and skipped */
	run_text(&res, "phishtank",
		 "[{\"url\":\"http://a.example/\",\"submission_time\":"
		 "\"2022-11-16T14:08:44+01:00\"},\n"
		 " 17, {\"url\": }, {\"no\":\"url\"},\n"
		 " {\"url\":\"http://b.example/\",\"details\":[{\"ip_address\":"
		 "\"x\"}]}]",
		 "x.json", "");
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.n, 2);
	assert_int_equal(res.st.records, 5);
	assert_int_equal(res.st.bad, 3);
	assert_string_equal(res.ev[0].time, "2022-11-16T13:08:44.000Z");
	assert_extra(&res.ev[1], "ip_address", "x");
	assert_non_null(strstr(res.st.first_bad[0], "line 2: not a JSON"));
	assert_non_null(strstr(res.st.first_bad[1], "line 3: malformed JSON"));
	result_free(&res);

	run_text(&res, "phishtank", "{\"url\":1}", "x.json", "");
	assert_int_equal(res.rc, -CIRT_EINVAL);
	assert_non_null(strstr(res.d.message, "byte 0"));
	result_free(&res);
}

/* -------- the generic csv parser -------- */

static void test_csv_parser_maps(void **state)
{
	static const char csv[] = "# exported\n"
				  "When;Address;Port;Why\n"
				  "2026-01-02T03:04:05Z;192.0.2.1;80;\"a;b\"\n"
				  "2026-01-02T03:04:06Z;bad;80;x\n";
	struct result res;

	(void)state;
	run_text(&res, "csv", csv, "x.csv",
		 "sep=;;; comment=#; map=when:time.source,Address:source.ip,"
		 "#3:source.port");
	assert_int_equal(res.rc, 0);
	assert_int_equal(res.n, 1);
	assert_int_equal(res.st.bad, 1);
	assert_string_equal(res.ev[0].ip, "192.0.2.1");
	assert_int_equal(res.ev[0].port, 80);
	assert_string_equal(res.ev[0].time, "2026-01-02T03:04:05.000Z");
	assert_extra(&res.ev[0], "Why", "a;b");
	assert_string_equal(res.ev[0].cls, ""); /* the feed's default */
	result_free(&res);

	run_text(&res, "csv", csv, "x.csv",
		 "sep=semicolon;comment=#;extra=no;"
		 "map=#2:source.ip,#4:classification.identifier");
	assert_int_equal(res.n, 1);
	assert_string_equal(res.ev[0].extra, "");
	assert_string_equal(res.ev[0].ident, "a;b");
	result_free(&res);

	/* no header; columns named like fields map themselves */
	run_text(&res, "csv", "192.0.2.1,x\n", "x.csv",
		 "header=no;map=#1:source.ip");
	assert_int_equal(res.n, 1);
	assert_extra(&res.ev[0], "col2", "x");
	result_free(&res);
	run_text(&res, "csv", "source.ip,source.port\n192.0.2.1,8\n", "x.csv",
		 "");
	assert_int_equal(res.n, 1);
	assert_int_equal(res.ev[0].port, 8);
	result_free(&res);
}

static void test_csv_parser_bad_options(void **state)
{
	static const struct {
		const char *options, *field, *words;
	} rows[] = {
		{"map=a:source.nothing", "map", "not an event field"},
		{"map=zzz:source.ip", "map", "no column \"zzz\""},
		{"map=#9:source.ip", "map", "#9"},
		{"map=#0:source.ip", "map", "column number"},
		{"map=a", "map", "COLUMN:FIELD"},
		{"map=a:extra.", "map", "not an event field"},
		{"", "map", "give the option map="},
		{"map=a:source.ip;sep=xy", "sep", "one character"},
		{"map=a:source.ip;header=maybe", "header", "yes or no"},
		{"header=no;map=a:source.ip", "map", "header=no"},
	};
	struct result res;
	size_t i;

	(void)state;
	for (i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		run_text(&res, "csv", "a,b\n1,2\n", "x.csv", rows[i].options);
		assert_int_equal(res.rc, -CIRT_EINVAL);
		assert_string_equal(res.d.field, rows[i].field);
		if (strstr(res.d.message, rows[i].words) == NULL)
			fail_msg("%s: %s", rows[i].options, res.d.message);
		result_free(&res);
	}
}

/* -------- registry and options -------- */

static void test_parser_registry(void **state)
{
	static const char *const names[] = {
		"arf",		 "blocklist",
		"csv",		 "feodo",
		"openphish",	 "phishtank",
		"shadowserver",	 "spamhaus-asndrop",
		"spamhaus-cert", "spamhaus-drop",
		"stix",		 "urlhaus",
		"xarf",
	};
	size_t i;

	(void)state;
	for (i = 0; i < CIRT_ARRAY_LEN(names); i++) {
		assert_non_null(cirt_parsers[i]);
		assert_string_equal(cirt_parsers[i]->name, names[i]);
		assert_ptr_equal(cirt_parser_find(names[i]), cirt_parsers[i]);
		assert_non_null(cirt_parsers[i]->run);
	}
	assert_null(cirt_parsers[i]);
	assert_null(cirt_parser_find("nothing"));
	assert_null(cirt_parser_find(NULL));
}

static void test_feed_option(void **state)
{
	char v[8];

	(void)state;
	assert_int_equal(cirt_feed_option("a=1;b = two ; c=", "b", v, 8), 1);
	assert_string_equal(v, "two");
	assert_int_equal(cirt_feed_option("a=1;b=2", "a", v, 8), 1);
	assert_string_equal(v, "1");
	assert_int_equal(cirt_feed_option("a=1;c=", "c", v, 8), 1);
	assert_string_equal(v, "");
	assert_int_equal(cirt_feed_option("ab=1;b", "b", v, 8), 0);
	assert_int_equal(cirt_feed_option("", "b", v, 8), 0);
	assert_int_equal(cirt_feed_option(NULL, "b", v, 8), 0);
	assert_int_equal(cirt_feed_option("sep=;;;x=1", "sep", v, 8), 1);
	assert_string_equal(v, ";");
	assert_int_equal(cirt_feed_option("sep=;;;x=1", "x", v, 8), 1);
	assert_string_equal(v, "1");
	assert_int_equal(cirt_feed_option("k=1234567", "k", v, 8), 1);
	assert_int_equal(cirt_feed_option("k=12345678", "k", v, 8),
			 -CIRT_ELIMIT);
}

static void test_feed_bad_keeps_first(void **state)
{
	struct cirt_feed_stats st;
	int i;

	(void)state;
	memset(&st, 0, sizeof(st));
	for (i = 1; i <= 7; i++)
		cirt_feed_bad(&st, i, "bad %d", i);
	cirt_feed_bad(&st, 0, "no line");
	assert_int_equal(st.bad, 8);
	assert_string_equal(st.first_bad[0], "line 1: bad 1");
	assert_string_equal(st.first_bad[4], "line 5: bad 5");
}

/* -------- hostile input -------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Change p[0..*n) (room for cap bytes) a few times at random. */
static void mutate(char *p, size_t *n, size_t cap)
{
	static const char special[] = ",\";\n\r[]{}\\:#/ \t\xff\xef";
	size_t k, at, len;

	for (k = 1 + rnd() % 6; k > 0; k--) {
		at = *n ? rnd() % *n : 0;
		switch (rnd() % 5) {
		case 0: /* a special byte over another */
			if (*n)
				p[at] = special[rnd() % (sizeof(special))];
			break;
		case 1: /* insert one */
			if (*n < cap) {
				memmove(p + at + 1, p + at, *n - at);
				p[at] = special[rnd() % (sizeof(special))];
				(*n)++;
			}
			break;
		case 2: /* delete a run */
			len = rnd() % 40;
			len = CIRT_MIN(*n - at, len);
			memmove(p + at, p + at + len, *n - at - len);
			*n -= len;
			break;
		case 3: /* repeat a run */
			len = rnd() % 200;
			len = CIRT_MIN(*n - at, len);
			if (*n + len <= cap) {
				memmove(p + at + len, p + at, *n - at);
				*n += len;
			}
			break;
		default: /* cut the end */
			*n = at;
			break;
		}
	}
}

/* Every parser of this file survives mutated samples: no crash, and the
 * counts add up. */
static void test_parsers_hostile_input(void **state)
{
	static const struct {
		const char *parser, *rel, *options;
	} inputs[] = {
		{"shadowserver", "shadowserver/event4_sinkhole.csv", ""},
		{"shadowserver", "shadowserver/scan_http_vulnerable.csv", ""},
		{"spamhaus-drop", "spamhaus/drop.txt", ""},
		{"spamhaus-asndrop", "spamhaus/asndrop.txt", ""},
		{"spamhaus-cert", "spamhaus/cert.txt", ""},
		{"openphish", "openphish/feed.txt", ""},
		{"blocklist", "blocklistde/imap.txt", ""},
		{"urlhaus", "abusech/urlhaus-2019.csv", ""},
		{"feodo", "abusech/feodotracker-ipblocklist-2021.csv", ""},
		{"feodo", "abusech/feodotracker-ipblocklist-sample.json", ""},
		{"phishtank", "phishtank/online-valid-sample.json", ""},
		{"csv", "abusech/urlhaus-2019.csv",
		 "header=no;comment=#;map=#1:time.source,#6:source.ip"},
	};
	const char *data = test_shared_data("feed samples");
	char path[1024], *orig, *buf;
	size_t i, it, len, n, cap;
	struct result res;
	int fd;

	(void)state;
	if (data == NULL)
		return;
	for (i = 0; i < CIRT_ARRAY_LEN(inputs); i++) {
		snprintf(path, sizeof(path), "%s/feeds/%s", data,
			 inputs[i].rel);
		orig = test_read_file(path, &len);
		cap = len * 3 + 64;
		buf = cirt_xmalloc(cap);
		for (it = 0; it < 150; it++) {
			memcpy(buf, orig, len);
			n = len;
			mutate(buf, &n, cap);
			fd = test_temp_fd(buf, n);
			run_fd(&res, inputs[i].parser, fd,
			       strrchr(inputs[i].rel, '/') + 1,
			       inputs[i].options, it % 3 ? 0 : 64);
			close(fd);
			if (res.rc == 0)
				assert_int_equal(res.st.events + res.st.bad,
						 res.st.records);
			else
				assert_true(res.d.message[0] != '\0');
			assert_int_equal(res.st.events, res.n);
			result_free(&res);
		}
		free(buf);
		free(orig);
	}
}

/* -------- JSON arrays -------- */

struct elems {
	struct cirt_buf out; /* "index:offset:ok|!why;" */
};

static int elem(const struct cirt_json_elem *e, void *arg)
{
	struct elems *x = arg;

	assert_int_equal(cirt_buf_addf(&x->out, "%zu@%llu:%s%s;", e->index,
				       (unsigned long long)e->offset,
				       e->v ? "" : "!", e->v ? "ok" : e->bad),
			 0);
	if (e->v)
		assert_true(e->len > 0 && e->bytes[0] != ' ');
	return 0;
}

/* Read text (from a file when fd) with limits; the rendered elements. */
static char *read_array(const char *text, size_t element_max, bool fd, int *rc,
			struct cirt_diag *d)
{
	struct cirt_json_array_limits lim = {element_max, 4};
	struct cirt_json_array_src src = {-1, text, strlen(text)};
	struct elems x;
	size_t count;

	cirt_buf_init(&x.out, 1u << 20);
	cirt_diag_init(d);
	if (fd) {
		src.fd = test_temp_fd(text, strlen(text));
		src.mem = NULL;
		src.mem_len = 0;
	}
	*rc = cirt_json_array_read(&src, &lim, elem, &x, &count, d);
	if (fd)
		close(src.fd);
	return cirt_buf_detach(&x.out, NULL);
}

static void test_json_array_read(void **state)
{
	static const struct {
		const char *in, *want;
		int rc;
	} rows[] = {
		{"[]", "", 0},
		{" \xef\xbb\xbf[ ]\n", "", -CIRT_EINVAL}, /* BOM not first */
		{"\xef\xbb\xbf[1]", "0@4:ok;", 0},
		{"[{\"a\":\"],[\\\"\"}, [1,[2]] ,\"x\",null]",
		 "0@1:ok;1@16:ok;2@25:ok;3@29:ok;", 0},
		/* bad elements are skipped */
		{"[{\"a\":1,\"a\":2},{\"b\":},tru,{\"c\":3}]",
		 "0@1:!malformed JSON at byte 11: duplicate object key near "
		 "'\"a\"';"
		 "1@15:!malformed JSON at byte 21: unexpected token near '}';"
		 "2@22:!malformed JSON at byte 25: invalid token near 'tru';"
		 "3@26:ok;",
		 0},
		{"[1,,2]", "0@1:ok;1@3:!empty element;2@4:ok;", 0},
		/* too deep (4 levels allowed), too large (32 bytes) */
		{"[[[[[[1]]]]],[[[[1]]]]]",
		 "0@1:!nested deeper than 4;1@13:ok;", 0},
		{"[\"0123456789012345678901234567890123456789\",2]",
		 "0@1:!larger than 32 bytes;1@44:ok;", 0},
		/* damage that cannot be skipped */
		{"", "", -CIRT_EINVAL},
		{"{}", "", -CIRT_EINVAL},
		{"[1 2]", "0@1:ok;", -CIRT_EINVAL},
		{"[1,", "0@1:ok;", -CIRT_EINVAL},
		{"[{\"a\":\"x}]", "", -CIRT_EINVAL},
		{"[1] x", "0@1:ok;", -CIRT_EINVAL},
	};
	struct cirt_diag d;
	char *a, *b;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		a = read_array(rows[i].in, 32, false, &rc, &d);
		if (strcmp(a, rows[i].want) != 0 || rc != rows[i].rc)
			fail_msg("%s: rc %d, %s (%s)", rows[i].in, rc, a,
				 d.message);
		b = read_array(rows[i].in, 32, true, &rc, &d);
		assert_string_equal(a, b);
		assert_int_equal(rc, rows[i].rc);
		free(a);
		free(b);
	}
	a = read_array("[1 2]", 32, false, &rc, &d);
	assert_string_equal(d.message,
			    "malformed JSON array at byte 3: expected ',' or "
			    "']' after an element");
	free(a);
	a = read_array("[1,{\"a\":\"x}]", 32, false, &rc, &d);
	assert_non_null(strstr(d.message, "element 1 at byte 3"));
	free(a);
}

/* Elements larger than a read chunk, and one too large among them. */
static void test_json_array_chunks(void **state)
{
	struct cirt_buf b;
	struct cirt_diag d;
	char *text, *got;
	size_t i, k;
	int rc;

	(void)state;
	cirt_buf_init(&b, 8u << 20);
	assert_int_equal(cirt_buf_adds(&b, "["), 0);
	for (i = 0; i < 6; i++) {
		assert_int_equal(
			cirt_buf_adds(&b, i ? ",{\"s\":\"" : "{\"s\":\""), 0);
		for (k = 0; k < (i == 3 ? 300000u : 70000u + i); k++)
			assert_int_equal(cirt_buf_add(&b, k % 7 ? "a" : "\\\"",
						      k % 7 ? 1 : 2),
					 0);
		assert_int_equal(cirt_buf_adds(&b, "\"}"), 0);
	}
	assert_int_equal(cirt_buf_adds(&b, "]"), 0);
	text = cirt_buf_detach(&b, NULL);
	got = read_array(text, 200000, true, &rc, &d);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(got, "0@1:ok;1@"));
	assert_non_null(strstr(got, ":!larger than 200000 bytes;4@"));
	assert_non_null(strstr(got, ";5@"));
	assert_null(strstr(got, "6@"));
	free(got);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shadowserver_samples),
		cmocka_unit_test(test_shadowserver_values),
		cmocka_unit_test(test_shadowserver_report_type),
		cmocka_unit_test(test_shadowserver_generic),
		cmocka_unit_test(test_shadowserver_not_a_report),
		cmocka_unit_test(test_shadowserver_schema),
		cmocka_unit_test(test_shadowserver_record_max),
		cmocka_unit_test(test_shadowserver_speed),
		cmocka_unit_test(test_parser_emit_stops),
		cmocka_unit_test(test_spamhaus_drop),
		cmocka_unit_test(test_spamhaus_asndrop),
		cmocka_unit_test(test_spamhaus_cert),
		cmocka_unit_test(test_openphish),
		cmocka_unit_test(test_blocklist),
		cmocka_unit_test(test_urlhaus),
		cmocka_unit_test(test_feodo),
		cmocka_unit_test(test_phishtank),
		cmocka_unit_test(test_csv_parser_maps),
		cmocka_unit_test(test_csv_parser_bad_options),
		cmocka_unit_test(test_parser_registry),
		cmocka_unit_test(test_feed_option),
		cmocka_unit_test(test_feed_bad_keeps_first),
		cmocka_unit_test(test_parsers_hostile_input),
		cmocka_unit_test(test_json_array_read),
		cmocka_unit_test(test_json_array_chunks),
	};

	return cmocka_run_group_tests_name("parsers", tests, NULL, NULL);
}
