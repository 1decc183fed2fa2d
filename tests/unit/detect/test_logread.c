/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The log readers of detect/logread*.c:
 *  - one or more lines in each format as the real tool writes them: Zeek
 *    conn, dns, http, files, ssl and smtp TSV logs with their whole
 *    header block, Zeek JSON conn and dns, Suricata EVE dns (logging
 *    versions 2 and 3), http, tls, fileinfo, flow, alert and smtp, the
 *    BIND 9.18 query log with and without its date, Squid's native
 *    access.log with CONNECT, CSV with a field map; each read with its
 *    format given and guessed;
 *  - gzip input, a pipe, read errors and a cut gzip stream, CRLF, no
 *    final newline, escapes (Zeek "\x09", JSON "\u0041"), a "#fields"
 *    header that changes mid-file;
 *  - malformed lines counted with their numbers and reasons, lines just
 *    under and just over CIRT_LOG_LINE_MAX, more than CIRT_LOG_VALUES_MAX
 *    values, a callback that stops the read;
 *  - field maps: their syntax, limits and errors, overriding defaults,
 *    csv maps naming a missing column;
 *  - the time parsers and the address test behind the "host" kind.
 *
 * Sample data uses documentation addresses and example.* names. Formats:
 * https://docs.zeek.org/en/master/log-formats.html and the Zeek script
 * reference of each log; https://docs.suricata.io/en/latest/output/eve/
 * eve-json-format.html and upgrade/8.0-dns-logging-changes.html; the BIND
 * 9.18 ARM, logging category "queries"; https://wiki.squid-cache.org/
 * Features/LogFormat.
 */
#include "testlib.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/mem.h"
#include "core/time.h"
#include "detect/logread.h"
#include "detect/logread_int.h"

/* What a read handed over, as text: one line per record, "L<line>
 * <time> field=kind:value ...". */
struct got {
	char *text;
	size_t len, cap;
	int records;
	int stop_after; /* fail after this many records; 0 never */
	struct cirt_log_stats st;
	struct cirt_diag d;
	int rc;
	size_t max_values; /* most values in one record */
};

static void put(struct got *g, const char *s, size_t n)
{
	if (g->len + n + 1 > g->cap) {
		g->cap = (g->len + n + 1) * 2;
		g->text = cirt_xrealloc(g->text, g->cap);
	}
	memcpy(g->text + g->len, s, n);
	g->len += n;
	g->text[g->len] = '\0';
}

static int collect(const struct cirt_log_record *r, void *arg)
{
	struct got *g = arg;
	char buf[128], t[CIRT_TIME_LEN];

	if (g->stop_after && g->records == g->stop_after)
		return -CIRT_EAGAIN;
	g->records++;
	g->max_values = CIRT_MAX(g->max_values, r->nvalues);
	if (r->time_us != 0)
		cirt_time_format_exact(r->time_us, t);
	else
		snprintf(t, sizeof(t), "-");
	snprintf(buf, sizeof(buf), "L%llu %s", (unsigned long long)r->line, t);
	put(g, buf, strlen(buf));
	for (size_t i = 0; i < r->nvalues; i++) {
		const struct cirt_log_value *v = &r->values[i];

		snprintf(buf, sizeof(buf), " %s=%s:", v->field,
			 cirt_ioc_kind_name(v->kind));
		put(g, buf, strlen(buf));
		put(g, v->v, v->n);
	}
	put(g, "\n", 1);
	return 0;
}

static void got_reset(struct got *g)
{
	int stop = g->stop_after;

	free(g->text);
	memset(g, 0, sizeof(*g));
	g->stop_after = stop;
	cirt_diag_init(&g->d);
	put(g, "", 0);
}

static struct cirt_log_map *map_of(const char *text)
{
	struct cirt_log_map *m = NULL;
	struct cirt_diag d;

	cirt_diag_init(&d);
	if (text == NULL)
		return NULL;
	assert_int_equal(cirt_log_map_parse(text, &m, &d), 0);
	return m;
}

static void run_mem(struct got *g, enum cirt_log_format f, const char *map,
		    const char *text, size_t len)
{
	struct cirt_log_map *m = map_of(map);

	got_reset(g);
	g->rc = cirt_log_read_mem(text, len, "test.log", f, m, collect, g,
				  &g->st, &g->d);
	cirt_log_map_free(m);
}

static void run_fd(struct got *g, enum cirt_log_format f, const char *map,
		   int fd)
{
	struct cirt_log_map *m = map_of(map);

	got_reset(g);
	g->rc = cirt_log_read(fd, "test.log", f, m, collect, g, &g->st, &g->d);
	cirt_log_map_free(m);
}

/* A gzip file holding p[0..n) written with zlib, open for reading. */
static int temp_gz(const char *p, size_t n)
{
	char dir[] = "/tmp/cirt-test-logread-XXXXXX", path[128];
	gzFile gz;
	int fd;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/log.gz", dir);
	gz = gzopen(path, "wb");
	assert_non_null(gz);
	while (n > 0) {
		unsigned k = (unsigned)CIRT_MIN(n, (size_t)(1u << 20));

		assert_int_equal(gzwrite(gz, p, k), (int)k);
		p += k;
		n -= k;
	}
	assert_int_equal(gzclose(gz), Z_OK);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	unlink(path);
	rmdir(dir);
	return fd;
}

/* Samples. The Zeek header block as Zeek's ASCII writer opens a log. */
#define ZEEK_HEAD(path, fields, types)                                   \
	"#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n"   \
	"#unset_field\t-\n#path\t" path "\n#open\t2026-11-22-12-00-00\n" \
	"#fields\t" fields "\n#types\t" types "\n"
#define ZEEK_TAIL "#close\t2026-11-22-13-00-00\n"

#define CONN_FIELDS                                                           \
	"ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice" \
	"\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\t"        \
	"local_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\t"       \
	"resp_pkts\tresp_ip_bytes\ttunnel_parents"
#define CONN_TYPES                                                            \
	"time\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount" \
	"\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\t"   \
	"count\tset[string]"
#define CONN_REC                                                          \
	"1795348800.123456\tCHhAvVGS1DHFjwGM9\t192.0.2.10\t49152\t"       \
	"198.51.100.7\t443\ttcp\tssl\t1.234567\t517\t4212\tSF\tT\tF\t0\t" \
	"ShADadFf\t10\t1049\t9\t4592\t-\n"
#define CONN_LOG ZEEK_HEAD("conn", CONN_FIELDS, CONN_TYPES) CONN_REC ZEEK_TAIL

#define DNS_FIELDS                                                            \
	"ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\t"        \
	"trans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode" \
	"\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected"
#define DNS_TYPES                                                             \
	"time\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring" \
	"\tcount\tstring\tcount\tstring\tcount\tstring\tbool\tbool\tbool\t"   \
	"bool\tcount\tvector[string]\tvector[interval]\tbool"
#define DNS_REC                                                        \
	"1795348800.500000\tC8blOJ21azairPrWf8\t192.0.2.10\t53124\t"   \
	"198.51.100.53\t53\tudp\t4711\t0.012345\twww.example.com\t1\t" \
	"C_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t"                \
	"web.example.net,203.0.113.5\t300.000000,60.000000\tF\n"
#define DNS_LOG ZEEK_HEAD("dns", DNS_FIELDS, DNS_TYPES) DNS_REC ZEEK_TAIL

#define HTTP_FIELDS                                                          \
	"ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\ttrans_depth\t" \
	"method\thost\turi\treferrer\tversion\tuser_agent\torigin\t"         \
	"request_body_len\tresponse_body_len\tstatus_code\tstatus_msg\t"     \
	"info_code\tinfo_msg\ttags\tusername\tpassword\tproxied\torig_fuids" \
	"\torig_filenames\torig_mime_types\tresp_fuids\tresp_filenames\t"    \
	"resp_mime_types"
