/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The ceiling of bench/detect.sh: how fast a bare hash-set lookup loop
 * goes over the same Zeek logs and indicator file as `cirtkit match`,
 * with no project code. Compiled on the fly by bench/detect_bench.py:
 *
 *   cc -O2 -o hash_ceiling bench/hash_ceiling.c
 *   hash_ceiling INDICATORS LOG:COLUMN[,COLUMN...] [LOG:...]
 *
 * It loads every line of INDICATORS (blank lines and '#' lines skipped)
 * into an open-addressing set of 64-bit hashes of the exact text, and
 * each range ("a.b.c.d/n", "x:y::/n") into a second set keyed by the
 * masked address and its length, then reads each LOG (Zeek TSV: the
 * "#fields" line names the columns, "#types" says which are sets or
 * vectors, split on ','; "-" and "(empty)" are unset) and takes the named
 * columns of every record, in three timed passes:
 *
 *   exact  each value hashed and looked up once: the ceiling of a hash
 *          loop with the TSV splitting, the keys kept for "pure"
 *   full   the same, and also what `cirtkit match` does beyond an exact
 *          lookup: an address against every range length listed (an
 *          IPv4 one only when a bitmap of /24 blocks says some range
 *          covers its block), a name without its first label, and so on
 *          (one hit per value)
 *   pure   the kept hashes looked up again from memory, with no reading
 *          or splitting: the bare lookup loop
 *
 * Prints one line of key=value pairs: indicators, ranges, table_bytes
 * (both sets; the 2 MiB bitmap is left out), lines (every line read in a pass, headers included),
 * records, values, exact_hits, full_hits, pure_keys, pure_hits, the wall
 * and CPU seconds of each step (load_seconds, load_cpu, exact_seconds,
 * exact_cpu, full_..., pure_...) and maxrss_kb (VmHWM).
 * A line must fit in 16 MiB: a longer one ends the run with exit 1.
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BUF_SIZE (16u << 20)
#define MAX_COLS 256
#define MAX_KEYS (64u << 20)

static void die(const char *what, const char *name)
{
	fprintf(stderr, "hash_ceiling: %s: %s\n", name, what);
	exit(1);
}

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wall and CPU time of a step: on a shared machine the CPU time is the
 * steadier figure. */
struct timer {
	double wall, cpu;
};

static struct timer timer_start(void)
{
	return (struct timer){clock_s(CLOCK_MONOTONIC),
			      clock_s(CLOCK_PROCESS_CPUTIME_ID)};
}

static struct timer timer_stop(struct timer t)
{
	return (struct timer){clock_s(CLOCK_MONOTONIC) - t.wall,
			      clock_s(CLOCK_PROCESS_CPUTIME_ID) - t.cpu};
}

/* ---- hashing ---- */

static inline uint64_t mix64(uint64_t x)
{
	x ^= x >> 32;
	x *= 0xd6e8feb86659fd93ULL;
	x ^= x >> 32;
	x *= 0xd6e8feb86659fd93ULL;
	x ^= x >> 32;
	return x;
}

static inline uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
	uint64_t w;

	while (n >= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 31;
		s += 8;
		n -= 8;
	}
	if (n) {
		w = 0;
		memcpy(&w, s, n);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	}
	return mix64(h);
}

/* A range: the masked address (two 64-bit halves), its length and
 * family. */
static inline uint64_t hash_range(uint64_t hi, uint64_t lo, unsigned len,
				  unsigned family)
{
	return mix64(hi ^ mix64(lo ^ ((uint64_t)len << 8 | family)));
}

/* ---- the set: open addressing, linear probing, 0 means empty ---- */

struct set {
	uint64_t *slot;
	uint64_t mask;
	uint64_t n;
};

static void set_init(struct set *s, uint64_t want)
{
	uint64_t cap = 16;

	while (cap < want * 2)
		cap <<= 1;
	s->slot = calloc(cap, sizeof(*s->slot));
	if (s->slot == NULL)
		die("out of memory", "set");
	s->mask = cap - 1;
	s->n = 0;
}

