/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Configuration (core/config.c): the built-in defaults; the file syntax
 * (comments, blank lines, quotes, white space around '=', CRLF); errors
 * that name "file:line", the variable or the flag; a missing file; the
 * precedence defaults < file < environment < flags (cirt_config_set after
 * load); CIRTKIT_CONFIG; the bounds of every numeric key, max_body's size
 * suffixes among them; the line and file budgets; cirt_config_check().
 *
 * Each test starts and ends with no CIRTKIT_* variable set and removes
 * the temporary file it wrote under /tmp.
 */
#include "testlib.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "core/err.h"

static const char *const env_vars[] = {
	"CIRTKIT_CONFIG",	 "CIRTKIT_DATA",	  "CIRTKIT_DB",
	"CIRTKIT_LISTEN",	 "CIRTKIT_TLS_CERT",	  "CIRTKIT_TLS_KEY",
	"CIRTKIT_INSECURE_HTTP", "CIRTKIT_THREADS",	  "CIRTKIT_MAX_BODY",
	"CIRTKIT_ACCESS_LOG",	 "CIRTKIT_LOG_LEVEL",	  "CIRTKIT_TEAM",
	"CIRTKIT_TOKEN_DAYS",	 "CIRTKIT_SESSION_HOURS",
};

struct fx {
	struct cirt_config cfg;
	struct cirt_diag d;
	char path[64]; /* the temporary file, "" if none */
};

static void clear_env(void)
{
	for (size_t i = 0; i < CIRT_ARRAY_LEN(env_vars); i++)
		unsetenv(env_vars[i]);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	clear_env();
	cirt_config_init(&f->cfg);
	cirt_diag_init(&f->d);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	cirt_config_release(&f->cfg);
	if (f->path[0] != '\0')
		unlink(f->path);
	clear_env();
	free(f);
	return 0;
}