#define HTTP_TYPES                                                            \
	"time\tstring\taddr\tport\taddr\tport\tcount\tstring\tstring\tstring" \
	"\tstring\tstring\tstring\tstring\tcount\tcount\tcount\tstring\t"     \
	"count\tstring\tset[enum]\tstring\tstring\tset[string]\t"             \
	"vector[string]\tvector[string]\tvector[string]\tvector[string]\t"    \
	"vector[string]\tvector[string]"
/* The URI holds an escaped tab ("\x09"), as Zeek writes one. */
#define HTTP_REC                                                              \
	"1795348801.000000\tCdBzZp3Tn2aXkEYEG6\t192.0.2.10\t49200\t"          \
	"203.0.113.80\t80\t1\tGET\twww.example.com\t"                         \
	"/download/setup\\x09x.exe?id=1\t-\t1.1\tcurl/8.5.0\t-\t0\t1024\t200" \
	"\tOK\t-\t-\t(empty)\t-\t-\t-\t-\t-\t-\tFbYcXw1nU0ypk8XdCe\t-\t"      \
	"application/x-dosexec\n"
#define HTTP_LOG ZEEK_HEAD("http", HTTP_FIELDS, HTTP_TYPES) HTTP_REC ZEEK_TAIL

/* files.log as Zeek 4 writes it, with its address sets. */
#define FILES_FIELDS                                                          \
	"ts\tfuid\ttx_hosts\trx_hosts\tconn_uids\tsource\tdepth\tanalyzers\t" \
	"mime_type\tfilename\tduration\tlocal_orig\tis_orig\tseen_bytes\t"    \
	"total_bytes\tmissing_bytes\toverflow_bytes\ttimedout\tparent_fuid\t" \
	"md5\tsha1\tsha256\textracted\textracted_cutoff\textracted_size"
#define FILES_TYPES                                                          \
	"time\tstring\tset[addr]\tset[addr]\tset[string]\tstring\tcount\t"   \
	"set[string]\tstring\tstring\tinterval\tbool\tbool\tcount\tcount\t"  \
	"count\tcount\tbool\tstring\tstring\tstring\tstring\tstring\tbool\t" \
	"count"
#define MD5  "d41d8cd98f00b204e9800998ecf8427e"
#define SHA1 "da39a3ee5e6b4b0d3255bfef95601890afd80709"
#define SHA256 \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define FILES_REC                                                             \
	"1795348801.100000\tFbYcXw1nU0ypk8XdCe\t203.0.113.80\t"               \
	"192.0.2.10,192.0.2.11\tCdBzZp3Tn2aXkEYEG6\tHTTP\t0\tMD5,SHA1,SHA256" \
	"\tapplication/x-dosexec\t-\t0.001000\tF\tF\t1024\t1024\t0\t0\tF\t-"  \
	"\t" MD5 "\t" SHA1 "\t" SHA256 "\t-\t-\t-\n"
#define FILES_LOG \
	ZEEK_HEAD("files", FILES_FIELDS, FILES_TYPES) FILES_REC ZEEK_TAIL

#define SSL_FIELDS                                                             \
	"ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tversion\tcipher" \
	"\tcurve\tserver_name\tresumed\tlast_alert\tnext_protocol\t"           \
	"established\tssl_history\tcert_chain_fps\tclient_cert_chain_fps\t"    \
	"sni_matches_cert"
#define SSL_TYPES                                                              \
	"time\tstring\taddr\tport\taddr\tport\tstring\tstring\tstring\tstring" \
	"\tbool\tstring\tstring\tbool\tstring\tvector[string]\t"               \
	"vector[string]\tbool"
#define SSL_REC                                                       \
	"1795348802.000000\tCHhAvVGS1DHFjwGM9\t192.0.2.10\t49152\t"   \
	"198.51.100.7\t443\tTLSv13\tTLS_AES_128_GCM_SHA256\tx25519\t" \
	"www.example.com\tF\t-\th2\tT\tCsiI\t-\t-\t-\n"
#define SSL_LOG ZEEK_HEAD("ssl", SSL_FIELDS, SSL_TYPES) SSL_REC ZEEK_TAIL

#define SMTP_FIELDS                                                          \
	"ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\ttrans_depth\t" \
	"helo\tmailfrom\trcptto\tdate\tfrom\tto\tcc\treply_to\tmsg_id\t"     \
	"in_reply_to\tsubject\tx_originating_ip\tfirst_received\t"           \
	"second_received\tlast_reply\tpath\tuser_agent\ttls\tfuids"
#define SMTP_TYPES                                                           \
	"time\tstring\taddr\tport\taddr\tport\tcount\tstring\tstring\t"      \
	"set[string]\tstring\tstring\tset[string]\tset[string]\tstring\t"    \
	"string\tstring\tstring\taddr\tstring\tstring\tstring\tvector[addr]" \
	"\tstring\tbool\tvector[string]"
#define SMTP_REC                                                              \
	"1795348803.000000\tC3xkHgJn0w1qFBu3m4\t192.0.2.25\t51000\t"          \
	"198.51.100.25\t25\t1\tmail.example.org\t<alice@example.org>\t"       \
	"<bob@example.com>,<carol@example.net>\t"                             \
	"Sun, 22 Nov 2026 12:00:03 +0000\tAlice <alice@example.org>\t"        \
	"Bob <bob@example.com>\t-\t-\t<20261122120003.1234@example.org>\t-\t" \
	"Hello\t-\t-\t-\t250 2.0.0 Ok: queued\t198.51.100.25,192.0.2.25\t-\t" \
	"F\tFq1x2y3z4\n"
#define SMTP_LOG ZEEK_HEAD("smtp", SMTP_FIELDS, SMTP_TYPES) SMTP_REC ZEEK_TAIL

#define ZJ_CONN                                                               \
	"{\"ts\":1795348800.123456,\"uid\":\"CHhAvVGS1DHFjwGM9\","            \
	"\"id.orig_h\":\"192.0.2.10\",\"id.orig_p\":49152,"                   \
	"\"id.resp_h\":\"198.51.100.7\",\"id.resp_p\":443,\"proto\":\"tcp\"," \
	"\"service\":\"ssl\",\"duration\":1.234567,\"orig_bytes\":517,"       \
	"\"resp_bytes\":4212,\"conn_state\":\"SF\",\"local_orig\":true,"      \
	"\"local_resp\":false,\"missed_bytes\":0,\"history\":\"ShADadFf\","   \
	"\"orig_pkts\":10,\"orig_ip_bytes\":1049,\"resp_pkts\":9,"            \
	"\"resp_ip_bytes\":4592}\n"
/* dns.log with json.timestamps = JSON::TS_ISO8601. */
#define ZJ_DNS                                                                \
	"{\"ts\":\"2026-11-22T12:00:00.500000Z\",\"uid\":"                    \
	"\"C8blOJ21azairPrWf8\","                                             \
	"\"id.orig_h\":\"192.0.2.10\",\"id.orig_p\":53124,"                   \
	"\"id.resp_h\":\"198.51.100.53\",\"id.resp_p\":53,\"proto\":\"udp\"," \
	"\"trans_id\":4711,\"rtt\":0.012345,\"query\":\"www.example.com\","   \
	"\"qclass\":1,\"qclass_name\":\"C_INTERNET\",\"qtype\":1,"            \
	"\"qtype_name\":\"A\",\"rcode\":0,\"rcode_name\":\"NOERROR\","        \
	"\"AA\":false,\"TC\":false,\"RD\":true,\"RA\":true,\"Z\":0,"          \
	"\"answers\":[\"web.example.net\",\"203.0.113.5\"],"                  \
	"\"TTLs\":[300.0,60.0],\"rejected\":false}\n"

#define EVE_HEAD(type, src, sport, dst, dport, proto)         \
	"{\"timestamp\":\"2026-11-22T12:00:00.123456+0000\"," \
	"\"flow_id\":1234567890123456,\"in_iface\":\"eth0\"," \
	"\"event_type\":\"" type "\",\"src_ip\":\"" src       \
	"\",\"src_port\":" sport ",\"dest_ip\":\"" dst        \
	"\",\"dest_port\":" dport ",\"proto\":\"" proto "\""
