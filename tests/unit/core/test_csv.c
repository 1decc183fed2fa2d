/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The streaming CSV reader (core/csv.c), from tables of (input, records):
 * RFC 4180 quoting ("" escapes, separators and line ends inside quotes),
 * text after a closing quote, LF and CRLF, a byte order mark, comments,
 * blank lines, trimming, other separators and whole lines, line numbers
 * and raw bytes; malformed records (too long, too many fields, a quote
 * never closed) reported one by one with reading going on; limits just
 * under and over; the same records whether the input comes from memory,
 * a file or a pipe that delivers a few bytes at a time, with quoted
 * fields straddling every position around the 64 KiB read boundary;
 * comment lines handed back on request; bytes read ahead of the fd; and
 * a rough speed figure.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/mem.h"
#include "core/time.h"

enum src_kind {
	SRC_MEM,
	SRC_FILE,
	SRC_PIPE, /* a child writes 7 bytes at a time */
};

static int pipe_fd(const char *p, size_t n, pid_t *pid)
{
	int fds[2];
	size_t off, k;

	assert_int_equal(pipe(fds), 0);
	*pid = fork();
	assert_true(*pid >= 0);
	if (*pid == 0) {
		close(fds[0]);
		for (off = 0; off < n; off += k) {
			k = n - off < 7 ? n - off : 7;
			if (write(fds[1], p + off, k) != (ssize_t)k)
				_exit(1);
		}
		_exit(0);
	}
	close(fds[1]);
	return fds[0];
}

/*
 * Every record of p[0..n) as text: "<line>:" then the fields joined by
 * '|', a quoted one in [], or "!<why>" for a malformed one; records end
 * with '\n'. With raw, "<line>=<raw>" instead.
 */
static char *render(const char *p, size_t n, const struct cirt_csv_opts *o,
		    enum src_kind kind, bool raw)
{
	struct cirt_csv c;
	struct cirt_csv_rec r;
	struct cirt_diag d;
	struct cirt_buf out;
	pid_t pid = 0;
	int fd = -1, rc, st;
	size_t i;

	cirt_diag_init(&d);
	cirt_buf_init(&out, 64u << 20);
	if (kind == SRC_FILE)
		fd = test_temp_fd(p, n);
	else if (kind == SRC_PIPE)
		fd = pipe_fd(p, n, &pid);
	assert_int_equal(
		cirt_csv_open(&c, fd, fd < 0 ? p : NULL, fd < 0 ? n : 0, o, &d),
		0);
	while ((rc = cirt_csv_next(&c, &r, &d)) == 1) {
		assert_int_equal(cirt_buf_addf(&out, "%lld%c",
					       (long long)r.line,
					       raw ? '=' : ':'),
				 0);
		if (raw) {
			assert_int_equal(cirt_buf_add(&out, r.raw, r.raw_len),
					 0);
		} else if (r.bad) {
			assert_int_equal(cirt_buf_addf(&out, "!%s", r.bad), 0);
		}
		for (i = 0; !raw && i < r.nf; i++)
			assert_int_equal(
				cirt_buf_addf(&out, "%s%s%.*s%s", i ? "|" : "",
					      r.f[i].quoted ? "[" : "",
					      (int)r.f[i].n, r.f[i].p,
					      r.f[i].quoted ? "]" : ""),
				0);
		assert_int_equal(cirt_buf_add(&out, "\n", 1), 0);
	}
	assert_int_equal(rc, 0);
	cirt_csv_close(&c);
	if (fd >= 0)
		close(fd);
	if (pid > 0) {
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	return cirt_buf_detach(&out, NULL);
}

/* Check one input from all three sources. */
static void check(const char *in, const struct cirt_csv_opts *o,
		  const char *want)
{
	enum src_kind k;
	char *got;

	for (k = SRC_MEM; k <= SRC_PIPE; k++) {
		got = render(in, strlen(in), o, k, false);
		if (strcmp(got, want) != 0)
			fail_msg("source %d, input \"%s\":\n got: %s\nwant: %s",
				 (int)k, in, got, want);
		free(got);
	}
}

static void test_csv_next_rfc4180(void **state)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{"a,b,c\n", "1:a|b|c\n"},
		{"a,b,c", "1:a|b|c\n"}, /* no final line end */
		{"a,,c\n,\n", "1:a||c\n2:|\n"},
		{"\"a\",\"b,c\",d\n", "1:[a]|[b,c]|d\n"},
		/* "" is a quote inside quotes */
		{"\"say \"\"hi\"\"\",x\n", "1:[say \"hi\"]|x\n"},
		{"\"\"\"\"\n", "1:[\"]\n"},
		{"\"\",x\n", "1:[]|x\n"},
		/* a line end inside quotes: one record over two lines */
		{"\"a\nb\",c\nd\n", "1:[a\nb]|c\n3:d\n"},
		{"\"a\r\nb\",c\r\nd\r\n", "1:[a\r\nb]|c\n3:d\n"},
		/* CRLF */
		{"a,b\r\nc,d\r\n", "1:a|b\n2:c|d\n"},
		{"\"a\"\r\n\"b\"\r\n", "1:[a]\n2:[b]\n"},
		{"a\r", "1:a\n"},
		/* a CR that is not a line end is data */
		{"a\rb,c\n", "1:a\rb|c\n"},
		/* quotes not at the start of a field are data */
		{"a\"b,c\"\n", "1:a\"b|c\"\n"},
		/* text after the closing quote is kept */
		{"\"ab\"c,d\n", "1:[abc]|d\n"},
		{"\"a\"\"b\"c\"d,e\n", "1:[a\"bc\"d]|e\n"},
		/* Shadowserver's scan_http_vulnerable: backslashes are not
		 * escapes, the quote after the first one closes, the rest is
		 * text (as Python's csv module reads it) */
		{"\"Basic realm=\\\"\\\"x\\\"\\\"\",y\n",
		 "1:[Basic realm=\\\\\"x\\\"\\\"\"]|y\n"},
		/* blank lines skipped, line numbers kept */
		{"\n\na\n\r\n\nb\n", "3:a\n6:b\n"},
		/* a UTF-8 byte order mark */
		{"\xef\xbb\xbf"
		 "a,b\n",
		 "1:a|b\n"},
		{"\xef\xbb\xbf", ""},
		{"", ""},
	};
	size_t i;

	(void)state;
	for (i = 0; i < CIRT_ARRAY_LEN(rows); i++)
		check(rows[i].in, NULL, rows[i].want);
}