static inline void set_add(struct set *s, uint64_t h)
{
	uint64_t i;

	h += !h;
	for (i = h & s->mask; s->slot[i]; i = (i + 1) & s->mask)
		if (s->slot[i] == h)
			return;
	s->slot[i] = h;
	s->n++;
}

static inline bool set_has(const struct set *s, uint64_t h)
{
	uint64_t i;

	h += !h;
	for (i = h & s->mask; s->slot[i]; i = (i + 1) & s->mask)
		if (s->slot[i] == h)
			return true;
	return false;
}

/* ---- reading lines ---- */

struct lines {
	int fd;
	const char *name;
	char *buf;
	size_t len, pos;
	bool eof;
};

static void lines_open(struct lines *l, const char *name, char *buf)
{
	l->fd = open(name, O_RDONLY);
	if (l->fd < 0)
		die(strerror(errno), name);
	l->name = name;
	l->buf = buf;
	l->len = l->pos = 0;
	l->eof = false;
}

/* The next line, without its '\n'; false at the end. */
static bool next_line(struct lines *l, const char **p, size_t *n)
{
	for (;;) {
		char *s = l->buf + l->pos;
		char *e = memchr(s, '\n', l->len - l->pos);

		if (e) {
			*p = s;
			*n = e - s;
			l->pos += *n + 1;
			return true;
		}
		if (l->eof) {
			if (l->pos == l->len)
				return false;
			*p = s;
			*n = l->len - l->pos;
			l->pos = l->len;
			return true;
		}
		memmove(l->buf, s, l->len - l->pos);
		l->len -= l->pos;
		l->pos = 0;
		if (l->len == BUF_SIZE)
			die("line longer than 16 MiB", l->name);
		ssize_t r = read(l->fd, l->buf + l->len, BUF_SIZE - l->len);

		if (r < 0)
			die(strerror(errno), l->name);
		if (r == 0)
			l->eof = true;
		l->len += r;
	}
}

/* ---- addresses ---- */

static bool parse_v4(const char *s, size_t n, uint32_t *out)
{
	uint32_t a = 0, part = 0;
	int dots = 0, digits = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			part = part * 10 + (s[i] - '0');
			if (++digits > 3 || part > 255)
				return false;
		} else if (s[i] == '.' && digits && dots < 3) {
			a = a << 8 | part;
			part = 0;
			digits = 0;
			dots++;
		} else {
			return false;
		}
	}
	if (dots != 3 || !digits)
		return false;
	*out = a << 8 | part;
	return true;
}

static bool parse_v6(const char *s, size_t n, uint64_t *hi, uint64_t *lo)
{
	char tmp[64];
	unsigned char b[16];

	if (n >= sizeof(tmp) || memchr(s, ':', n) == NULL)
		return false;
	memcpy(tmp, s, n);
	tmp[n] = 0;
	if (inet_pton(AF_INET6, tmp, b) != 1)
		return false;
	*hi = *lo = 0;
	for (int i = 0; i < 8; i++) {
		*hi = *hi << 8 | b[i];
		*lo = *lo << 8 | b[8 + i];
	}
	return true;
}

static void mask128(uint64_t *hi, uint64_t *lo, unsigned len)
{
	if (len == 0) {
		*hi = *lo = 0;
	} else if (len < 64) {
		*hi &= ~0ULL << (64 - len);
		*lo = 0;
	} else if (len == 64) {
		*lo = 0;
	} else if (len < 128) {
		*lo &= ~0ULL << (128 - len);
	}
}

/* ---- the indicators ---- */

struct ioc {
	struct set exact, ranges;
	uint8_t *blocks4; /* bit b: some IPv4 range covers the /24 block b */
	uint64_t lens4;	  /* bit n: some IPv4 range is /n (0..32) */
	bool lens6[129];  /* some IPv6 range is /n */
	uint64_t values;  /* lines loaded */
	uint64_t nranges;
};