#define EVE_DNS_V2                                                             \
	EVE_HEAD("dns", "198.51.100.53", "53", "192.0.2.10", "53124", "UDP")   \
	",\"dns\":{\"version\":2,\"type\":\"answer\",\"id\":4711,"             \
	"\"flags\":\"8180\",\"qr\":true,\"rd\":true,\"ra\":true,\"opcode\":0," \
	"\"rrname\":\"www.example.com\",\"rrtype\":\"A\",\"rcode\":"           \
	"\"NOERROR\","                                                         \
	"\"answers\":[{\"rrname\":\"www.example.com\",\"rrtype\":\"CNAME\","   \
	"\"ttl\":300,\"rdata\":\"web.example.net\"},{\"rrname\":"              \
	"\"web.example.net\",\"rrtype\":\"A\",\"ttl\":60,\"rdata\":"           \
	"\"203.0.113.5\"}],\"grouped\":{\"CNAME\":[\"web.example.net\"],"      \
	"\"A\":[\"203.0.113.5\"]}}}\n"
#define EVE_DNS_V3_REQ                                                       \
	EVE_HEAD("dns", "192.0.2.10", "53124", "198.51.100.53", "53", "UDP") \
	",\"pkt_src\":\"wire/pcap\",\"dns\":{\"version\":3,\"type\":"        \
	"\"request\",\"tx_id\":0,\"id\":4711,\"flags\":\"100\",\"rd\":true," \
	"\"opcode\":0,\"rcode\":\"NOERROR\",\"queries\":[{\"rrname\":"       \
	"\"www.example.com\",\"rrtype\":\"AAAA\"}]}}\n"
#define EVE_DNS_V3_RESP                                                        \
	EVE_HEAD("dns", "198.51.100.53", "53", "192.0.2.10", "53124", "UDP")   \
	",\"dns\":{\"version\":3,\"type\":\"response\",\"tx_id\":1,\"id\":"    \
	"4711,"                                                                \
	"\"flags\":\"8180\",\"qr\":true,\"rd\":true,\"ra\":true,\"opcode\":0," \
	"\"rcode\":\"NOERROR\",\"queries\":[{\"rrname\":\"www.example.com\","  \
	"\"rrtype\":\"AAAA\"}],\"answers\":[{\"rrname\":\"www.example.com\","  \
	"\"rrtype\":\"AAAA\",\"ttl\":60,\"rdata\":\"2001:db8::5\"}],"          \
	"\"grouped\":{\"AAAA\":[\"2001:db8::5\"]}}}\n"
#define EVE_HTTP_OBJ                                                          \
	"\"http\":{\"hostname\":\"www.example.com\",\"url\":"                 \
	"\"/download/setup.exe\",\"http_user_agent\":\"curl/8.5.0\","         \
	"\"http_content_type\":\"application/octet-stream\",\"http_method\":" \
	"\"GET\",\"protocol\":\"HTTP/1.1\",\"status\":200,\"length\":1024}"
#define EVE_HTTP                                                             \
	EVE_HEAD("http", "192.0.2.10", "49200", "203.0.113.80", "80", "TCP") \
	",\"tx_id\":0," EVE_HTTP_OBJ "}\n"
#define EVE_TLS                                                              \
	EVE_HEAD("tls", "192.0.2.10", "49152", "198.51.100.7", "443", "TCP") \
	",\"tls\":{\"subject\":\"CN=www.example.com\",\"issuerdn\":"         \
	"\"C=US, O=Example CA, CN=Example CA R3\",\"serial\":\"04:A1:B2\","  \
	"\"fingerprint\":\"6f:1e:8a:5c:09:88:2d:3b:aa:10:7c:41:90:36:27:4e:" \
	"b2:c1:55:d0\",\"sni\":\"www.example.com\",\"version\":\"TLS 1.3\"," \
	"\"notbefore\":\"2026-09-01T00:00:00\",\"notafter\":"                \
	"\"2026-11-30T00:00:00\",\"ja3\":{\"hash\":"                         \
	"\"e7d705a3286e19ea42f587b344ee6865\",\"string\":"                   \
	"\"771,4865-4866-4867,0-23-65281,29-23-24,0\"}}}\n"
#define EVE_FILEINFO                                                           \
	EVE_HEAD("fileinfo", "203.0.113.80", "80", "192.0.2.10", "49200",      \
		 "TCP")                                                        \
	"," EVE_HTTP_OBJ ",\"app_proto\":\"http\",\"fileinfo\":{\"filename\":" \
	"\"/download/setup.exe\",\"gaps\":false,\"state\":\"CLOSED\","         \
	"\"md5\":\"" MD5 "\",\"sha1\":\"" SHA1 "\",\"sha256\":\"" SHA256       \
	"\",\"stored\":false,\"size\":1024,\"tx_id\":0}}\n"
#define EVE_FLOW                                                               \
	EVE_HEAD("flow", "192.0.2.10", "49152", "198.51.100.7", "443", "TCP")  \
	",\"app_proto\":\"tls\",\"flow\":{\"pkts_toserver\":10,"               \
	"\"pkts_toclient\":9,\"bytes_toserver\":1049,\"bytes_toclient\":4592," \
	"\"start\":\"2026-11-22T12:00:00.000000+0000\",\"end\":"               \
	"\"2026-11-22T12:00:01.234567+0000\",\"age\":1,\"state\":\"closed\","  \
	"\"reason\":\"timeout\",\"alerted\":false},\"tcp\":{\"tcp_flags\":"    \
	"\"1b\",\"syn\":true,\"fin\":true,\"psh\":true,\"ack\":true,"          \
	"\"state\":\"closed\"}}\n"
#define EVE_ALERT                                                             \
	EVE_HEAD("alert", "192.0.2.10", "49200", "203.0.113.80", "80", "TCP") \
	",\"tx_id\":0,\"alert\":{\"action\":\"allowed\",\"gid\":1,"           \
	"\"signature_id\":2013028,\"rev\":7,\"signature\":"                   \
	"\"ET POLICY curl User-Agent Outbound\",\"category\":"                \
	"\"Attempted Information Leak\",\"severity\":2}," EVE_HTTP_OBJ        \
	",\"app_proto\":\"http\",\"flow\":{\"pkts_toserver\":4,"              \
	"\"pkts_toclient\":3,\"bytes_toserver\":400,\"bytes_toclient\":1500," \
	"\"start\":\"2026-11-22T11:59:59.900000+0000\"}}\n"
#define EVE_SMTP                                                              \
	EVE_HEAD("smtp", "192.0.2.25", "51000", "198.51.100.25", "25", "TCP") \
	",\"tx_id\":0,\"smtp\":{\"helo\":\"mail.example.org\",\"mail_from\":" \
	"\"<alice@example.org>\",\"rcpt_to\":[\"<bob@example.com>\","         \
	"\"<carol@example.net>\"]},\"email\":{\"status\":\"PARSE_DONE\","     \
	"\"from\":\"Alice "                                                   \
	"<alice@example.org>\",\"to\":[\"bob@example.com\"]}}\n"

#define BIND_DATED                                                         \
	"22-Nov-2026 12:00:00.123 queries: info: client @0x7f3c5c01e168 "  \
	"192.0.2.10#53124 (www.example.com): query: www.example.com IN A " \
	"+E(0)K (198.51.100.53)\n"
#define BIND_PLAIN                                                           \
	"client @0x7f3c5c01e168 192.0.2.10#53124 (www.example.com): query: " \
	"www.example.com IN A +E(0)K (198.51.100.53)\n"
#define BIND_OLD                                                              \
	"client 192.0.2.11#40001 (mail.example.org): query: mail.example.org" \
	" IN MX + (198.51.100.53)\n"
#define BIND_VIEW6                                                            \
	"22-Nov-2026 12:00:01.000 client @0x7f3c5c01e168 2001:db8::10#40000 " \
	"(mail.example.org): view internal: query: mail.example.org IN AAAA " \
	"+E(0)DC (2001:db8::53)\n"
