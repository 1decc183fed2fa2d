/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Notification mail (notify/mail.c): messages built and parsed back with
 * GMime (headers, RFC 2047 subjects and names, the multipart structure,
 * the text and the attachment byte for byte), CRLF and line lengths,
 * Message-IDs, the addr-spec rule, header injection refused, budgets;
 * and a real SMTP exchange with aiosmtpd (its Mailbox handler, with a
 * subclass that refuses some recipients): recipients and structure as
 * delivered, a refused recipient, STARTTLS required but not offered, no
 * server, and URLs that are not SMTP. The SMTP tests skip, with a
 * message, when /usr/bin/python3 has no aiosmtpd.
 */
#include "testlib.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "core/buf.h"
#include "core/uuid.h"
#include "core/text.h"
#include "notify/mail.h"

/* 2026-11-22T10:00:00Z, a Sunday. */
#define T0 INT64_C(1795341600000000)

static const char *const to2[] = {"abuse@example.org",
				  "soc.team+cert@sub.example.co.uk"};
static const char *const cc1[] = {"archive@cert.example"};
static const struct cirt_mail_header extra[] = {{"X-CIRT-Digest", "42"}};

static unsigned char blob[3000];

static const char *const ru_subject =
	"[TLP:AMBER] CERT-XX: события информационной безопасности, "
	"касающиеся Министерства примеров (всего: 12)";

static const char *const body =
	"Уважаемые коллеги!\n\nA line with trailing spaces   \n"
	".a line starting with a dot\nFrom the start\n"
	"=?not an encoded word?= and a = sign\n"
	"中文内容：本邮件由系统自动生成。这是一行很长的文字，用来检查"
	"可打印引用编码的软换行是否会把多字节字符拆开，而不会造成任何问题。\n"
	"A very long line without any break "
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	"\r\nCRLF line\nno newline at the end";

static struct cirt_mail_msg message(void)
{
	static const struct cirt_mail_attachment att = {
		"events.csv", "text/csv; charset=utf-8", blob, sizeof(blob)};
	struct cirt_mail_msg m = {0};

	m.from = "cert@cert.example";
	m.from_name = "CERT-XX \"Équipe nationale\"";
	m.to = to2;
	m.nto = 2;
	m.cc = cc1;
	m.ncc = 1;
	m.reply_to = "incident@cert.example";
	m.subject = ru_subject;
	m.body = body;
	m.lang = "ru";
	m.attachment = &att;
	m.headers = extra;
	m.nheaders = 1;
	m.date = T0;
	return m;
}

static char *build(const struct cirt_mail_msg *m, size_t *len,
		   char msgid[CIRT_MAIL_MSGID_MAX + 1])
{
	struct cirt_buf out;
	struct cirt_diag d;

	cirt_buf_init(&out, 1u << 20);
	cirt_diag_init(&d);
	if (cirt_mail_build(m, &out, msgid, &d) < 0)
		fail_msg("build: %s: %s", d.field, d.message);
	return cirt_buf_detach(&out, len);
}

/* Every line ends in CRLF and has at most max bytes (998 in the body
 * and extra headers); header lines at most 78 when hdr_max. */
static void check_lines(const char *s, size_t len, size_t hdr_max)
{
	bool in_headers = true;
	size_t start = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\r')
			assert_int_equal(s[i + 1], '\n');
		if (s[i] != '\n')
			continue;
		assert_true(i > 0 && s[i - 1] == '\r');
		assert_true(i - 1 - start <= 998);
		if (i - 1 == start)
			in_headers = false;
		if (in_headers && i - 1 - start > hdr_max)
			fail_msg("header line too long: %.*s",
				 (int)(i - 1 - start), s + start);
		start = i + 1;
	}
	assert_int_equal(start, len);
}

