/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The baseline of bench/import.sh: how fast jansson alone parses a STIX
 * bundle, on the same file and in the same run as `cirtkit import`.
 * Compiled on the fly by bench/import_bench.py:
 *
 *   cc -O2 -o jansson_parse bench/jansson_parse.c -ljansson
 *   jansson_parse read|load|stream FILE
 *
 *   read    read the file in 1 MiB blocks and do nothing with it: the
 *           floor of any reader (the file is in the page cache)
 *   load    json_loadf of the whole bundle, as a program that does not
 *           stream would: the parse, then json_decref of the tree, timed
 *           apart; the tree's memory is the peak RSS
 *   stream  each element of "objects" parsed on its own with json_loadb
 *           and JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES, then
 *           freed, from a window of 16 MiB + 64 KiB refilled with read():
 *           the technique and the flags of cirtkit's reader
 *           (src/stix/stix_bundle.c), without anything else, so it is
 *           the ceiling of `cirtkit import` with this library
 *
 * Prints one line of key=value pairs: mode, bytes, objects, seconds
 * (wall, monotonic clock), free_seconds (load), maxrss_kb (VmHWM).
 * The stream mode looks for "objects" and its '[' by plain scanning, so
 * it is for bundles like bench/stix_gen.py's, not for any JSON; it
 * checks that the '[' is followed by objects separated by ',' and closed
 * by ']', and fails (exit 1) otherwise.
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#define CHUNK	   (64u << 10)
#define OBJECT_MAX (16u << 20)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The peak RSS of this program: VmHWM. Not getrusage's ru_maxrss,
 * which on Linux keeps the peak of the process before exec (here the
 * Python that started us). */
static long maxrss_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	fclose(f);
	return kb;
}

static int die(const char *what)
{
	fprintf(stderr, "jansson_parse: %s\n", what);
	return 1;
}

static int mode_read(const char *path)
{
	char *buf = malloc(1u << 20);
	unsigned long long bytes = 0;
	double t0 = now();
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || buf == NULL)
		return die(strerror(errno));
	while ((n = read(fd, buf, 1u << 20)) > 0)
		bytes += (unsigned long long)n;
	if (n < 0)
		return die(strerror(errno));
	printf("mode=read bytes=%llu objects=0 seconds=%.6f free_seconds=0 "
	       "maxrss_kb=%ld\n",
	       bytes, now() - t0, maxrss_kb());
	close(fd);
	free(buf);
	return 0;
}

static int mode_load(const char *path)
{
	json_error_t err;
	json_t *root, *objs;
	double t0, t1, t2;
	long rss;
	size_t n;
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return die(strerror(errno));
	t0 = now();
	root = json_loadf(f, JSON_REJECT_DUPLICATES, &err);
	t1 = now();
	if (root == NULL) {
		fprintf(stderr, "jansson_parse: %s: line %d: %s\n", path,
			err.line, err.text);
		return 1;
	}
	objs = json_object_get(root, "objects");
	n = json_array_size(objs);
	rss = maxrss_kb();
	json_decref(root);
	t2 = now();
	printf("mode=load bytes=%ld objects=%zu seconds=%.6f "
	       "free_seconds=%.6f maxrss_kb=%ld\n",
	       ftell(f), n, t1 - t0, t2 - t1, rss);
	fclose(f);
	return 0;
}

struct win {
	int fd;
	char *buf;
	size_t cap, start, end;
	unsigned long long consumed; /* bytes slid out of the window */
	int eof;
};

/* Slide the unread bytes to the front and read until full or EOF. */
static int fill(struct win *w)
{
	ssize_t n;

	if (w->eof)
		return 0;
	if (w->start > 0) {
		memmove(w->buf, w->buf + w->start, w->end - w->start);
		w->consumed += w->start;
		w->end -= w->start;
		w->start = 0;
	}
	if (w->end == w->cap)
		return -1;
	while (w->end < w->cap) {
		n = read(w->fd, w->buf + w->end, w->cap - w->end);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			w->eof = 1;
			break;
		}
		w->end += (size_t)n;
	}
	return 0;
}

/* The next byte that is not blank (not consumed), or -1 at the end. */
static int peek(struct win *w)
{
	for (;;) {
		while (w->start < w->end) {
			char c = w->buf[w->start];

			if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
				return (unsigned char)c;
			w->start++;
		}
		if (w->eof || fill(w) < 0)
			return -1;
		if (w->start == w->end && w->eof)
			return -1;
	}
}

/* Consume up to and including the first occurrence of s. */
static int skip_past(struct win *w, const char *s)
{
	size_t n = strlen(s);

	for (;;) {
		char *hit = memmem(w->buf + w->start, w->end - w->start, s, n);

		if (hit) {
			w->start = (size_t)(hit - w->buf) + n;
			return 0;
		}
		if (w->eof)
			return -1;
		/* keep the last n - 1 bytes: s may straddle the refill */
		if (w->end - w->start >= n)
			w->start = w->end - (n - 1);
		if (fill(w) < 0)
			return -1;
	}
}

static int mode_stream(const char *path)
{
	struct win w = {0};
	json_error_t err;
	unsigned long long objects = 0;
	struct stat st;
	double t0, t1;
	json_t *v;
	size_t avail;
	int c;

	w.fd = open(path, O_RDONLY);
	if (w.fd < 0)
		return die(strerror(errno));
	w.cap = OBJECT_MAX + CHUNK;
	w.buf = malloc(w.cap);
	if (w.buf == NULL)
		return die("out of memory");
	t0 = now();
	if (fill(&w) < 0 || skip_past(&w, "\"objects\"") < 0 ||
	    peek(&w) != ':')
		return die("no \"objects\" member");
	w.start++;
	if (peek(&w) != '[')
		return die("\"objects\" is not a list");
	w.start++;
	if (peek(&w) == ']')
		goto done;
	for (;;) {
		peek(&w);
		for (;;) {
			avail = w.end - w.start;
			v = json_loadb(w.buf + w.start, avail,
				       JSON_DISABLE_EOF_CHECK |
					       JSON_REJECT_DUPLICATES,
				       &err);
			/* Cut by the window's end: refill and parse again. */
			if (!w.eof && v == NULL &&
			    (size_t)err.position >= avail) {
				if (fill(&w) < 0)
					return die("an object larger than "
						   "the window");
				continue;
			}
			break;
		}
		if (v == NULL || !json_is_object(v)) {
			fprintf(stderr,
				"jansson_parse: object %llu at byte %llu: %s\n",
				objects, w.consumed + w.start,
				v ? "not an object" : err.text);
			return 1;
		}
		w.start += (size_t)err.position;
		json_decref(v);
		objects++;
		c = peek(&w);
		if (c == ']')
			break;
		if (c != ',')
			return die("expected ',' or ']' after an object");
		w.start++;
	}
done:
	t1 = now();
	if (fstat(w.fd, &st) < 0)
		return die(strerror(errno));
	printf("mode=stream bytes=%lld objects=%llu seconds=%.6f "
	       "free_seconds=0 maxrss_kb=%ld\n",
	       (long long)st.st_size, objects, t1 - t0, maxrss_kb());
	close(w.fd);
	free(w.buf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: jansson_parse read|load|stream FILE\n");
		return 2;
	}
	if (strcmp(argv[1], "read") == 0)
		return mode_read(argv[2]);
	if (strcmp(argv[1], "load") == 0)
		return mode_load(argv[2]);
	if (strcmp(argv[1], "stream") == 0)
		return mode_stream(argv[2]);
	fprintf(stderr, "jansson_parse: unknown mode %s\n", argv[1]);
	return 2;
}