#define BIND_SYSLOG                                               \
	"Nov 22 12:00:02 ns1 named[812]: client @0x7f3c5c01e168 " \
	"192.0.2.12#5353"                                         \
	" (www.example.net): query: www.example.net IN A -E(0) "  \
	"(198.51.100.53)\n"

#define SQUID_GET                                                 \
	"1795348800.123    120 192.0.2.10 TCP_MISS/200 1234 GET " \
	"http://www.example.com/path - HIER_DIRECT/203.0.113.5 text/html\n"
#define SQUID_CONNECT                                                   \
	"1795348801.456  30012 192.0.2.11 TCP_TUNNEL/200 5120 CONNECT " \
	"www.example.net:443 - HIER_DIRECT/198.51.100.20 -\n"
#define SQUID_PARENT                                                      \
	"1795348802.000      5 192.0.2.12 TCP_MISS/200 500 GET "          \
	"http://www.example.org/ alice FIRSTUP_PARENT/proxy.example.net " \
	"text/html\n"
#define SQUID_DENIED                                                \
	"1795348803.000      0 192.0.2.12 TCP_DENIED/403 3900 GET " \
	"http://blocked.example.com/ - HIER_NONE/- text/html\n"
#define SQUID_CONNECT6                                                  \
	"1795348804.000     10 2001:db8::12 TCP_TUNNEL/200 99 CONNECT " \
	"[2001:db8::443]:443 - HIER_DIRECT/2001:db8::443 -\n"

#define CSV_LOG                                                                \
	"time,src,dst,domain,sha256,note\n"                                    \
	"2026-11-22T12:00:00Z,192.0.2.10,198.51.100.7,www.example.com," SHA256 \
	",first\n"                                                             \
	"2026-11-22 12:00:01,192.0.2.11,\"2001:db8::7\",\"example.org\",,"     \
	"\"a \"\"quoted\"\" note\"\n"                                          \
	"1795348802.5,192.0.2.12,-,,,\n"

struct sample {
	const char *what;
	enum cirt_log_format f;
	const char *map;
	const char *in;
	const char *want;
};

#define T0 "2026-11-22T12:00:00"

static const struct sample samples[] = {
	{"zeek conn", CIRT_LOG_ZEEK, NULL, CONN_LOG,
	 "L9 " T0 ".123456Z id.orig_h=ip:192.0.2.10 "
	 "id.resp_h=ip:198.51.100.7\n"},
	{"zeek dns", CIRT_LOG_ZEEK, NULL, DNS_LOG,
	 "L9 " T0 ".500000Z id.orig_h=ip:192.0.2.10 "
	 "id.resp_h=ip:198.51.100.53 query=domain:www.example.com "
	 "answers=domain:web.example.net answers=ip:203.0.113.5\n"},
	{"zeek http", CIRT_LOG_ZEEK, NULL, HTTP_LOG,
	 "L9 2026-11-22T12:00:01Z id.orig_h=ip:192.0.2.10 "
	 "id.resp_h=ip:203.0.113.80 host=domain:www.example.com "
	 "url=url:http://www.example.com/download/setup\tx.exe?id=1\n"},
	{"zeek files", CIRT_LOG_ZEEK, NULL, FILES_LOG,
	 "L9 2026-11-22T12:00:01.100000Z tx_hosts=ip:203.0.113.80 "
	 "rx_hosts=ip:192.0.2.10 rx_hosts=ip:192.0.2.11 md5=md5:" MD5
	 " sha1=sha1:" SHA1 " sha256=sha256:" SHA256 "\n"},
	{"zeek ssl", CIRT_LOG_ZEEK, NULL, SSL_LOG,
	 "L9 2026-11-22T12:00:02Z id.orig_h=ip:192.0.2.10 "
	 "id.resp_h=ip:198.51.100.7 server_name=domain:www.example.com\n"},
	{"zeek smtp", CIRT_LOG_ZEEK, NULL, SMTP_LOG,
	 "L9 2026-11-22T12:00:03Z id.orig_h=ip:192.0.2.25 "
	 "id.resp_h=ip:198.51.100.25 mailfrom=email:<alice@example.org> "
	 "rcptto=email:<bob@example.com> rcptto=email:<carol@example.net>\n"},
	{"zeek-json conn", CIRT_LOG_ZEEK_JSON, NULL, ZJ_CONN,
	 "L1 " T0 ".123456Z id.orig_h=ip:192.0.2.10 "
	 "id.resp_h=ip:198.51.100.7\n"},
	{"zeek-json dns", CIRT_LOG_ZEEK_JSON, NULL, ZJ_DNS,
	 "L1 " T0 ".500000Z id.orig_h=ip:192.0.2.10 "
	 "id.resp_h=ip:198.51.100.53 query=domain:www.example.com "
	 "answers=domain:web.example.net answers=ip:203.0.113.5\n"},
	{"eve dns v2", CIRT_LOG_EVE, NULL, EVE_DNS_V2,
	 "L1 " T0 ".123456Z src_ip=ip:198.51.100.53 dest_ip=ip:192.0.2.10 "
	 "dns.rrname=domain:www.example.com "
	 "dns.answers[].rdata=domain:web.example.net "
	 "dns.answers[].rdata=ip:203.0.113.5 "
	 "dns.grouped.CNAME[]=domain:web.example.net "
	 "dns.grouped.A[]=ip:203.0.113.5\n"},
	{"eve dns v3", CIRT_LOG_EVE, NULL, EVE_DNS_V3_REQ EVE_DNS_V3_RESP,
	 "L1 " T0 ".123456Z src_ip=ip:192.0.2.10 dest_ip=ip:198.51.100.53 "
	 "dns.queries[].rrname=domain:www.example.com\n"
	 "L2 " T0 ".123456Z src_ip=ip:198.51.100.53 dest_ip=ip:192.0.2.10 "
	 "dns.queries[].rrname=domain:www.example.com "
	 "dns.answers[].rdata=ip:2001:db8::5 "
	 "dns.grouped.AAAA[]=ip:2001:db8::5\n"},
	{"eve http", CIRT_LOG_EVE, NULL, EVE_HTTP,
	 "L1 " T0 ".123456Z src_ip=ip:192.0.2.10 dest_ip=ip:203.0.113.80 "
	 "http.hostname=domain:www.example.com "
	 "http.url=url:http://www.example.com/download/setup.exe\n"},
	{"eve tls", CIRT_LOG_EVE, NULL, EVE_TLS,
	 "L1 " T0 ".123456Z src_ip=ip:192.0.2.10 dest_ip=ip:198.51.100.7 "
	 "tls.sni=domain:www.example.com\n"},
	{"eve fileinfo", CIRT_LOG_EVE, NULL, EVE_FILEINFO,
	 "L1 " T0 ".123456Z src_ip=ip:203.0.113.80 dest_ip=ip:192.0.2.10 "
	 "http.hostname=domain:www.example.com fileinfo.md5=md5:" MD5
	 " fileinfo.sha1=sha1:" SHA1 " fileinfo.sha256=sha256:" SHA256
	 " http.url=url:http://www.example.com/download/setup.exe\n"},
	{"eve flow and alert", CIRT_LOG_EVE, NULL, EVE_FLOW EVE_ALERT,
	 "L1 " T0 ".123456Z src_ip=ip:192.0.2.10 dest_ip=ip:198.51.100.7\n"
	 "L2 " T0 ".123456Z src_ip=ip:192.0.2.10 dest_ip=ip:203.0.113.80 "
	 "http.hostname=domain:www.example.com "
	 "http.url=url:http://www.example.com/download/setup.exe\n"},
	{"eve smtp", CIRT_LOG_EVE, NULL, EVE_SMTP,
	 "L1 " T0 ".123456Z src_ip=ip:192.0.2.25 dest_ip=ip:198.51.100.25 "
	 "smtp.mail_from=email:<alice@example.org> "
	 "smtp.rcpt_to[]=email:<bob@example.com> "
	 "smtp.rcpt_to[]=email:<carol@example.net>\n"},
	{"bind", CIRT_LOG_BIND, NULL,
	 BIND_DATED BIND_PLAIN BIND_OLD BIND_VIEW6 BIND_SYSLOG,
	 "L1 " T0 ".123000Z client=ip:192.0.2.10 "
	 "query=domain:www.example.com server=ip:198.51.100.53\n"
	 "L2 - client=ip:192.0.2.10 query=domain:www.example.com "
	 "server=ip:198.51.100.53\n"
	 "L3 - client=ip:192.0.2.11 query=domain:mail.example.org "
	 "server=ip:198.51.100.53\n"
	 "L4 2026-11-22T12:00:01Z client=ip:2001:db8::10 "
	 "query=domain:mail.example.org server=ip:2001:db8::53\n"
	 "L5 - client=ip:192.0.2.12 query=domain:www.example.net "
	 "server=ip:198.51.100.53\n"},
	{"squid", CIRT_LOG_SQUID, NULL,
	 SQUID_GET SQUID_CONNECT SQUID_PARENT SQUID_DENIED SQUID_CONNECT6,
	 "L1 " T0 ".123000Z client=ip:192.0.2.10 "
	 "url=url:http://www.example.com/path peer=ip:203.0.113.5\n"
	 "L2 2026-11-22T12:00:01.456000Z client=ip:192.0.2.11 "
	 "url=domain:www.example.net peer=ip:198.51.100.20\n"
	 "L3 2026-11-22T12:00:02Z client=ip:192.0.2.12 "
	 "url=url:http://www.example.org/ peer=domain:proxy.example.net\n"
	 "L4 2026-11-22T12:00:03Z client=ip:192.0.2.12 "
	 "url=url:http://blocked.example.com/\n"
	 "L5 2026-11-22T12:00:04Z client=ip:2001:db8::12 "
	 "url=ip:2001:db8::443 peer=ip:2001:db8::443\n"},
	{"csv", CIRT_LOG_CSV,
	 "src=ip,dst=host, domain = domain,5=hash,time=time", CSV_LOG,
	 "L2 " T0 "Z src=ip:192.0.2.10 dst=ip:198.51.100.7 "
	 "domain=domain:www.example.com 5=sha256:" SHA256 "\n"
	 "L3 2026-11-22T12:00:01Z src=ip:192.0.2.11 dst=ip:2001:db8::7 "
	 "domain=domain:example.org\n"
	 "L4 2026-11-22T12:00:02.500000Z src=ip:192.0.2.12\n"},
	{"eve with a map", CIRT_LOG_EVE,
	 "src_ip=ignore,http.http_user_agent=domain,http.url=ignore", EVE_HTTP,
	 "L1 " T0 ".123456Z dest_ip=ip:203.0.113.80 "
	 "http.hostname=domain:www.example.com "
	 "http.http_user_agent=domain:curl/8.5.0\n"},
	{"zeek with a map", CIRT_LOG_ZEEK,
	 "id.orig_h=ignore,ts=ignore,uid=hash", CONN_LOG,
	 "L9 - id.resp_h=ip:198.51.100.7\n"},
	{"zeek concatenated", CIRT_LOG_ZEEK, NULL, CONN_LOG DNS_LOG,
	 "L9 " T0 ".123456Z id.orig_h=ip:192.0.2.10 "
	 "id.resp_h=ip:198.51.100.7\n"
	 "L19 " T0 ".500000Z id.orig_h=ip:192.0.2.10 "
	 "id.resp_h=ip:198.51.100.53 query=domain:www.example.com "
	 "answers=domain:web.example.net answers=ip:203.0.113.5\n"},
};