static GMimeMessage *parse(const char *s, size_t len)
{
	GMimeStream *st = g_mime_stream_mem_new_with_buffer(s, len);
	GMimeParser *p = g_mime_parser_new_with_stream(st);
	GMimeMessage *m = g_mime_parser_construct_message(p, NULL);

	assert_non_null(m);
	g_object_unref(p);
	g_object_unref(st);
	return m;
}

/* The decoded content of a part, NUL-terminated. */
static char *content(GMimeObject *part, size_t *len)
{
	GMimeDataWrapper *w = g_mime_part_get_content(GMIME_PART(part));
	GMimeStream *st = g_mime_stream_mem_new();
	GByteArray *a;
	char *s;

	assert_true(g_mime_data_wrapper_write_to_stream(w, st) >= 0);
	a = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(st));
	s = malloc(a->len + 1);
	memcpy(s, a->data, a->len);
	s[a->len] = '\0';
	*len = a->len;
	g_object_unref(st);
	return s;
}

/* body with every line end as CRLF and a final CRLF. */
static char *crlf_body(const char *b)
{
	struct cirt_buf o;
	size_t n;

	cirt_buf_init(&o, 1 << 20);
	for (; *b != '\0'; b++) {
		if (*b == '\r')
			continue;
		if (*b == '\n')
			assert_int_equal(cirt_buf_add(&o, "\r\n", 2), 0);
		else
			assert_int_equal(cirt_buf_add(&o, b, 1), 0);
	}
	assert_int_equal(cirt_buf_add(&o, "\r\n", 2), 0);
	return cirt_buf_detach(&o, &n);
}

/* s without CRs (a Maildir may store LF line ends), in place. */
static char *no_cr(char *s)
{
	char *w = s;

	for (char *r = s; *r != '\0'; r++)
		if (*r != '\r')
			*w++ = *r;
	*w = '\0';
	return s;
}

/* Check a parsed message against message(). */
static void check_parsed(GMimeMessage *pm, const char *msgid)
{
	InternetAddressList *l;
	InternetAddress *a;
	GMimeMultipart *mp;
	GMimeObject *part;
	char *text, *want;
	size_t n;

	assert_string_equal(g_mime_message_get_subject(pm), ru_subject);
	l = g_mime_message_get_from(pm);
	assert_int_equal(internet_address_list_length(l), 1);
	a = internet_address_list_get_address(l, 0);
	assert_string_equal(internet_address_get_name(a),
			    "CERT-XX \"Équipe nationale\"");
	assert_string_equal(
		internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)),
		"cert@cert.example");
	l = g_mime_message_get_to(pm);
	assert_int_equal(internet_address_list_length(l), 2);
	for (int i = 0; i < 2; i++)
		assert_string_equal(
			internet_address_mailbox_get_addr(
				INTERNET_ADDRESS_MAILBOX(
					internet_address_list_get_address(l,
									  i))),
			to2[i]);
	assert_int_equal(
		internet_address_list_length(g_mime_message_get_cc(pm)), 1);
	assert_int_equal(
		internet_address_list_length(g_mime_message_get_reply_to(pm)),
		1);
	/* GMime gives the id without its angle brackets. */
	assert_int_equal(strncmp(g_mime_message_get_message_id(pm), msgid + 1,
				 strlen(msgid) - 2),
			 0);
	assert_string_equal(
		g_mime_object_get_header(GMIME_OBJECT(pm), "Auto-Submitted"),
		"auto-generated");
	assert_string_equal(
		g_mime_object_get_header(GMIME_OBJECT(pm), "MIME-Version"),
		"1.0");
	assert_string_equal(
		g_mime_object_get_header(GMIME_OBJECT(pm), "X-CIRT-Digest"),
		"42");
	assert_string_equal(g_mime_object_get_header(GMIME_OBJECT(pm), "Date"),
			    "Sun, 22 Nov 2026 10:00:00 +0000");

	part = g_mime_message_get_mime_part(pm);
	assert_true(GMIME_IS_MULTIPART(part));
	assert_string_equal(g_mime_content_type_get_media_subtype(
				    g_mime_object_get_content_type(part)),
			    "mixed");
	mp = GMIME_MULTIPART(part);
	assert_int_equal(g_mime_multipart_get_count(mp), 2);

	part = g_mime_multipart_get_part(mp, 0);
	assert_true(g_mime_content_type_is_type(
		g_mime_object_get_content_type(part), "text", "plain"));
	assert_string_equal(
		g_mime_object_get_content_type_parameter(part, "charset"),
		"utf-8");
	assert_int_equal(g_mime_part_get_content_encoding(GMIME_PART(part)),
			 GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	assert_string_equal(g_mime_object_get_header(part, "Content-Language"),
			    "ru");
	text = no_cr(content(part, &n));
	want = no_cr(crlf_body(body));
	assert_string_equal(text, want);
	free(text);
	free(want);

	part = g_mime_multipart_get_part(mp, 1);
	assert_true(g_mime_content_type_is_type(
		g_mime_object_get_content_type(part), "text", "csv"));
	assert_string_equal(g_mime_part_get_filename(GMIME_PART(part)),
			    "events.csv");
	assert_string_equal(g_mime_object_get_disposition(part), "attachment");
	assert_int_equal(g_mime_part_get_content_encoding(GMIME_PART(part)),
			 GMIME_CONTENT_ENCODING_BASE64);
	text = content(part, &n);
	assert_int_equal(n, sizeof(blob));
	assert_memory_equal(text, blob, sizeof(blob));
	free(text);
}