static bool is_range(const char *s, size_t n, uint64_t *key)
{
	const char *slash = memchr(s, '/', n);
	size_t an;
	unsigned len = 0;
	uint32_t v4;
	uint64_t hi, lo;

	if (slash == NULL || slash == s || slash + 1 == s + n)
		return false;
	an = slash - s;
	for (const char *p = slash + 1; p < s + n; p++) {
		if (*p < '0' || *p > '9' || len > 128)
			return false;
		len = len * 10 + (*p - '0');
	}
	if (parse_v4(s, an, &v4) && len <= 32) {
		lo = len ? v4 & (0xffffffffULL << (32 - len)) : 0;
		*key = hash_range(0, lo & 0xffffffffULL, len, 4);
		return true;
	}
	if (len <= 128 && parse_v6(s, an, &hi, &lo)) {
		mask128(&hi, &lo, len);
		*key = hash_range(hi, lo, len, 6);
		return true;
	}
	return false;
}

static unsigned range_len(const char *s, size_t n)
{
	const char *slash = memchr(s, '/', n);
	unsigned len = 0;

	for (const char *p = slash + 1; p < s + n; p++)
		len = len * 10 + (*p - '0');
	return len;
}

/* Mark the /24 blocks an IPv4 range s ("a.b.c.d/len") covers: most
 * addresses are then turned away by one bit, as cirtkit's matcher does. */
static void mark_blocks(uint8_t *blocks, const char *s, size_t n, unsigned len)
{
	const char *slash = memchr(s, '/', n);
	uint32_t a, first, count;

	if (slash == NULL || !parse_v4(s, (size_t)(slash - s), &a))
		return;
	first = (len ? a & (0xffffffffu << (32 - len)) : 0) >> 8;
	count = len >= 24 ? 1 : 1u << (24 - len);
	for (uint32_t b = first; b < first + count; b++)
		blocks[b >> 3] |= (uint8_t)(1u << (b & 7));
}

static bool has_scheme(const char *s, size_t n)
{
	for (size_t i = 0; i + 3 <= n; i++)
		if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/')
			return true;
	return false;
}

static void load(struct ioc *ioc, const char *path, char *buf)
{
	struct lines l;
	const char *p = buf;
	size_t n;
	uint64_t count = 0, slashes = 0, key;

	/* a first pass sizes the sets: no resizing in the measured loops */
	lines_open(&l, path, buf);
	while (next_line(&l, &p, &n)) {
		if (n == 0 || p[0] == '#')
			continue;
		count++;
		slashes += memchr(p, '/', n) && !has_scheme(p, n);
	}
	close(l.fd);
	set_init(&ioc->exact, count);
	set_init(&ioc->ranges, slashes);
	ioc->blocks4 = calloc(1u << 21, 1);
	if (ioc->blocks4 == NULL)
		die("out of memory", "blocks");
	ioc->lens4 = 0;
	memset(ioc->lens6, 0, sizeof(ioc->lens6));
	ioc->values = ioc->nranges = 0;

	lines_open(&l, path, buf);
	while (next_line(&l, &p, &n)) {
		if (n && p[n - 1] == '\r')
			n--;
		if (n == 0 || p[0] == '#')
			continue;
		ioc->values++;
		if (!has_scheme(p, n) && is_range(p, n, &key)) {
			unsigned len = range_len(p, n);

			set_add(&ioc->ranges, key);
			ioc->nranges++;
			if (memchr(p, ':', n)) {
				ioc->lens6[len] = true;
				continue;
			}
			ioc->lens4 |= 1ULL << len;
			mark_blocks(ioc->blocks4, p, n, len);
			continue;
		}
		set_add(&ioc->exact, hash_bytes(p, n));
	}
	close(l.fd);
}

/* Everything `cirtkit match` looks at for one value: exact text, every
 * listed range containing an address, every parent of a name. */