static void test_samples(void **state)
{
	struct got g = {0};

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(samples); i++) {
		const struct sample *s = &samples[i];

		run_mem(&g, s->f, s->map, s->in, strlen(s->in));
		if (g.rc != 0 || strcmp(g.text, s->want) != 0 ||
		    g.st.malformed != 0)
			fail_msg("%s: rc %d (%s), %llu malformed (%s)\n"
				 "got:\n%swant:\n%s",
				 s->what, g.rc, g.d.message,
				 (unsigned long long)g.st.malformed,
				 g.st.bad[0].reason, g.text, s->want);
		/* The same guessed, but csv, which is never guessed. */
		if (s->f == CIRT_LOG_CSV)
			continue;
		run_mem(&g, CIRT_LOG_AUTO, s->map, s->in, strlen(s->in));
		if (g.rc != 0 || strcmp(g.text, s->want) != 0)
			fail_msg("%s guessed: rc %d (%s)\ngot:\n%s", s->what,
				 g.rc, g.d.message, g.text);
	}
	free(g.text);
}

static void test_stats(void **state)
{
	struct got g = {0};
	const char *in = DNS_LOG;

	(void)state;
	run_mem(&g, CIRT_LOG_ZEEK, NULL, in, strlen(in));
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.st.lines, 10);
	assert_int_equal(g.st.records, 1);
	assert_int_equal(g.st.values, 5);
	assert_int_equal(g.st.malformed, 0);
	assert_int_equal(g.st.bytes, strlen(in));
	free(g.text);
}

static void test_detect_unknown(void **state)
{
	struct got g = {0};
	const char *in = "\n\nhello world\n";

	(void)state;
	run_mem(&g, CIRT_LOG_AUTO, NULL, in, strlen(in));
	assert_int_equal(g.rc, -CIRT_EINVAL);
	assert_string_equal(g.d.field, "format");
	assert_non_null(strstr(g.d.message, "--format"));
	free(g.text);
}

/* The format guessed from the first line that is not empty. */
static void test_detect(void **state)
{
	static const struct {
		const char *in;
		int records; /* -1: not guessed */
	} cases[] = {
		{"\n\n" BIND_SYSLOG, 1},
		{BIND_PLAIN, 1},
		{BIND_OLD, 1},
		{"#fields\tts\tquery\n1795348800.0\twww.example.com\n", 1},
		{"\r\n  {\"query\":\"www.example.com\"}\n", 1},
		{"{\"event_type\":\"dns\",\"src_ip\":\"192.0.2.1\"}\n", 1},
		{"1795348800.123 1 192.0.2.1 TCP_MISS/200 1 GET "
		 "http://a.example/\n",
		 1},
		{"time,src\n2026-11-22T12:00:00Z,192.0.2.1\n", -1},
		{"#path\tconn\n", -1},
		{"Nov 22 12:00:00 ns1 named[1]: zone example.com loaded\n", -1},
		{"1795348800 1 192.0.2.1 TCP_MISS/200\n", -1},
	};
	struct got g = {0};

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(cases); i++) {
		run_mem(&g, CIRT_LOG_AUTO, NULL, cases[i].in,
			strlen(cases[i].in));
		if (cases[i].records < 0 ? g.rc != -CIRT_EINVAL
					 : g.rc != 0 || g.records != 1)
			fail_msg("case %zu: rc %d, %d records (%s)", i, g.rc,
				 g.records, g.d.message);
	}
	free(g.text);
}

static void test_is_ip(void **state)
{
	static const struct {
		const char *s;
		bool ip;
	} cases[] = {
		{"192.0.2.1", true},
		{"0.0.0.0", true},
		{"255.255.255.255", true},
		{"2001:db8::1", true},
		{"0001::1", true},
		{"::ffff:192.0.2.1", true},
		{"::", true},
		{"256.1.1.1", false},
		{"1.2.3.04", false},
		{"1.2.3", false},
		{"1.2.3.4.5", false},
		{"1234", false},
		{"cafe", false},
		{"fe80::1%eth0", false},
		{"www.example.com", false},
		/* Not a name: an address, which the matcher then refuses. */
		{"2001:db8::1::2", true},
		{"", false},
		{"1.2.3.4 ", false},
	};

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(cases); i++)
		if (lr_is_ip(cases[i].s, strlen(cases[i].s)) != cases[i].ip)
			fail_msg("\"%s\"", cases[i].s);
}