static void test_build_parse(void **state)
{
	struct cirt_mail_msg m = message();
	char msgid[CIRT_MAIL_MSGID_MAX + 1], uuid[CIRT_UUID_LEN + 1];
	GMimeMessage *pm;
	size_t len;
	char *s;

	(void)state;
	s = build(&m, &len, msgid);
	check_lines(s, len, 78);
	/* <uuid@domain of From> */
	assert_int_equal(strlen(msgid), 1 + CIRT_UUID_LEN + 14);
	memcpy(uuid, msgid + 1, CIRT_UUID_LEN);
	uuid[CIRT_UUID_LEN] = '\0';
	assert_true(cirt_uuid_valid(uuid));
	assert_string_equal(msgid + 1 + CIRT_UUID_LEN, "@cert.example>");
	/* The text is quoted-printable: no raw non-ASCII byte anywhere, no
	 * line starting with a dot. */
	for (size_t i = 0; i < len; i++)
		assert_true((unsigned char)s[i] < 0x80);
	assert_null(strstr(s, "\r\n."));
	assert_non_null(strstr(s, "Subject: =?UTF-8?B?"));
	pm = parse(s, len);
	check_parsed(pm, msgid);
	g_object_unref(pm);
	free(s);
}

static void test_build_simple(void **state)
{
	struct cirt_mail_msg m = {0};
	static const char *const one[] = {"a@example.org"};
	static const char subject[] =
		"[TLP:CLEAR] CERT-XX: 1 security event concerning Example "
		"Org, a rather long organisation name that needs folding "
		"(really)";
	static const struct cirt_mail_attachment att = {
		"événements 2026.csv", "text/csv", "a,b\r\n", 5};
	GMimeMessage *pm;
	GMimeObject *part;
	char msgid[CIRT_MAIL_MSGID_MAX + 1];
	size_t len, n;
	char *s, *text;

	(void)state;
	m.from = "cert@cert.example";
	m.to = one;
	m.nto = 1;
	m.subject = subject;
	m.body = "Dear colleagues,\n";
	m.message_id = "<digest-42.7@cert.example>";
	s = build(&m, &len, msgid);
	check_lines(s, len, 78);
	assert_string_equal(msgid, "<digest-42.7@cert.example>");
	/* A plain ASCII subject is folded at spaces, not encoded. */
	assert_null(strstr(s, "=?UTF-8?"));
	assert_non_null(strstr(s, "From: cert@cert.example\r\n"));
	pm = parse(s, len);
	assert_string_equal(g_mime_message_get_subject(pm), subject);
	part = g_mime_message_get_mime_part(pm);
	assert_false(GMIME_IS_MULTIPART(part));
	text = content(part, &n);
	assert_string_equal(text, "Dear colleagues,\r\n");
	free(text);
	g_object_unref(pm);
	free(s);

	/* A file name that is not a token goes as RFC 2231. */
	m.attachment = &att;
	m.message_id = NULL;
	s = build(&m, &len, NULL);
	check_lines(s, len, 78);
	assert_non_null(strstr(s, "filename*=UTF-8''%C3%A9v"));
	pm = parse(s, len);
	part = g_mime_multipart_get_part(
		GMIME_MULTIPART(g_mime_message_get_mime_part(pm)), 1);
	assert_string_equal(g_mime_part_get_filename(GMIME_PART(part)),
			    "événements 2026.csv");
	text = content(part, &n);
	assert_string_equal(text, "a,b\r\n");
	free(text);
	g_object_unref(pm);
	free(s);
}