/* Write n bytes of text to a new temporary file, named in f->path. */
static void write_file(struct fx *f, const char *text, size_t n)
{
	int fd;

	snprintf(f->path, sizeof(f->path), "/tmp/cirt-test-config-XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	assert_int_equal(close(fd), 0);
}

static void write_conf(struct fx *f, const char *text)
{
	write_file(f, text, strlen(text));
}

/* The message starts with "<file>:<line>: ". */
static void assert_origin_line(struct fx *f, unsigned line)
{
	char want[96];

	snprintf(want, sizeof(want), "%s:%u: ", f->path, line);
	if (strncmp(f->d.message, want, strlen(want)) != 0)
		fail_msg("message \"%s\" does not start with \"%s\"",
			 f->d.message, want);
}

static void test_config_init_defaults(void **state)
{
	struct fx *f = *state;

	assert_string_equal(f->cfg.data, "/var/lib/cirtkit");
	assert_string_equal(f->cfg.db, "");
	assert_string_equal(f->cfg.listen, "127.0.0.1:8080");
	assert_string_equal(f->cfg.tls_cert, "");
	assert_string_equal(f->cfg.tls_key, "");
	assert_false(f->cfg.insecure_http);
	assert_int_equal(f->cfg.threads, 0);
	assert_int_equal(f->cfg.max_body, 1024 * 1024);
	assert_string_equal(f->cfg.access_log, "-");
	assert_string_equal(f->cfg.log_level, "info");
	assert_string_equal(f->cfg.team, "CIRT");
	assert_int_equal(f->cfg.token_days, 90);
	assert_int_equal(f->cfg.session_hours, 12);
	assert_int_equal(cirt_config_check(&f->cfg, &f->d), 0);
}

static void test_config_load_no_file(void **state)
{
	struct fx *f = *state;

	assert_int_equal(cirt_config_load(&f->cfg, NULL, &f->d), 0);
	assert_string_equal(f->cfg.listen, "127.0.0.1:8080");
	/* CIRTKIT_CONFIG set but empty: still no file */
	setenv("CIRTKIT_CONFIG", "", 1);
	assert_int_equal(cirt_config_load(&f->cfg, NULL, &f->d), 0);
	assert_int_equal(f->d.code, 0);
}

static void test_config_load_file_syntax(void **state)
{
	static const char text[] = "# cirtkit configuration\n"
				   "\n"
				   "   # an indented comment\n"
				   "listen=0.0.0.0:9000\n"
				   "  team   =   Blue Team  \n"
				   "\tthreads\t=\t8\t\n"
				   "data = \"/srv/cirt kit\"\n"
				   "tls_cert = \"\"\n"
				   "db = \"host=db port=5432\"\n"
				   "access_log = off\r\n"
				   "   \n"
				   "# listen = 1.2.3.4:1\n"
				   "insecure_http = yes\n"
				   "max_body = 2m\n"
				   "log_level = debug\n"
				   "token_days = 0\n"
				   "session_hours = 720"; /* no final newline */
	struct fx *f = *state;

	write_conf(f, text);
	assert_int_equal(cirt_config_load(&f->cfg, f->path, &f->d), 0);
	assert_string_equal(f->cfg.listen, "0.0.0.0:9000");
	assert_string_equal(f->cfg.team, "Blue Team");
	assert_int_equal(f->cfg.threads, 8);
	assert_string_equal(f->cfg.data, "/srv/cirt kit");
	assert_string_equal(f->cfg.tls_cert, "");
	assert_string_equal(f->cfg.db, "host=db port=5432");
	assert_string_equal(f->cfg.access_log, "off");
	assert_true(f->cfg.insecure_http);
	assert_int_equal(f->cfg.max_body, 2 * 1024 * 1024);
	assert_string_equal(f->cfg.log_level, "debug");
	assert_int_equal(f->cfg.token_days, 0);
	assert_int_equal(f->cfg.session_hours, 720);
	/* untouched keys keep their defaults */
	assert_string_equal(f->cfg.tls_key, "");
}

static void test_config_load_empty_file(void **state)
{
	struct fx *f = *state;

	write_conf(f, "");
	assert_int_equal(cirt_config_load(&f->cfg, f->path, &f->d), 0);
	assert_string_equal(f->cfg.listen, "127.0.0.1:8080");
}

static void test_config_load_unknown_key(void **state)
{
	struct fx *f = *state;

	write_conf(f, "# ok\nlisten = 1.2.3.4:5\nlsiten = 1.2.3.4:6\n");
	assert_int_equal(cirt_config_load(&f->cfg, f->path, &f->d),
			 -CIRT_EINVAL);
	assert_origin_line(f, 3);
	assert_non_null(strstr(f->d.message, "unknown configuration key"));
	assert_non_null(strstr(f->d.message, "'lsiten'"));
	assert_string_equal(f->d.field, "lsiten");
}

static void test_config_load_bad_values(void **state)
{
	static const struct {
		const char *line;
		const char *field;
		const char *msg;
	} rows[] = {
		{"threads = 257", "threads", "from 0 to 256, not '257'"},
		{"threads = -1", "threads", "not '-1'"},
		{"threads = eight", "threads", "not 'eight'"},
		{"threads =", "threads", "not ''"},
		{"insecure_http = maybe", "insecure_http", "true or false"},
		{"log_level = verbose", "log_level", "error, warning, info"},
		{"max_body = 1t", "max_body", "suffixes allowed"},
		{"session_hours = 0", "session_hours", "from 1 to 720"},
		{"token_days = 3651", "token_days", "from 0 to 3650"},
	};
	struct fx *f = *state;
	char text[128];

	for (size_t i = 0; i < CIRT_ARRAY_LEN(rows); i++) {
		snprintf(text, sizeof(text), "team = x\n\n%s\n", rows[i].line);
		write_conf(f, text);
		cirt_diag_init(&f->d);
		assert_int_equal(cirt_config_load(&f->cfg, f->path, &f->d),
				 -CIRT_EINVAL);
		assert_origin_line(f, 3);
		assert_string_equal(f->d.field, rows[i].field);
		if (strstr(f->d.message, rows[i].msg) == NULL)
			fail_msg("\"%s\" lacks \"%s\"", f->d.message,
				 rows[i].msg);
		unlink(f->path);
		f->path[0] = '\0';
	}
}

static void test_config_load_missing_equals(void **state)
{
	struct fx *f = *state;

	write_conf(f, "listen 1.2.3.4:5\n");
	assert_int_equal(cirt_config_load(&f->cfg, f->path, &f->d),
			 -CIRT_EINVAL);
	assert_origin_line(f, 1);
	assert_non_null(strstr(f->d.message, "key = value"));
}

static void test_config_load_missing_file(void **state)
{
	struct fx *f = *state;
	char path[64];

	/* A name that surely does not exist: a temporary file, removed. */
	write_conf(f, "");
	snprintf(path, sizeof(path), "%s", f->path);
	unlink(f->path);
	f->path[0] = '\0';
	assert_int_equal(cirt_config_load(&f->cfg, path, &f->d), -CIRT_EIO);
	assert_non_null(strstr(f->d.message, path));
	/* the same through CIRTKIT_CONFIG */
	setenv("CIRTKIT_CONFIG", path, 1);
	cirt_diag_init(&f->d);
	assert_int_equal(cirt_config_load(&f->cfg, NULL, &f->d), -CIRT_EIO);
	assert_non_null(strstr(f->d.message, path));
}

static void test_config_load_config_env_names_file(void **state)
{
	struct fx *f = *state;

	write_conf(f, "team = FromFile\n");
	setenv("CIRTKIT_CONFIG", f->path, 1);
	assert_int_equal(cirt_config_load(&f->cfg, NULL, &f->d), 0);
	assert_string_equal(f->cfg.team, "FromFile");
}

static void test_config_load_path_beats_config_env(void **state)
{
	struct fx *f = *state;

	write_conf(f, "team = FromPath\n");
	setenv("CIRTKIT_CONFIG", "/nonexistent/cirtkit.conf", 1);
	assert_int_equal(cirt_config_load(&f->cfg, f->path, &f->d), 0);
	assert_string_equal(f->cfg.team, "FromPath");
}

static void test_config_load_env_overrides_file(void **state)
{
	struct fx *f = *state;

	write_conf(f, "listen = 10.0.0.1:1\nteam = FileTeam\nthreads = 4\n");
	setenv("CIRTKIT_LISTEN", "10.0.0.2:2", 1);
	setenv("CIRTKIT_THREADS", "16", 1);
	assert_int_equal(cirt_config_load(&f->cfg, f->path, &f->d), 0);
	assert_string_equal(f->cfg.listen, "10.0.0.2:2");
	assert_int_equal(f->cfg.threads, 16);
	assert_string_equal(f->cfg.team, "FileTeam");
}

static void test_config_load_env_every_key(void **state)
{
	struct fx *f = *state;

	setenv("CIRTKIT_DATA", "/d", 1);
	setenv("CIRTKIT_DB", "dbname=cirt", 1);
	setenv("CIRTKIT_LISTEN", "[::1]:8443", 1);
	setenv("CIRTKIT_TLS_CERT", "/c.pem", 1);
	setenv("CIRTKIT_TLS_KEY", "/k.pem", 1);
	setenv("CIRTKIT_INSECURE_HTTP", "on", 1);
	setenv("CIRTKIT_THREADS", "256", 1);
	setenv("CIRTKIT_MAX_BODY", "1g", 1);
	setenv("CIRTKIT_ACCESS_LOG", "/var/log/a.log", 1);
	setenv("CIRTKIT_LOG_LEVEL", "warning", 1);
	setenv("CIRTKIT_TEAM", "Red", 1);
	setenv("CIRTKIT_TOKEN_DAYS", "3650", 1);
	setenv("CIRTKIT_SESSION_HOURS", "1", 1);
	assert_int_equal(cirt_config_load(&f->cfg, NULL, &f->d), 0);
	assert_string_equal(f->cfg.data, "/d");
	assert_string_equal(f->cfg.db, "dbname=cirt");
	assert_string_equal(f->cfg.listen, "[::1]:8443");
	assert_string_equal(f->cfg.tls_cert, "/c.pem");
	assert_string_equal(f->cfg.tls_key, "/k.pem");
	assert_true(f->cfg.insecure_http);
	assert_int_equal(f->cfg.threads, 256);
	assert_int_equal(f->cfg.max_body, UINT64_C(1) << 30);
	assert_string_equal(f->cfg.access_log, "/var/log/a.log");
	assert_string_equal(f->cfg.log_level, "warning");
	assert_string_equal(f->cfg.team, "Red");
	assert_int_equal(f->cfg.token_days, 3650);
	assert_int_equal(f->cfg.session_hours, 1);
}

static void test_config_load_env_bad_value(void **state)
{
	struct fx *f = *state;

	setenv("CIRTKIT_SESSION_HOURS", "721", 1);
	assert_int_equal(cirt_config_load(&f->cfg, NULL, &f->d), -CIRT_EINVAL);
	assert_string_equal(f->d.field, "session_hours");
	assert_true(strncmp(f->d.message, "CIRTKIT_SESSION_HOURS: ", 23) == 0);
	assert_int_equal(f->cfg.session_hours, 12);
}

static void test_config_set_after_load_overrides_env(void **state)
{
	struct fx *f = *state;

	write_conf(f, "listen = 10.0.0.1:1\n");
	setenv("CIRTKIT_LISTEN", "10.0.0.2:2", 1);
	assert_int_equal(cirt_config_load(&f->cfg, f->path, &f->d), 0);
	assert_int_equal(cirt_config_set(&f->cfg, "listen", "10.0.0.3:3",
					 "--listen", &f->d),
			 0);
	assert_string_equal(f->cfg.listen, "10.0.0.3:3");
}

static void test_config_set_unknown_key(void **state)
{
	struct fx *f = *state;

	assert_int_equal(
		cirt_config_set(&f->cfg, "colour", "blue", "--colour", &f->d),
		-CIRT_EINVAL);
	assert_string_equal(f->d.field, "colour");
	assert_string_equal(f->d.message,
			    "--colour: unknown configuration key 'colour'");
	/* key names are exact */
	assert_int_equal(cirt_config_set(&f->cfg, "LISTEN", "x", "--x", NULL),
			 -CIRT_EINVAL);
	assert_int_equal(cirt_config_set(&f->cfg, "", "x", "--x", NULL),
			 -CIRT_EINVAL);
}

/* One value for one key through cirt_config_set(). */
struct set_row {
	const char *key;
	const char *value;
	int rc;
	int64_t want; /* the stored number when rc == 0 */
};

static void run_set_rows(struct fx *f, const struct set_row *rows, size_t n,
			 int64_t (*get)(const struct cirt_config *,
					const char *))
{
	int rc;

	for (size_t i = 0; i < n; i++) {
		cirt_diag_init(&f->d);
		rc = cirt_config_set(&f->cfg, rows[i].key, rows[i].value,
				     "--flag", &f->d);
		if (rc != rows[i].rc ||
		    (rc == 0 && get(&f->cfg, rows[i].key) != rows[i].want))
			fail_msg("%s = '%s': rc %d (%s)", rows[i].key,
				 rows[i].value, rc, f->d.message);
		if (rc < 0) {
			assert_string_equal(f->d.field, rows[i].key);
			assert_true(strncmp(f->d.message, "--flag: ", 8) == 0);
		}
	}
}

static int64_t get_number(const struct cirt_config *cfg, const char *key)
{
	if (strcmp(key, "threads") == 0)
		return cfg->threads;
	if (strcmp(key, "token_days") == 0)
		return cfg->token_days;
	if (strcmp(key, "session_hours") == 0)
		return cfg->session_hours;
	if (strcmp(key, "max_body") == 0)
		return (int64_t)cfg->max_body;
	if (strcmp(key, "insecure_http") == 0)
		return cfg->insecure_http;
	fail_msg("no getter for %s", key);
	return -1;
}

static void test_config_set_max_body_bounds(void **state)
{
	static const struct set_row rows[] = {
		{"max_body", "1023", -CIRT_EINVAL, 0},
		{"max_body", "1024", 0, 1024},
		{"max_body", "1k", 0, 1024},
		{"max_body", "1K", 0, 1024},
		{"max_body", "1025", 0, 1025},
		{"max_body", "512k", 0, 512 * 1024},
		{"max_body", "1m", 0, 1024 * 1024},
		{"max_body", "1023m", 0, INT64_C(1023) * 1024 * 1024},
		{"max_body", "1024m", 0, INT64_C(1) << 30},
		{"max_body", "1g", 0, INT64_C(1) << 30},
		{"max_body", "1G", 0, INT64_C(1) << 30},
		{"max_body", "1073741824", 0, INT64_C(1) << 30},
		{"max_body", "1073741825", -CIRT_EINVAL, 0},
		{"max_body", "1025m", -CIRT_EINVAL, 0},
		{"max_body", "2g", -CIRT_EINVAL, 0},
		{"max_body", "0", -CIRT_EINVAL, 0},
		{"max_body", "0k", -CIRT_EINVAL, 0},
		{"max_body", "1 k", -CIRT_EINVAL, 0},
		{"max_body", "1kb", -CIRT_EINVAL, 0},
		{"max_body", "1t", -CIRT_EINVAL, 0},
		{"max_body", "-1k", -CIRT_EINVAL, 0},
		{"max_body", "", -CIRT_EINVAL, 0},
	};

	run_set_rows(*state, rows, CIRT_ARRAY_LEN(rows), get_number);
}

static void test_config_set_int_bounds(void **state)
{
	static const struct set_row rows[] = {
		{"threads", "-1", -CIRT_EINVAL, 0},
		{"threads", "0", 0, 0},
		{"threads", "256", 0, 256},
		{"threads", "257", -CIRT_EINVAL, 0},
		{"threads", "+8", -CIRT_EINVAL, 0},
		{"threads", "8 ", -CIRT_EINVAL, 0},
		{"token_days", "-1", -CIRT_EINVAL, 0},
		{"token_days", "0", 0, 0},
		{"token_days", "3650", 0, 3650},
		{"token_days", "3651", -CIRT_EINVAL, 0},
		{"session_hours", "0", -CIRT_EINVAL, 0},
		{"session_hours", "1", 0, 1},
		{"session_hours", "720", 0, 720},
		{"session_hours", "721", -CIRT_EINVAL, 0},
		{"insecure_http", "true", 0, 1},
		{"insecure_http", "0", 0, 0},
		{"insecure_http", "on", 0, 1},
		{"insecure_http", "no", 0, 0},
		{"insecure_http", "maybe", -CIRT_EINVAL, 0},
		{"insecure_http", "", -CIRT_EINVAL, 0},
	};

	run_set_rows(*state, rows, CIRT_ARRAY_LEN(rows), get_number);
}

static void test_config_set_log_level(void **state)
{
	static const char *const good[] = {"error", "warning", "info", "debug"};
	static const char *const bad[] = {"warn", "INFO", "", "trace", "info "};
	struct fx *f = *state;

	for (size_t i = 0; i < CIRT_ARRAY_LEN(good); i++) {
		assert_int_equal(cirt_config_set(&f->cfg, "log_level", good[i],
						 "--log-level", &f->d),
				 0);
		assert_string_equal(f->cfg.log_level, good[i]);
	}
	for (size_t i = 0; i < CIRT_ARRAY_LEN(bad); i++) {
		cirt_diag_init(&f->d);
		assert_int_equal(cirt_config_set(&f->cfg, "log_level", bad[i],
						 "--log-level", &f->d),
				 -CIRT_EINVAL);
		assert_string_equal(f->d.field, "log_level");
		/* a rejected value leaves the previous one */
		assert_string_equal(f->cfg.log_level, "debug");
	}
}

static void test_config_set_string_replaces(void **state)
{
	struct fx *f = *state;

	/* Each set frees the previous copy (LSan checks). */
	for (int i = 0; i < 3; i++)
		assert_int_equal(
			cirt_config_set(&f->cfg, "team", "T", "--team", &f->d),
			0);
	assert_int_equal(cirt_config_set(&f->cfg, "db", "", "--db", &f->d), 0);
	assert_string_equal(f->cfg.team, "T");
	assert_string_equal(f->cfg.db, "");
}

/* A file of lines of exactly len bytes each, newline included. */
static char *lines_of(size_t count, size_t len, size_t *total)
{
	char *s = malloc(count * len + 1);

	assert_non_null(s);
	for (size_t i = 0; i < count; i++) {
		memset(s + i * len, 'x', len);
		s[i * len] = '#';
		s[i * len + len - 1] = '\n';
	}
	*total = count * len;
	s[*total] = '\0';
	return s;
}

static void test_config_load_line_budget(void **state)
{
	struct fx *f = *state;
	size_t n;
	char *s;

	/* 4096 bytes with the newline: accepted */
	s = lines_of(1, 4096, &n);
	write_file(f, s, n);
	free(s);
	assert_int_equal(cirt_config_load(&f->cfg, f->path, &f->d), 0);
	unlink(f->path);
	/* 4097: refused, naming the line */
	s = lines_of(2, 4097, &n);
	write_file(f, s, n);
	free(s);
	assert_int_equal(cirt_config_load(&f->cfg, f->path, &f->d),
			 -CIRT_ELIMIT);
	assert_origin_line(f, 1);
}

static void test_config_load_file_budget(void **state)
{
	struct fx *f = *state;
	size_t n;
	char *s;

	/* 256 lines of 4096 bytes: exactly 1 MiB, accepted */
	s = lines_of(256, 4096, &n);
	write_file(f, s, n);
	assert_int_equal(cirt_config_load(&f->cfg, f->path, &f->d), 0);
	unlink(f->path);
	/* one byte more: refused at line 257 */
	s[n] = '\n';
	write_file(f, s, n + 1);
	free(s);
	assert_int_equal(cirt_config_load(&f->cfg, f->path, &f->d),
			 -CIRT_ELIMIT);
	assert_origin_line(f, 257);
}

static void test_config_check_tls_pair(void **state)
{
	struct fx *f = *state;

	assert_int_equal(
		cirt_config_set(&f->cfg, "tls_cert", "/c.pem", "t", &f->d), 0);
	assert_int_equal(cirt_config_check(&f->cfg, &f->d), -CIRT_EINVAL);
	assert_string_equal(f->d.field, "tls_key");
	assert_non_null(strstr(f->d.message, "both a certificate and a key"));
	assert_int_equal(
		cirt_config_set(&f->cfg, "tls_key", "/k.pem", "t", &f->d), 0);
	cirt_diag_init(&f->d);
	assert_int_equal(cirt_config_check(&f->cfg, &f->d), 0);
	assert_int_equal(cirt_config_set(&f->cfg, "tls_cert", "", "t", &f->d),
			 0);
	assert_int_equal(cirt_config_check(&f->cfg, &f->d), -CIRT_EINVAL);
	assert_string_equal(f->d.field, "tls_cert");
}

static void test_config_check_needs_store(void **state)
{
	struct fx *f = *state;

	assert_int_equal(cirt_config_set(&f->cfg, "data", "", "t", &f->d), 0);
	assert_int_equal(cirt_config_check(&f->cfg, &f->d), -CIRT_EINVAL);
	assert_string_equal(f->d.field, "data");
	assert_int_equal(cirt_config_set(&f->cfg, "db", "dbname=x", "t", &f->d),
			 0);
	cirt_diag_init(&f->d);
	assert_int_equal(cirt_config_check(&f->cfg, &f->d), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_config_init_defaults),
		T(test_config_load_no_file),
		T(test_config_load_file_syntax),
		T(test_config_load_empty_file),
		T(test_config_load_unknown_key),
		T(test_config_load_bad_values),
		T(test_config_load_missing_equals),
		T(test_config_load_missing_file),
		T(test_config_load_config_env_names_file),
		T(test_config_load_path_beats_config_env),
		T(test_config_load_env_overrides_file),
		T(test_config_load_env_every_key),
		T(test_config_load_env_bad_value),
		T(test_config_set_after_load_overrides_env),
		T(test_config_set_unknown_key),
		T(test_config_set_max_body_bounds),
		T(test_config_set_int_bounds),
		T(test_config_set_log_level),
		T(test_config_set_string_replaces),
		T(test_config_load_line_budget),
		T(test_config_load_file_budget),
		T(test_config_check_tls_pair),
		T(test_config_check_needs_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