static void test_format_names(void **state)
{
	(void)state;
	for (int f = CIRT_LOG_AUTO; f <= CIRT_LOG_CSV; f++)
		assert_int_equal(cirt_log_format_parse(cirt_log_format_name(
					 (enum cirt_log_format)f)),
				 f);
	assert_string_equal(cirt_log_format_name(CIRT_LOG_ZEEK_JSON),
			    "zeek-json");
	assert_int_equal(cirt_log_format_parse("json"), -1);
	assert_int_equal(cirt_log_format_parse(NULL), -1);
}

/* Gzip files read as plain ones, from a file and from a pipe. */
static void test_gzip_and_pipe(void **state)
{
	struct got g = {0};
	const char *in = EVE_DNS_V2 EVE_HTTP;
	char *want;
	int fd, p[2];

	(void)state;
	run_mem(&g, CIRT_LOG_AUTO, NULL, in, strlen(in));
	assert_int_equal(g.rc, 0);
	want = cirt_xstrdup(g.text);

	fd = temp_gz(in, strlen(in));
	run_fd(&g, CIRT_LOG_AUTO, NULL, fd);
	close(fd);
	assert_int_equal(g.rc, 0);
	assert_string_equal(g.text, want);
	assert_int_equal(g.st.bytes, strlen(in));

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], in, strlen(in)), (ssize_t)strlen(in));
	close(p[1]);
	run_fd(&g, CIRT_LOG_EVE, NULL, p[0]);
	close(p[0]);
	assert_int_equal(g.rc, 0);
	assert_string_equal(g.text, want);

	free(want);
	free(g.text);
}

/* A read that fails names the input; a cut gzip stream is an error. */
static void test_read_errors(void **state)
{
	struct got g = {0};
	const char *in = DNS_LOG DNS_LOG DNS_LOG;
	char buf[4096];
	ssize_t n;
	int fd;

	(void)state;
	fd = open("/tmp", O_RDONLY);
	assert_true(fd >= 0);
	run_fd(&g, CIRT_LOG_AUTO, NULL, fd);
	close(fd);
	assert_int_equal(g.rc, -CIRT_EIO);
	assert_string_equal(g.d.field, "test.log");

	run_fd(&g, CIRT_LOG_ZEEK, NULL, -1);
	assert_int_equal(g.rc, -CIRT_EIO);

	fd = temp_gz(in, strlen(in));
	n = read(fd, buf, sizeof(buf));
	close(fd);
	assert_true(n > 40);
	fd = test_temp_fd(buf, (size_t)n - 20);
	run_fd(&g, CIRT_LOG_ZEEK, NULL, fd);
	close(fd);
	assert_int_equal(g.rc, -CIRT_EIO);
	free(g.text);
}

/* Many records through a file, plain and gzip, across read chunks. */
static void test_volume(void **state)
{
	struct got g = {0};
	size_t n = 20000, len = 0, k = strlen(CONN_REC);
	char *in = cirt_xmalloc(2048 + n * k);
	const char *head = ZEEK_HEAD("conn", CONN_FIELDS, CONN_TYPES);
	int fd;

	(void)state;
	memcpy(in, head, strlen(head));
	len = strlen(head);
	for (size_t i = 0; i < n; i++) {
		memcpy(in + len, CONN_REC, k);
		len += k;
	}
	for (int gz = 0; gz < 2; gz++) {
		fd = gz ? temp_gz(in, len) : test_temp_fd(in, len);
		run_fd(&g, CIRT_LOG_AUTO, NULL, fd);
		close(fd);
		assert_int_equal(g.rc, 0);
		assert_int_equal(g.records, (int)n);
		assert_int_equal(g.st.values, 2 * n);
		assert_int_equal(g.st.lines, n + 8);
		assert_int_equal(g.st.bytes, len);
		assert_int_equal(g.st.malformed, 0);
	}
	free(in);
	free(g.text);
}

static void test_crlf_and_last_line(void **state)
{
	struct got g = {0};
	const char *squid = "1795348800.123    120 192.0.2.10 TCP_MISS/200 "
			    "1234 GET http://www.example.com/ - HIER_NONE/- "
			    "text/html\r\n"
			    "1795348801.000      1 192.0.2.11 TCP_MISS/200 1 "
			    "GET http://www.example.net/ - HIER_NONE/- -";
	const char *json = "{\"query\":\"www.example.com\"}\r\n\r\n"
			   "{\"query\":\"www.example.net\"}";

	(void)state;
	run_mem(&g, CIRT_LOG_SQUID, NULL, squid, strlen(squid));
	assert_int_equal(g.rc, 0);
	assert_string_equal(g.text,
			    "L1 " T0 ".123000Z client=ip:192.0.2.10 "
			    "url=url:http://www.example.com/\n"
			    "L2 2026-11-22T12:00:01Z client=ip:192.0.2.11 "
			    "url=url:http://www.example.net/\n");
	run_mem(&g, CIRT_LOG_ZEEK_JSON, NULL, json, strlen(json));
	assert_int_equal(g.rc, 0);
	assert_string_equal(g.text, "L1 - query=domain:www.example.com\n"
				    "L3 - query=domain:www.example.net\n");
	assert_int_equal(g.st.lines, 3);
	free(g.text);
}

static void test_escapes(void **state)
{
	struct got g = {0};
	/* \u0041 is "A"; \/ is "/"; \u00e9 is two bytes of UTF-8. */
	const char *json = "{\"query\":\"www.ex\\u0041mple.com\","
			   "\"host\":\"caf\\u00e9.example.com\","
			   "\"uri\":\"\\/a\\tb\"}\n";

	(void)state;
	run_mem(&g, CIRT_LOG_ZEEK_JSON, NULL, json, strlen(json));
	assert_int_equal(g.rc, 0);
	assert_string_equal(g.text,
			    "L1 - query=domain:www.exAmple.com "
			    "host=domain:caf\xc3\xa9.example.com "
			    "url=url:http://caf\xc3\xa9.example.com/a\tb\n");
	free(g.text);
}

/* Each reason with its line; reading goes on after each. */
static void test_malformed(void **state)
{
	static const struct {
		enum cirt_log_format f;
		const char *in;
		unsigned records;
		struct {
			unsigned line;
			const char *reason;
		} bad[3];
	} cases[] = {
		{CIRT_LOG_EVE,
		 "{\"src_ip\":\"192.0.2.1\",\"dns\":{\"rrname\":\"www.exa\n"
		 "[1,2]\n"
		 "{\"src_ip\":\"192.0.2.1\"}\n"
		 "{\"src_ip\":\"192.0.2.1\"} {}\n",
		 1,
		 {{1, "truncated JSON"},
		  {2, "not a JSON object"},
		  {4, "text after the JSON object"}}},
		{CIRT_LOG_ZEEK_JSON,
		 "{\"a\":\"b\" "
		 "\"c\":\"d\"}\n{\"q\":@}\n{\"query\":\"x.example\"}\n",
		 1,
		 {{1, "not valid JSON"}, {2, "not valid JSON"}}},
		{CIRT_LOG_ZEEK,
		 ZEEK_HEAD("conn", CONN_FIELDS,
			   CONN_TYPES) "1795348800.1\tC1\t192.0.2."
				       "10\t1\n" CONN_REC,
		 1,
		 {{9, "has 4 columns where #fields names 21"}}},
		{CIRT_LOG_SQUID,
		 "garbage in\n" SQUID_GET "1795348800.123 120 192.0.2.10\n",
		 1,
		 {{1, "not a Squid native access.log line"},
		  {3, "not a Squid native access.log line"}}},
		{CIRT_LOG_BIND,
		 "22-Nov-2026 12:00:00.123 general: info: zone "
		 "loaded\n" BIND_PLAIN
		 "client 192.0.2.1 (x): query: x IN A +\n",
		 1,
		 {{1, "not a BIND query log line"},
		  {3, "not a BIND query log line"}}},
		{CIRT_LOG_CSV,
		 "a,b\n\"192.0.2.1,x\n192.0.2.2\n192.0.2.3,y\n",
		 1,
		 {{2, "a quote is not closed"},
		  {3, "has 1 columns where the field map needs 2"}}},
	};
	struct got g = {0};

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(cases); i++) {
		size_t nbad = 0;

		run_mem(&g, cases[i].f,
			cases[i].f == CIRT_LOG_CSV ? "a=ip,b=domain" : NULL,
			cases[i].in, strlen(cases[i].in));
		assert_int_equal(g.rc, 0);
		assert_int_equal(g.records, cases[i].records);
		while (nbad < 3 && cases[i].bad[nbad].reason)
			nbad++;
		assert_int_equal(g.st.malformed, nbad);
		for (size_t k = 0; k < nbad; k++) {
			if (g.st.bad[k].line != cases[i].bad[k].line ||
			    strcmp(g.st.bad[k].reason,
				   cases[i].bad[k].reason) != 0)
				fail_msg("case %zu bad %zu: line %llu \"%s\"",
					 i, k,
					 (unsigned long long)g.st.bad[k].line,
					 g.st.bad[k].reason);
		}
	}
	free(g.text);
}