static void test_addr_check(void **state)
{
	static const char *const good[] = {
		"abuse@example.org",	   "a.b+c@sub.example.co.uk",
		"x@xn--bcher-kva.example", "o'hara@example.org",
		"1@1.2.example",	   "a_b-c{x}@a-b.example"};
	static const char *const bad[] = {"",
					  "a",
					  "@example.org",
					  "a@",
					  "a@example",
					  "a..b@example.org",
					  ".a@example.org",
					  "a.@example.org",
					  "a@-b.example",
					  "a@b-.example",
					  "a@b..example",
					  "a@example.org.",
					  "a b@example.org",
					  "<a@example.org>",
					  "a@example.org,",
					  "a@[192.0.2.1]",
					  "a@b@example.org",
					  "é@example.org",
					  "a@exämple.org",
					  "a@example.org\r\nBcc: b@example.org",
					  "\"a\"@example.org",
					  "a(b)@example.org",
					  "a@exa_mple.org"};
	char longer[300];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!cirt_email_valid(good[i]))
			fail_msg("refused %s", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (cirt_email_valid(bad[i]))
			fail_msg("accepted %s", bad[i]);
	assert_false(cirt_email_valid(NULL));
	/* 64 bytes of local part, not 65; 254 in all, not 255. */
	memset(longer, 'a', 65);
	snprintf(longer + 64, sizeof(longer) - 64, "@example.org");
	assert_true(cirt_email_valid(longer));
	memset(longer, 'a', 65);
	snprintf(longer + 65, sizeof(longer) - 65, "@example.org");
	assert_false(cirt_email_valid(longer));
	snprintf(longer, sizeof(longer), "a@%.63s.%.63s.%.63s.%.56s.org",
		 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		 "bbbbbbbb",
		 "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
		 "cccccccc",
		 "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
		 "dddddddd",
		 "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
		 "eeeeeeee");
	assert_int_equal(strlen(longer), 254);
	assert_true(cirt_email_valid(longer));
	longer[2] = 'b';
	memmove(longer + 3, longer + 2, 253);
	assert_false(cirt_email_valid(longer));
}

static void refuse(const struct cirt_mail_msg *m, int rc, const char *field)
{
	struct cirt_buf out;
	struct cirt_diag d;

	cirt_buf_init(&out, 1u << 20);
	assert_int_equal(cirt_buf_adds(&out, "kept"), 0);
	cirt_diag_init(&d);
	assert_int_equal(cirt_mail_build(m, &out, NULL, &d), rc);
	assert_string_equal(d.field, field);
	assert_string_equal(cirt_buf_str(&out), "kept");
	cirt_buf_release(&out);
}