static bool lookup_full(const struct ioc *ioc, const char *v, size_t n)
{
	uint32_t v4;
	uint64_t hi, lo;

	if (set_has(&ioc->exact, hash_bytes(v, n)))
		return true;
	if (parse_v4(v, n, &v4)) {
		if (!(ioc->blocks4[v4 >> 11] >> (v4 >> 8 & 7) & 1))
			return false;
		for (unsigned len = 0; len <= 32; len++) {
			uint64_t net;

			if (!(ioc->lens4 >> len & 1))
				continue;
			net = len ? v4 & (0xffffffffULL << (32 - len)) : 0;
			if (set_has(&ioc->ranges, hash_range(0, net, len, 4)))
				return true;
		}
		return false;
	}
	if (parse_v6(v, n, &hi, &lo)) {
		for (unsigned len = 0; len <= 128; len++) {
			uint64_t h = hi, l = lo;

			if (!ioc->lens6[len])
				continue;
			mask128(&h, &l, len);
			if (set_has(&ioc->ranges, hash_range(h, l, len, 6)))
				return true;
		}
		return false;
	}
	for (const char *dot = memchr(v, '.', n); dot;
	     dot = memchr(v, '.', n)) {
		n -= dot + 1 - v;
		v = dot + 1;
		if (n && set_has(&ioc->exact, hash_bytes(v, n)))
			return true;
	}
	return false;
}

/* ---- the logs ---- */

struct logspec {
	const char *path;
	char *cols; /* comma-separated column names */
};

struct pass {
	bool full;
	uint64_t *keys; /* exact pass: every hash looked up, up to MAX_KEYS */
	uint64_t nkeys;
	uint64_t lines, records, values, hits;
};

static bool wanted(const char *cols, const char *name, size_t n)
{
	const char *c = cols;

	while (*c) {
		const char *e = strchr(c, ',');
		size_t cn = e ? (size_t)(e - c) : strlen(c);

		if (cn == n && memcmp(c, name, n) == 0)
			return true;
		if (e == NULL)
			break;
		c = e + 1;
	}
	return false;
}

/* Flags per column of the current "#fields"/"#types": 1 wanted, 2 a set
 * or vector. */
static int header(const char *p, size_t n, const char *cols,
		  unsigned char *flag, int *last)
{
	bool types = n > 7 && memcmp(p, "#types\t", 7) == 0;
	const char *s, *e = p + n;
	int i = 0;

	if (!(n > 8 && memcmp(p, "#fields\t", 8) == 0) && !types)
		return 0;
	s = p + (types ? 7 : 8);
	while (s <= e && i < MAX_COLS) {
		const char *t = memchr(s, '\t', e - s);
		size_t fn = t ? (size_t)(t - s) : (size_t)(e - s);

		if (types) {
			if ((fn > 4 && memcmp(s, "set[", 4) == 0) ||
			    (fn > 7 && memcmp(s, "vector[", 7) == 0))
				flag[i] |= 2;
		} else {
			flag[i] = wanted(cols, s, fn) ? 1 : 0;
			if (flag[i])
				*last = i;
		}
		i++;
		if (t == NULL)
			break;
		s = t + 1;
	}
	return 1;
}

static inline void one(const struct ioc *ioc, struct pass *ps, const char *v,
		       size_t n)
{
	if (n == 0 || (n == 1 && v[0] == '-') ||
	    (n == 7 && memcmp(v, "(empty)", 7) == 0))
		return;
	ps->values++;
	if (ps->full) {
		ps->hits += lookup_full(ioc, v, n);
		return;
	}
	uint64_t h = hash_bytes(v, n);

	if (ps->keys && ps->nkeys < MAX_KEYS)
		ps->keys[ps->nkeys++] = h;
	ps->hits += set_has(&ioc->exact, h);
}

static void scan(const struct ioc *ioc, const struct logspec *ls,
		 struct pass *ps, char *buf)
{
	struct lines l;
	const char *p;
	size_t n;
	unsigned char flag[MAX_COLS] = {0};
	int last = -1;