/* Only the first CIRT_LOG_BAD_KEEP malformed lines are kept. */
static void test_malformed_keep(void **state)
{
	struct got g = {0};
	char in[1024];

	(void)state;
	for (int i = 0; i < CIRT_LOG_BAD_KEEP + 5; i++)
		memcpy(in + 2 * i, "{\n", 3);
	run_mem(&g, CIRT_LOG_EVE, NULL, in, strlen(in));
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.st.malformed, CIRT_LOG_BAD_KEEP + 5);
	assert_int_equal(g.st.bad[CIRT_LOG_BAD_KEEP - 1].line,
			 CIRT_LOG_BAD_KEEP);
	free(g.text);
}

/* {"query":"aaa...a.example"} of exactly n bytes. */
static char *long_json(size_t n)
{
	char *s = cirt_xmalloc(n + 1);
	const char *head = "{\"query\":\"", *tail = ".example\"}";
	size_t h = strlen(head), t = strlen(tail);

	memcpy(s, head, h);
	memset(s + h, 'a', n - h - t);
	memcpy(s + n - t, tail, t);
	s[n] = '\0';
	return s;
}

/*
 * A line of exactly CIRT_LOG_LINE_MAX bytes (before its CRLF) is read; one
 * byte more is malformed, and so are lines longer than the read window,
 * also the last one without its end. Read from memory, a file, and gzip.
 */
static void test_line_max(void **state)
{
	struct got g = {0};
	char *under = long_json(CIRT_LOG_LINE_MAX);
	char *over = long_json(CIRT_LOG_LINE_MAX + 1);
	char *huge = long_json(5 * CIRT_LOG_LINE_MAX / 2);
	size_t len = 8 * CIRT_LOG_LINE_MAX;
	char *in = cirt_xmalloc(len);
	const char *last = "{\"query\":\"www.example.com\"}";
	int fd;

	(void)state;
	snprintf(in, len, "%s\r\n%s\n%s\n%s\n%s\n%s", under, over, last, huge,
		 last, huge);
	for (int mode = 0; mode < 3; mode++) {
		if (mode == 0) {
			run_mem(&g, CIRT_LOG_ZEEK_JSON, NULL, in, strlen(in));
		} else {
			fd = mode == 1 ? test_temp_fd(in, strlen(in))
				       : temp_gz(in, strlen(in));
			run_fd(&g, CIRT_LOG_ZEEK_JSON, NULL, fd);
			close(fd);
		}
		assert_int_equal(g.rc, 0);
		assert_int_equal(g.records, 3);
		assert_int_equal(g.st.lines, 6);
		assert_int_equal(g.st.malformed, 3);
		assert_int_equal(g.st.bad[0].line, 2);
		assert_int_equal(g.st.bad[1].line, 4);
		assert_int_equal(g.st.bad[2].line, 6);
		assert_string_equal(g.st.bad[0].reason,
				    "longer than 1048576 bytes");
		assert_int_equal(g.st.bytes, strlen(in));
		assert_non_null(strstr(g.text, "\nL3 - query=domain:www."));
		assert_non_null(strstr(g.text, "\nL5 - query=domain:www."));
		assert_int_equal(strncmp(g.text, "L1 - query=domain:aaa", 21),
				 0);
	}
	free(under);
	free(over);
	free(huge);
	free(in);
	free(g.text);
}

static void test_values_max(void **state)
{
	struct got g = {0};
	char in[4096];
	size_t n;

	(void)state;
	n = (size_t)snprintf(in, sizeof(in),
			     "{\"event_type\":\"dns\","
			     "\"dns\":{\"grouped\":{\"A\":[");
	for (int i = 0; i < CIRT_LOG_VALUES_MAX + 6; i++)
		n += (size_t)snprintf(in + n, sizeof(in) - n,
				      "%s\"192.0.2.%d\"", i ? "," : "", i);
	snprintf(in + n, sizeof(in) - n, "]}}}\n");
	run_mem(&g, CIRT_LOG_EVE, NULL, in, strlen(in));
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.records, 1);
	assert_int_equal(g.max_values, CIRT_LOG_VALUES_MAX);
	assert_int_equal(g.st.values, CIRT_LOG_VALUES_MAX);
	assert_non_null(strstr(g.text, "192.0.2.63\n"));
	free(g.text);
}

/* More tokens than the reader takes: malformed, the next line read. */
static void test_json_tokens(void **state)
{
	struct got g = {0};
	char *in = cirt_xmalloc(8192);
	size_t n = 0;

	(void)state;
	n += (size_t)snprintf(in, 8192, "{\"a\":[");
	for (int i = 0; i < 600; i++)
		n += (size_t)snprintf(in + n, 8192 - n, "%s1", i ? "," : "");
	snprintf(in + n, 8192 - n, "]}\n{\"query\":\"www.example.com\"}\n");
	run_mem(&g, CIRT_LOG_ZEEK_JSON, NULL, in, strlen(in));
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.records, 1);
	assert_int_equal(g.st.malformed, 1);
	assert_string_equal(g.st.bad[0].reason,
			    "too many tokens (more than 512)");
	free(in);
	free(g.text);
}

static void test_callback_stops(void **state)
{
	struct got g = {.stop_after = 1};
	const char *in = SQUID_GET SQUID_CONNECT SQUID_PARENT;

	(void)state;
	run_mem(&g, CIRT_LOG_SQUID, NULL, in, strlen(in));
	assert_int_equal(g.rc, -CIRT_EAGAIN);
	assert_int_equal(g.records, 1);
	free(g.text);
}

static void test_zeek_without_fields(void **state)
{
	struct got g = {0};
	const char *in = "#separator \\x09\n" CONN_REC;

	(void)state;
	run_mem(&g, CIRT_LOG_ZEEK, NULL, in, strlen(in));
	assert_int_equal(g.rc, -CIRT_EINVAL);
	assert_int_equal(g.records, 0);
	assert_non_null(strstr(g.d.message, "#fields"));
	free(g.text);
}

static void test_csv_errors(void **state)
{
	struct got g = {0};
	const char *in = CSV_LOG;

	(void)state;
	run_mem(&g, CIRT_LOG_CSV, NULL, in, strlen(in));
	assert_int_equal(g.rc, -CIRT_EINVAL);
	assert_string_equal(g.d.field, "fields");
	run_mem(&g, CIRT_LOG_CSV, "time=time,note=ignore", in, strlen(in));
	assert_int_equal(g.rc, -CIRT_EINVAL);
	assert_string_equal(g.d.field, "fields");
	run_mem(&g, CIRT_LOG_CSV, "src=ip,url=url", in, strlen(in));
	assert_int_equal(g.rc, -CIRT_EINVAL);
	assert_string_equal(g.d.field, "fields");
	assert_non_null(strstr(g.d.message, "\"url\""));
	assert_int_equal(g.records, 0);
	run_mem(&g, CIRT_LOG_CSV, "src=ip,7=ip", in, strlen(in));
	assert_int_equal(g.rc, -CIRT_EINVAL);
	run_mem(&g, CIRT_LOG_CSV, "SRC=ip,6=ip", in, strlen(in));
	assert_int_equal(g.rc, 0);
	assert_int_equal(g.records, 3);
	free(g.text);
}