static void test_injection(void **state)
{
	static const char *const inj_to[] = {
		"a@example.org\r\nBcc: spy@evil.example"};
	static const char *const comma[] = {"a@example.org, spy@evil.example"};
	const char *many[CIRT_MAIL_MAX_RCPT + 1];
	struct cirt_mail_header h[] = {{"X-Ok", "1"}, {"X-Bad", "1\r\nBcc: x"}};
	struct cirt_mail_header many_h[CIRT_MAIL_MAX_HEADERS + 1];
	struct cirt_mail_attachment att = {"a.csv", "text/csv", "x", 1};
	struct cirt_mail_msg m = message();

	(void)state;
	m.subject = "Hello\r\nBcc: spy@evil.example";
	refuse(&m, -CIRT_EINVAL, "subject");
	m.subject = "Hello\nX: y";
	refuse(&m, -CIRT_EINVAL, "subject");
	m.subject = "Bell\a";
	refuse(&m, -CIRT_EINVAL, "subject");
	m = message();
	m.to = inj_to;
	m.nto = 1;
	refuse(&m, -CIRT_EINVAL, "to[0]");
	m.to = comma;
	refuse(&m, -CIRT_EINVAL, "to[0]");
	m = message();
	m.cc = inj_to;
	refuse(&m, -CIRT_EINVAL, "cc[0]");
	m = message();
	m.from = "cert@cert.example\n";
	refuse(&m, -CIRT_EINVAL, "from");
	m = message();
	m.from_name = "CERT\r\nBcc: spy@evil.example";
	refuse(&m, -CIRT_EINVAL, "from_name");
	m = message();
	m.reply_to = "x@y.example\r\nBcc: z@evil.example";
	refuse(&m, -CIRT_EINVAL, "reply_to");
	m = message();
	m.headers = h;
	m.nheaders = 2;
	refuse(&m, -CIRT_EINVAL, "headers[1].value");
	h[1].name = "Bcc";
	h[1].value = "spy@evil.example";
	refuse(&m, -CIRT_EINVAL, "headers[1].name");
	h[1].name = "content-type";
	refuse(&m, -CIRT_EINVAL, "headers[1].name");
	h[1].name = "X-A: b";
	refuse(&m, -CIRT_EINVAL, "headers[1].name");
	h[1].name = "X-Utf8";
	h[1].value = "é";
	refuse(&m, -CIRT_EINVAL, "headers[1].value");
	m = message();
	m.message_id = "<a@b>\r\nBcc: x";
	refuse(&m, -CIRT_EINVAL, "message_id");
	m.message_id = "no-brackets@example.org";
	refuse(&m, -CIRT_EINVAL, "message_id");
	m = message();
	att.filename = "a\r\n.csv";
	m.attachment = &att;
	refuse(&m, -CIRT_EINVAL, "attachment.filename");
	att.filename = "../etc/passwd";
	refuse(&m, -CIRT_EINVAL, "attachment.filename");
	att.filename = "a.csv";
	att.mime_type = "text/csv\r\nX: y";
	refuse(&m, -CIRT_EINVAL, "attachment.mime_type");
	m = message();
	m.lang = "ru\r\nX: y";
	refuse(&m, -CIRT_EINVAL, "lang");
	m = message();
	m.body = "\xff\xfe";
	refuse(&m, -CIRT_EINVAL, "body");
	m = message();
	m.nto = 0;
	refuse(&m, -CIRT_EINVAL, "to");

	/* Budgets. */
	for (size_t i = 0; i <= CIRT_MAIL_MAX_RCPT; i++)
		many[i] = "a@example.org";
	m = message();
	m.to = many;
	m.nto = CIRT_MAIL_MAX_RCPT;
	refuse(&m, -CIRT_ELIMIT, "to");
	m.nto = CIRT_MAIL_MAX_RCPT - 1;
	m.ncc = 1;
	{
		size_t len;
		char *s = build(&m, &len, NULL);

		check_lines(s, len, 78);
		free(s);
	}
	m = message();
	for (size_t i = 0; i <= CIRT_MAIL_MAX_HEADERS; i++)
		many_h[i] = h[0];
	m.headers = many_h;
	m.nheaders = CIRT_MAIL_MAX_HEADERS + 1;
	refuse(&m, -CIRT_ELIMIT, "headers");
}