static void test_csv_next_options(void **state)
{
	struct cirt_csv_opts o = cirt_csv_default_opts;

	(void)state;
	o.comment = '#';
	check("# head\n#\na,b\n# x,\"y\n\"c\"\n", &o, "3:a|b\n5:[c]\n");
	o.comment = ';';
	o.sep = ',';
	check("; ip, asn\n1.2.3.4,AS1\n; EOF\n", &o, "2:1.2.3.4|AS1\n");
	o = cirt_csv_default_opts;
	o.trim = true;
	check("  a , \"b\" ,c  \n   \n\t\n x\n", &o, "1:a|[b]|c\n4:x\n");
	check("\"a\" x,b\n", &o, "1:[a x]|b\n");
	o.sep = ';';
	check("1.4.0.0/17 ; SBL256893\n", &o, "1:1.4.0.0/17|SBL256893\n");
	o.sep = '\t';
	check("a\t b \t\"c\td\"\n", &o, "1:a|b|[c\td]\n");
	o = cirt_csv_default_opts;
	o.sep = '\0';
	o.quote = '\0';
	check("http://a.example/x,y\n\"q\"\n", &o,
	      "1:http://a.example/x,y\n2:\"q\"\n");
	o = cirt_csv_default_opts;
	o.quote = '\0';
	check("\"a,b\"\n", &o, "1:\"a|b\"\n");
}

static void test_csv_open_rejects_bad_options(void **state)
{
	struct cirt_csv_opts o = cirt_csv_default_opts;
	struct cirt_csv c;
	struct cirt_diag d;

	(void)state;
	o.sep = '"';
	cirt_diag_init(&d);
	assert_int_equal(cirt_csv_open(&c, -1, "", 0, &o, &d), -CIRT_EINVAL);
	o.sep = '\n';
	assert_int_equal(cirt_csv_open(&c, -1, "", 0, &o, NULL), -CIRT_EINVAL);
}

static void test_csv_next_raw(void **state)
{
	static const char in[] = "# c\n\"a\nb\",c\r\nd,\"e\"\"\"\n\nlast";
	struct cirt_csv_opts o = cirt_csv_default_opts;
	char *got;

	(void)state;
	o.comment = '#';
	got = render(in, sizeof(in) - 1, &o, SRC_MEM, true);
	assert_string_equal(got, "2=\"a\nb\",c\n4=d,\"e\"\"\"\n6=last\n");
	free(got);
}