static void test_map_parse(void **state)
{
	static const struct {
		const char *text;
		int rc;
		const char *msg; /* part of the message */
	} cases[] = {
		{"", 0, NULL},
		{"  ", 0, NULL},
		{"a=ip", 0, NULL},
		{" a = ip , b=domain,c=host,d=url,e=md5,f=sha1,g=sha256,h=hash,"
		 "i=email,j=time,k=ignore",
		 0, NULL},
		{"dns.answers[].rdata=host,3=ip", 0, NULL},
		{"a=ipv4", -CIRT_EINVAL, "unknown kind \"ipv4\""},
		{"a=", -CIRT_EINVAL, "unknown kind"},
		{"=ip", -CIRT_EINVAL, "empty name"},
		{" =ip", -CIRT_EINVAL, "empty name"},
		{"a", -CIRT_EINVAL, "not name=kind"},
		{"a=ip,,b=ip", -CIRT_EINVAL, "entry 2 is empty"},
		{"a=ip,", -CIRT_EINVAL, "entry 2 is empty"},
		{"a=ip,a=domain", -CIRT_EINVAL, "named twice"},
		{"a\tb=ip", -CIRT_EINVAL, "control character"},
	};
	struct cirt_log_map *m;
	struct cirt_diag d;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(cases); i++) {
		cirt_diag_init(&d);
		m = (struct cirt_log_map *)1;
		if (cirt_log_map_parse(cases[i].text, &m, &d) != cases[i].rc)
			fail_msg("\"%s\": %s", cases[i].text, d.message);
		if (cases[i].rc == 0) {
			assert_non_null(m);
			cirt_log_map_free(m);
			continue;
		}
		assert_null(m);
		assert_string_equal(d.field, "fields");
		if (strstr(d.message, cases[i].msg) == NULL)
			fail_msg("\"%s\": %s", cases[i].text, d.message);
	}
	cirt_diag_init(&d);
	assert_int_equal(cirt_log_map_parse(NULL, &m, &d), 0);
	cirt_log_map_free(m);
}

static void test_map_limits(void **state)
{
	char text[16384], name[LR_NAME_MAX + 2];
	struct cirt_log_map *m;
	struct cirt_diag d;
	size_t n = 0;

	(void)state;
	for (int i = 0; i < CIRT_LOG_MAP_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%sf%d=ip",
				      i ? "," : "", i);
	cirt_diag_init(&d);
	assert_int_equal(cirt_log_map_parse(text, &m, &d), 0);
	cirt_log_map_free(m);
	snprintf(text + n, sizeof(text) - n, ",one_more=ip");
	assert_int_equal(cirt_log_map_parse(text, &m, &d), -CIRT_ELIMIT);
	assert_string_equal(d.field, "fields");
	assert_null(m);

	memset(name, 'n', LR_NAME_MAX);
	name[LR_NAME_MAX] = '\0';
	snprintf(text, sizeof(text), "%s=domain", name);
	cirt_diag_init(&d);
	assert_int_equal(cirt_log_map_parse(text, &m, &d), 0);
	cirt_log_map_free(m);
	snprintf(text, sizeof(text), "%sn=domain", name);
	assert_int_equal(cirt_log_map_parse(text, &m, &d), -CIRT_EINVAL);
	assert_non_null(strstr(d.message, "longer than 128 bytes"));
}

/* "host" and "hash" resolved per value; unset values dropped. */
static void test_value_kinds(void **state)
{
	struct got g = {0};
	const char *in =
		"h,x\n192.0.2.1,\n2001:db8::1,-\nwww.example.com,(empty)\n"
		"010.1.1.1,\n1.2.3,\n" MD5 ",\n" SHA1 ",\n" SHA256 ",\nabc,\n";

	(void)state;
	run_mem(&g, CIRT_LOG_CSV, "h=host,x=domain,1=hash", in, strlen(in));
	assert_int_equal(g.rc, 0);
	assert_string_equal(g.text,
			    "L2 - h=ip:192.0.2.1\n"
			    "L3 - h=ip:2001:db8::1\n"
			    "L4 - h=domain:www.example.com\n"
			    "L5 - h=domain:010.1.1.1\n"
			    "L6 - h=domain:1.2.3\n"
			    "L7 - h=domain:" MD5 " 1=md5:" MD5 "\n"
			    "L8 - h=domain:" SHA1 " 1=sha1:" SHA1 "\n"
			    "L9 - h=domain:" SHA256 " 1=sha256:" SHA256 "\n"
			    "L10 - h=domain:abc\n");
	free(g.text);
}

static void test_times(void **state)
{
	static const struct {
		const char *s;
		int64_t us; /* -1: refused */
	} iso[] = {
		{"2026-11-22T12:00:00Z", INT64_C(1795348800000000)},
		{"2026-11-22T12:00:00.123456+0000", INT64_C(1795348800123456)},
		{"2026-11-22T13:00:00.5+01:00", INT64_C(1795348800500000)},
		{"2026-11-22T11:30:00-0030", INT64_C(1795348800000000)},
		{"2026-11-22 12:00:00", INT64_C(1795348800000000)},
		{"2026-11-22T12:00:00.1234567891Z", INT64_C(1795348800123456)},
		{"2024-02-29T00:00:00Z", INT64_C(1709164800000000)},
		{"2026-02-29T00:00:00Z", -1},
		{"2026-11-22T24:00:00Z", -1},
		{"2026-11-22T12:00:00+2400", -1},
		{"2026-11-22T12:00:00Zx", -1},
		{"2026-11-22T12:00:00.", -1},
		{"2026-11-22", -1},
		{"1795348800", INT64_C(1795348800000000)},
		{"1795348800.000001", INT64_C(1795348800000001)},
		{"1795348800.", -1},
		{"-1", -1},
		{"", -1},
	};
	int64_t us;
	size_t used;

	(void)state;
	for (size_t i = 0; i < CIRT_ARRAY_LEN(iso); i++) {
		bool ok = lr_time_any(iso[i].s, strlen(iso[i].s), &us);

		if (ok != (iso[i].us >= 0) || (ok && us != iso[i].us))
			fail_msg("\"%s\": %d %lld", iso[i].s, ok,
				 (long long)us);
	}
	assert_true(lr_time_bind("22-Nov-2026 12:00:00.123 queries", 32, &us,
				 &used));
	assert_int_equal(us, INT64_C(1795348800123000));
	assert_int_equal(used, 24);
	assert_false(lr_time_bind("22-Now-2026 12:00:00", 20, &us, &used));
	assert_false(lr_time_bind("31-Nov-2026 12:00:00", 20, &us, &used));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_detect_unknown),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_is_ip),
		cmocka_unit_test(test_format_names),
		cmocka_unit_test(test_gzip_and_pipe),
		cmocka_unit_test(test_read_errors),
		cmocka_unit_test(test_volume),
		cmocka_unit_test(test_crlf_and_last_line),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_malformed_keep),
		cmocka_unit_test(test_line_max),
		cmocka_unit_test(test_values_max),
		cmocka_unit_test(test_json_tokens),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_zeek_without_fields),
		cmocka_unit_test(test_csv_errors),
		cmocka_unit_test(test_map_parse),
		cmocka_unit_test(test_map_limits),
		cmocka_unit_test(test_value_kinds),
		cmocka_unit_test(test_times),
	};

	return cmocka_run_group_tests_name("logread", tests, NULL, NULL);
}