static void test_ceiling(void **state)
{
	struct cirt_mail_msg m = message();
	struct cirt_buf out;
	struct cirt_diag d;
	size_t len;
	char *s;

	(void)state;
	/* Exactly enough, and one byte less (the boundary has a fixed
	 * length, the id is given). */
	m.message_id = "<fixed@cert.example>";
	s = build(&m, &len, NULL);
	free(s);
	cirt_buf_init(&out, len + 4);
	assert_int_equal(cirt_buf_adds(&out, "kept"), 0);
	cirt_diag_init(&d);
	assert_int_equal(cirt_mail_build(&m, &out, NULL, &d), 0);
	cirt_buf_release(&out);
	cirt_buf_init(&out, len + 4 - 1);
	assert_int_equal(cirt_buf_adds(&out, "kept"), 0);
	cirt_diag_init(&d);
	assert_int_equal(cirt_mail_build(&m, &out, NULL, &d), -CIRT_ELIMIT);
	assert_string_equal(cirt_buf_str(&out), "kept");
	cirt_buf_release(&out);
}

/* ---- SMTP with aiosmtpd ---- */

static const char handler_py[] =
	"# SPDX-License-Identifier: Apache-2.0\n"
	"from aiosmtpd.handlers import Mailbox\n"
	"class Handler(Mailbox):\n"
	"    async def handle_RCPT(self, server, session, envelope,\n"
	"                          address, rcpt_options):\n"
	"        if address.startswith('refused'):\n"
	"            return '550 5.1.1 <%s>: Recipient address rejected'"
	" % address\n"
	"        envelope.rcpt_tos.append(address)\n"
	"        return '250 OK'\n";

struct smtpd {
	pid_t pid;
	int port;
	char dir[64];
	char maildir[128];
	char url[64];
};

static struct smtpd server;

static bool have_aiosmtpd(void)
{
	pid_t pid;
	int status;

	if (access("/usr/bin/python3", X_OK) != 0)
		return false;
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execl("/usr/bin/python3", "python3", "-c", "import aiosmtpd",
		      (char *)NULL);
		_exit(127);
	}
	return pid > 0 && waitpid(pid, &status, 0) == pid &&
	       WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* A port free now on 127.0.0.1. */
static int free_port(void)
{
	struct sockaddr_in a = {0};
	socklen_t n = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &n), 0);
	close(fd);
	return ntohs(a.sin_port);
}

static bool accepts(int port)
{
	struct sockaddr_in a = {0};
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	bool ok;

	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
	close(fd);
	return ok;
}