static void test_csv_next_unclosed_quote(void **state)
{
	(void)state;
	/* Given up at the end of its first line; the next lines count. */
	check("a\nb,\"c\nd,e\nf", NULL,
	      "1:a\n2:!a quote is not closed\n3:d|e\n4:f\n");
	check("\"", NULL, "1:!a quote is not closed\n");
	check("x,\"abc", NULL, "1:!a quote is not closed\n");
}

/* Records of exactly record_max bytes pass, one more is reported and the
 * next line is read. */
static void test_csv_next_record_max(void **state)
{
	struct cirt_csv_opts o = cirt_csv_default_opts;
	char in[256], want[256];

	(void)state;
	o.record_max = 10;
	check("0123456789\n0123456789A\nok\n", &o,
	      "1:0123456789\n2:!longer than 10 bytes\n3:ok\n");
	check("0123456789\r\n", &o, "1:0123456789\n");
	check("\"12345678\"\n\"123456789\"\nok", &o,
	      "1:[12345678]\n2:!longer than 10 bytes\n3:ok\n");
	/* a long one at the end of the input, with and without LF */
	check("ok\n0123456789ABCDEF", &o, "1:ok\n2:!longer than 10 bytes\n");
	check("ok\n0123456789ABCDEF\n", &o, "1:ok\n2:!longer than 10 bytes\n");
	/* an open quote: at most record_max bytes are looked at */
	check("\"a\nb\nc\nd\ne\nf\ng\",h\nok\n", &o,
	      "1:!longer than 10 bytes\n2:b\n3:c\n4:d\n5:e\n6:f\n"
	      "7:g\"|h\n8:ok\n");
	/* much longer than the window */
	o.record_max = 100;
	memset(in, 'x', 200);
	snprintf(in + 200, sizeof(in) - 200, "\nyes\n");
	snprintf(want, sizeof(want), "1:!longer than 100 bytes\n2:yes\n");
	check(in, &o, want);
}

static void test_csv_next_fields_max(void **state)
{
	struct cirt_csv_opts o = cirt_csv_default_opts;

	(void)state;
	o.fields_max = 3;
	check("a,b,c\na,b,c,d\n,,\n,,,\nx\n", &o,
	      "1:a|b|c\n2:!more than 3 fields\n3:||\n"
	      "4:!more than 3 fields\n5:x\n");
}

/* Quoted fields with "" and line ends straddle each position around the
 * 64 KiB boundary: a file and a trickling pipe read what memory reads. */
static void test_csv_next_chunk_boundaries(void **state)
{
	static const char pat[] = "\"x\"\"y\",\"p\r\nq\",\"\"\"\",r\"s\"t\r\n";
	const size_t n = 3 * CIRT_CSV_CHUNK;
	char *in = cirt_xmalloc(n + 1), *a, *b, *c;
	size_t shift, i;

	(void)state;
	for (shift = 0; shift < 12; shift++) {
		memset(in, 0, n + 1);
		/* filler lines, then records that cross 65536 */
		for (i = 0; i + 40 < CIRT_CSV_CHUNK - 20 + shift; i += 10)
			memcpy(in + i, "aaa,bbb,c\n", 10);
		while (i < CIRT_CSV_CHUNK - 20 + shift)
			in[i++] = 'z';
		in[i++] = '\n';
		for (; i + 64 < 2 * CIRT_CSV_CHUNK + 100; i += sizeof(pat) - 1)
			memcpy(in + i, pat, sizeof(pat) - 1);
		a = render(in, i, NULL, SRC_MEM, false);
		b = render(in, i, NULL, SRC_FILE, false);
		c = render(in, i, NULL, SRC_PIPE, false);
		assert_string_equal(a, b);
		assert_string_equal(a, c);
		assert_non_null(strstr(a, ":[x\"y]|[p\r\nq]|[\"]|r\"s\"t\n"));
		free(a);
		free(b);
		free(c);
	}
	free(in);
}