	lines_open(&l, ls->path, buf);
	while (next_line(&l, &p, &n)) {
		ps->lines++;
		if (n && p[0] == '#') {
			header(p, n, ls->cols, flag, &last);
			continue;
		}
		ps->records++;
		const char *s = p, *e = p + n;

		for (int i = 0; i <= last && s <= e; i++) {
			const char *t = memchr(s, '\t', e - s);
			size_t fn = t ? (size_t)(t - s) : (size_t)(e - s);

			if (flag[i] & 1) {
				if (flag[i] & 2) {
					const char *v = s, *ve = s + fn;

					while (v <= ve) {
						const char *c =
							memchr(v, ',', ve - v);
						size_t vn =
							c ? (size_t)(c - v)
							  : (size_t)(ve - v);

						one(ioc, ps, v, vn);
						if (c == NULL)
							break;
						v = c + 1;
					}
				} else {
					one(ioc, ps, s, fn);
				}
			}
			if (t == NULL)
				break;
			s = t + 1;
		}
	}
	close(l.fd);
}

static long vmhwm_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	fclose(f);
	return kb;
}

int main(int argc, char **argv)
{
	struct ioc ioc;
	struct logspec logs[16];
	int nlogs = 0;
	char *buf;
	struct timer t, load_t, exact_t, full_t, pure_t;
	struct pass ex = {0}, fu = {0};
	uint64_t pure_hits = 0;

	if (argc < 3 || argc - 2 > 16) {
		fprintf(stderr, "usage: hash_ceiling INDICATORS "
				"LOG:COL[,COL...] [LOG:...] (at most 16)\n");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		char *c = strrchr(argv[i], ':');

		if (c == NULL || c[1] == 0)
			die("want LOG:COL[,COL...]", argv[i]);
		*c = 0;
		logs[nlogs].path = argv[i];
		logs[nlogs++].cols = c + 1;
	}
	buf = malloc(BUF_SIZE);
	if (buf == NULL)
		die("out of memory", "buffer");

	t = timer_start();
	load(&ioc, argv[1], buf);
	load_t = timer_stop(t);

	ex.keys = malloc(MAX_KEYS * sizeof(uint64_t));
	if (ex.keys == NULL)
		die("out of memory", "keys");
	t = timer_start();
	for (int i = 0; i < nlogs; i++)
		scan(&ioc, &logs[i], &ex, buf);
	exact_t = timer_stop(t);

	fu.full = true;
	t = timer_start();
	for (int i = 0; i < nlogs; i++)
		scan(&ioc, &logs[i], &fu, buf);
	full_t = timer_stop(t);

	t = timer_start();
	for (uint64_t i = 0; i < ex.nkeys; i++)
		pure_hits += set_has(&ioc.exact, ex.keys[i]);
	pure_t = timer_stop(t);

	printf("indicators=%llu ranges=%llu table_bytes=%llu lines=%llu "
	       "records=%llu values=%llu exact_hits=%llu full_hits=%llu "
	       "pure_keys=%llu pure_hits=%llu",
	       (unsigned long long)ioc.values, (unsigned long long)ioc.nranges,
	       (unsigned long long)((ioc.exact.mask + 1 + ioc.ranges.mask + 1) *
				    sizeof(uint64_t)),
	       (unsigned long long)ex.lines, (unsigned long long)ex.records,
	       (unsigned long long)ex.values, (unsigned long long)ex.hits,
	       (unsigned long long)fu.hits, (unsigned long long)ex.nkeys,
	       (unsigned long long)pure_hits);
	printf(" load_seconds=%.6f load_cpu=%.6f exact_seconds=%.6f "
	       "exact_cpu=%.6f full_seconds=%.6f full_cpu=%.6f "
	       "pure_seconds=%.6f pure_cpu=%.6f maxrss_kb=%ld\n",
	       load_t.wall, load_t.cpu, exact_t.wall, exact_t.cpu, full_t.wall,
	       full_t.cpu, pure_t.wall, pure_t.cpu, vmhwm_kb());
	free(ex.keys);
	free(ioc.exact.slot);
	free(ioc.ranges.slot);
	free(ioc.blocks4);
	free(buf);
	return 0;
}