static int smtpd_start(void **state)
{
	char path[256], listen[32];
	FILE *f;

	(void)state;
	server.pid = 0;
	if (!have_aiosmtpd())
		return 0;
	snprintf(server.dir, sizeof(server.dir), "/tmp/cirt-smtpd-XXXXXX");
	if (mkdtemp(server.dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/cirt_smtpd.py", server.dir);
	f = fopen(path, "w");
	if (f == NULL)
		return -1;
	fputs(handler_py, f);
	fclose(f);
	snprintf(server.maildir, sizeof(server.maildir), "%s/maildir",
		 server.dir);
	server.port = free_port();
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", server.port);
	snprintf(server.url, sizeof(server.url), "smtp://127.0.0.1:%d",
		 server.port);
	server.pid = fork();
	if (server.pid == 0) {
		int log;

		snprintf(path, sizeof(path), "%s/smtpd.log", server.dir);
		log = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(log, 1);
		dup2(log, 2);
		setenv("PYTHONPATH", server.dir, 1);
		execl("/usr/bin/python3", "python3", "-m", "aiosmtpd", "-n",
		      "-l", listen, "-c", "cirt_smtpd.Handler", server.maildir,
		      (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200; i++) {
		struct timespec ts = {0, 50 * 1000 * 1000};
		int status;

		if (accepts(server.port))
			return 0;
		if (waitpid(server.pid, &status, WNOHANG) == server.pid) {
			server.pid = 0;
			return -1;
		}
		nanosleep(&ts, NULL);
	}
	return -1;
}

static void rm_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];
	struct stat st;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			rm_tree(path);
		else
			unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static int smtpd_stop(void **state)
{
	(void)state;
	if (server.pid > 0) {
		kill(server.pid, SIGTERM);
		waitpid(server.pid, NULL, 0);
		server.pid = 0;
	}
	if (server.dir[0] != '\0')
		rm_tree(server.dir);
	return 0;
}

static bool need_server(void)
{
	if (server.pid > 0)
		return true;
	printf("# SKIP aiosmtpd is not available to /usr/bin/python3\n");
	return false;
}

/* The one message in the Maildir's new/, read whole; NULL if none. */
static char *delivered(size_t *len)
{
	char dir[256], path[512];
	struct dirent *e;
	char *s = NULL;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/new", server.maildir);
	for (int i = 0; i < 100 && s == NULL; i++) {
		struct timespec ts = {0, 20 * 1000 * 1000};

		d = opendir(dir);
		while (d != NULL && (e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			s = test_read_file(path, len);
			unlink(path);
			break;
		}
		if (d != NULL)
			closedir(d);
		if (s == NULL)
			nanosleep(&ts, NULL);
	}
	return s;
}

static void test_send(void **state)
{
	struct cirt_mail_smtp smtp = {0};
	struct cirt_mail_msg m = message();
	static const char *const rcpt[] = {"abuse@example.org",
					   "soc.team+cert@sub.example.co.uk",
					   "archive@cert.example"};
	char msgid[CIRT_MAIL_MSGID_MAX + 1];
	struct cirt_diag d;
	GMimeMessage *pm;
	const char *rcpt_to;
	size_t len, got_len;
	char *s, *got;

	(void)state;
	if (!need_server())
		return;
	s = build(&m, &len, msgid);
	smtp.url = server.url;
	smtp.timeout_ms = 10000;
	cirt_diag_init(&d);
	if (cirt_mail_send(&smtp, "bounces@cert.example", rcpt, 3, s, len, &d) <
	    0)
		fail_msg("send: %s", d.message);
	got = delivered(&got_len);
	assert_non_null(got);
	pm = parse(got, got_len);
	rcpt_to = g_mime_object_get_header(GMIME_OBJECT(pm), "X-RcptTo");
	assert_non_null(rcpt_to);
	assert_string_equal(rcpt_to, "abuse@example.org, "
				     "soc.team+cert@sub.example.co.uk, "
				     "archive@cert.example");
	assert_string_equal(
		g_mime_object_get_header(GMIME_OBJECT(pm), "X-MailFrom"),
		"bounces@cert.example");
	assert_non_null(g_mime_object_get_header(GMIME_OBJECT(pm), "X-Peer"));
	check_parsed(pm, msgid);
	g_object_unref(pm);
	free(got);
	free(s);
}

static void test_send_refused(void **state)
{
	struct cirt_mail_smtp smtp = {0};
	struct cirt_mail_msg m = message();
	static const char *const rcpt[] = {"abuse@example.org",
					   "refused@example.org"};
	struct cirt_diag d;
	size_t len, got_len;
	char *s, *got;

	(void)state;
	if (!need_server())
		return;
	s = build(&m, &len, NULL);
	smtp.url = server.url;
	smtp.timeout_ms = 10000;
	cirt_diag_init(&d);
	assert_int_equal(
		cirt_mail_send(&smtp, "cert@cert.example", rcpt, 2, s, len, &d),
		-CIRT_EIO);
	assert_non_null(strstr(d.message, "550 5.1.1 <refused@example.org>"));
	/* Nothing was delivered. */
	got = delivered(&got_len);
	assert_null(got);

	/* STARTTLS required, and aiosmtpd does not offer it. */
	smtp.require_tls = true;
	cirt_diag_init(&d);
	assert_int_equal(
		cirt_mail_send(&smtp, "cert@cert.example", rcpt, 1, s, len, &d),
		-CIRT_EIO);
	/* So are credentials without TLS. */
	smtp.require_tls = false;
	smtp.user = "cert";
	smtp.password = "secret";
	cirt_diag_init(&d);
	assert_int_equal(
		cirt_mail_send(&smtp, "cert@cert.example", rcpt, 1, s, len, &d),
		-CIRT_EIO);
	assert_null(strstr(d.message, "secret"));
	free(s);
}

static void test_send_errors(void **state)
{
	struct cirt_mail_smtp smtp = {0};
	static const char *const rcpt[] = {"abuse@example.org"};
	static const char *const bad_rcpt[] = {"a@example.org\r\nDATA"};
	static const char *const urls[] = {"http://127.0.0.1/",
					   "file:///etc/passwd",
					   "smtp://",
					   "smtp:///x",
					   "smtp://a b",
					   "smtp://host\r\nRCPT",
					   "imap://127.0.0.1:143",
					   "127.0.0.1:25"};
	struct cirt_diag d;

	(void)state;
	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		smtp.url = urls[i];
		cirt_diag_init(&d);
		assert_int_equal(cirt_mail_send(&smtp, "cert@cert.example",
						rcpt, 1, "x\r\n", 3, &d),
				 -CIRT_EINVAL);
		assert_string_equal(d.field, "url");
	}
	smtp.url = "smtp://127.0.0.1:1";
	cirt_diag_init(&d);
	assert_int_equal(cirt_mail_send(&smtp, "cert@cert.example", bad_rcpt, 1,
					"x\r\n", 3, &d),
			 -CIRT_EINVAL);
	assert_string_equal(d.field, "rcpt[0]");
	cirt_diag_init(&d);
	assert_int_equal(cirt_mail_send(&smtp, "<cert@cert.example>", rcpt, 1,
					"x\r\n", 3, &d),
			 -CIRT_EINVAL);
	assert_string_equal(d.field, "from");
	cirt_diag_init(&d);
	assert_int_equal(cirt_mail_send(&smtp, "cert@cert.example", rcpt, 0,
					"x\r\n", 3, &d),
			 -CIRT_EINVAL);
	/* Nobody listening. */
	smtp.url = "smtp://127.0.0.1:1";
	smtp.timeout_ms = 5000;
	cirt_diag_init(&d);
	assert_int_equal(cirt_mail_send(&smtp, "cert@cert.example", rcpt, 1,
					"x\r\n", 3, &d),
			 -CIRT_EIO);
	assert_string_equal(d.field, "smtp");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_parse),
		cmocka_unit_test(test_build_simple),
		cmocka_unit_test(test_addr_check),
		cmocka_unit_test(test_injection),
		cmocka_unit_test(test_ceiling),
		cmocka_unit_test(test_send_errors),
		cmocka_unit_test(test_send),
		cmocka_unit_test(test_send_refused),
	};
	int rc;

	for (size_t i = 0; i < sizeof(blob); i++)
		blob[i] = (unsigned char)(i * 7 + i / 256);
	g_mime_init();
	rc = cmocka_run_group_tests(tests, smtpd_start, smtpd_stop);
	g_mime_shutdown();
	return rc;
}