/* Not a limit: prints rows per second of 20 short columns. */
static void test_csv_next_speed(void **state)
{
	const size_t rows = 200000;
	struct cirt_csv c;
	struct cirt_csv_rec r;
	struct cirt_buf b;
	size_t i, len, seen = 0, fields = 0;
	int64_t t0, t1;
	char *text;
	int fd;

	(void)state;
	cirt_buf_init(&b, 256u << 20);
	for (i = 0; i < rows; i++)
		assert_int_equal(
			cirt_buf_addf(&b,
				      "\"2019-09-04 07:00:19\",198.51.%zu.%zu,"
				      "tcp,%zu,host%zu.example.net,\"tag\","
				      "64512,ZZ,Region,City,0,0,a,b,c,d,e,f,"
				      "\"x,y\",z\n",
				      i % 256, i / 256 % 256, i % 65536, i),
			0);
	text = cirt_buf_detach(&b, &len);
	fd = test_temp_fd(text, len);
	t0 = cirt_time_mono_ns();
	assert_int_equal(cirt_csv_open(&c, fd, NULL, 0, NULL, NULL), 0);
	while (cirt_csv_next(&c, &r, NULL) == 1) {
		seen++;
		fields += r.nf;
	}
	t1 = cirt_time_mono_ns();
	cirt_csv_close(&c);
	close(fd);
	free(text);
	assert_int_equal(seen, rows);
	assert_int_equal(fields, rows * 20);
	printf("# csv: %.0f rows/s (20 columns, %zu bytes)\n",
	       (double)rows * 1e9 / (double)(t1 - t0 + 1), len);
}

/* Comment lines handed back, and bytes read ahead of the fd. */
static void test_csv_next_comments_out_and_prefix(void **state)
{
	static const char in[] = "# a\nx\n#b\r\n#";
	struct cirt_csv_opts o = cirt_csv_default_opts;
	struct cirt_csv c;
	struct cirt_csv_rec r;
	int fd;

	(void)state;
	o.comment = '#';
	o.comments_out = true;
	assert_int_equal(cirt_csv_open(&c, -1, in, sizeof(in) - 1, &o, NULL),
			 0);
	assert_int_equal(cirt_csv_next(&c, &r, NULL), 1);
	assert_true(r.comment);
	assert_int_equal(r.line, 1);
	assert_int_equal(r.nf, 0);
	assert_memory_equal(r.raw, "# a", 3);
	assert_int_equal(r.raw_len, 3);
	assert_int_equal(cirt_csv_next(&c, &r, NULL), 1);
	assert_false(r.comment);
	assert_int_equal(r.line, 2);
	assert_int_equal(cirt_csv_next(&c, &r, NULL), 1);
	assert_true(r.comment);
	assert_int_equal(r.line, 3);
	assert_int_equal(r.raw_len, 2);
	assert_int_equal(cirt_csv_next(&c, &r, NULL), 1);
	assert_true(r.comment);
	assert_int_equal(r.raw_len, 1);
	assert_int_equal(cirt_csv_next(&c, &r, NULL), 0);
	cirt_csv_close(&c);

	fd = test_temp_fd(",d\n", 3);
	assert_int_equal(cirt_csv_open(&c, fd, "a,b\nc", 5, NULL, NULL), 0);
	assert_int_equal(cirt_csv_next(&c, &r, NULL), 1);
	assert_int_equal(r.nf, 2);
	assert_int_equal(cirt_csv_next(&c, &r, NULL), 1);
	assert_int_equal(r.line, 2);
	assert_int_equal(r.nf, 2);
	assert_memory_equal(r.raw, "c,d", 3);
	assert_int_equal(cirt_csv_next(&c, &r, NULL), 0);
	cirt_csv_close(&c);
	close(fd);
}

static void test_csv_field_is(void **state)
{
	struct cirt_csv_field f = {" Src_IP\r", 8, false};

	(void)state;
	assert_true(cirt_csv_field_is(&f, "src_ip"));
	assert_false(cirt_csv_field_is(&f, "src_i"));
	assert_false(cirt_csv_field_is(&f, "src_ipx"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_next_rfc4180),
		cmocka_unit_test(test_csv_next_options),
		cmocka_unit_test(test_csv_open_rejects_bad_options),
		cmocka_unit_test(test_csv_next_raw),
		cmocka_unit_test(test_csv_next_unclosed_quote),
		cmocka_unit_test(test_csv_next_record_max),
		cmocka_unit_test(test_csv_next_fields_max),
		cmocka_unit_test(test_csv_next_chunk_boundaries),
		cmocka_unit_test(test_csv_next_speed),
		cmocka_unit_test(test_csv_next_comments_out_and_prefix),
		cmocka_unit_test(test_csv_field_is),
	};

	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
