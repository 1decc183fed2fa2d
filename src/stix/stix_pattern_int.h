/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * STIX patterning internals shared by the parser (stix_pattern.c), the
 * literal decoders (stix_pattern_lit.c) and the evaluator
 * (stix_pattern_eval.c): the syntax tree and the helpers both sides need.
 * Not for use outside src/stix/stix_pattern*.c.
 *
 * Layer: stix. The tree is built once by the parser, lives in the
 * pattern's own chunks and is read-only afterwards, so evaluations on
 * several threads may share it.
 *
 * STIX 2.1 section 9.
 */
#ifndef CIRT_STIX_PATTERN_INT_H
#define CIRT_STIX_PATTERN_INT_H

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pcre2.h>

#include "stix/stix_pattern.h"

/* One component of an object path after the type. */
enum cirt_pattern_step_kind {
	CIRT_PATTERN_STEP_KEY,	 /* .name or the first name */
	CIRT_PATTERN_STEP_INDEX, /* [n] */
	CIRT_PATTERN_STEP_STAR,	 /* [*] */
};

struct cirt_pattern_step {
	enum cirt_pattern_step_kind kind;
	bool ref;	 /* KEY: the name ends in _ref or _refs */
	const char *key; /* KEY: NUL-terminated, no NUL inside */
	size_t keylen;
	int64_t index; /* INDEX */
};

/* An address or CIDR block (ISSUBSET, ISSUPERSET). */
struct cirt_pattern_net {
	uint8_t family; /* 4 or 6 */
	uint8_t prefix; /* 0..32 or 0..128; a single address has the maximum */
	uint8_t addr[16];
};

/* One comparison: path, operator, constant(s). */
struct cirt_pattern_cmp {
	const char *type; /* object type, NUL-terminated */
	const struct cirt_pattern_step *steps;
	size_t nsteps;
	const char *path; /* canonical text of the steps */
	enum cirt_pattern_op op;
	bool negated; /* NOT */
	bool binary;  /* the last name ends in _bin or _hex */
	bool hex;     /* ... in _hex */
	struct cirt_pattern_value *values;
	size_t nvalues;
	pcre2_code *re; /* MATCHES; NULL if it can never match (below) */
	struct cirt_pattern_cmp *re_next; /* list of compiled regexes */
	const uint32_t *like;		  /* LIKE: NFC code points */
	size_t likelen;
	struct cirt_pattern_net net; /* ISSUBSET, ISSUPERSET */
	uint32_t pos;		     /* byte offset of the path */
};

enum cirt_pattern_cnode_kind {
	CIRT_PATTERN_C_CMP,
	CIRT_PATTERN_C_AND,
	CIRT_PATTERN_C_OR,
};

/* A comparison expression (inside [ ]). */
struct cirt_pattern_cnode {
	enum cirt_pattern_cnode_kind kind;
	uint32_t pos;
	const char *type; /* the one object type below, or NULL if several */
	struct cirt_pattern_cnode **kids; /* AND, OR: two or more */
	size_t nkids;
	struct cirt_pattern_cmp *cmp; /* CMP */
};

enum cirt_pattern_onode_kind {
	CIRT_PATTERN_O_LEAF, /* [ comparison expression ] */
	CIRT_PATTERN_O_AND,
	CIRT_PATTERN_O_OR,
	CIRT_PATTERN_O_FOLLOWEDBY,
	CIRT_PATTERN_O_REPEATS,
	CIRT_PATTERN_O_WITHIN,
	CIRT_PATTERN_O_STARTSTOP,
};

/* An observation expression. Chains of one operator are one node with
 * several kids (AND, OR and FOLLOWEDBY are associative here); a
 * qualifier is a node with one kid. */
struct cirt_pattern_onode {
	enum cirt_pattern_onode_kind kind;
	uint32_t pos;
	struct cirt_pattern_onode **kids;
	size_t nkids;
	struct cirt_pattern_cnode *expr; /* LEAF */
	size_t leaf;			 /* LEAF: 0 .. nleaves-1 */
	int64_t repeats;		 /* REPEATS */
	int64_t within_us;		 /* WITHIN, rounded up, saturated */
	int64_t start_us, stop_us;	 /* START/STOP, rounded up */
};

struct cirt_pattern_chunk;

struct cirt_pattern {
	struct cirt_pattern_onode *root;
	size_t nleaves;
	int level;
	struct cirt_pattern_cmp *regexes; /* compiled, to free */
	pcre2_match_context *mctx;	  /* limits for every match */
	struct cirt_pattern_chunk *chunks;
};

/* PCRE2 limits for one match: backtracking steps, nesting, KiB of heap. */
#define CIRT_PATTERN_RE_MATCH_LIMIT 100000u
#define CIRT_PATTERN_RE_DEPTH_LIMIT 1000u
#define CIRT_PATTERN_RE_HEAP_LIMIT  4096u

/* A STIX timestamp, as cirt_time_parse reads it. 0, or -CIRT_EINVAL
 * with a short reason in *why. */
int cirt_pattern_time_parse(const char *s, size_t n,
			    struct cirt_pattern_time *out, const char **why);

/* <0, 0, >0 as a is before, equal to, after b. */
int cirt_pattern_time_cmp(const struct cirt_pattern_time *a,
			  const struct cirt_pattern_time *b);

/* The instant in microseconds, rounded up (so t_us >= it iff t_us >= t). */
int64_t cirt_pattern_time_us_ceil(const struct cirt_pattern_time *t);

/*
 * Decode base64 (RFC 4648, standard alphabet, padded) from s[0..n) into
 * out, which has room for n / 4 * 3 bytes; line feeds are skipped when
 * allow_lf (STIX 2.1 9.2). 0 with *outlen set, or -CIRT_EINVAL.
 */
int cirt_pattern_base64_decode(const char *s, size_t n, bool allow_lf,
			       unsigned char *out, size_t *outlen);

/* Decode an even number of hex digits into out (room for n / 2).
 * 0 or -CIRT_EINVAL. */
int cirt_pattern_hex_decode(const char *s, size_t n, unsigned char *out);

/* The code points of UTF-8 s[0..n) as octets (U+0000-U+00FF to 00-ff,
 * STIX 2.1 9.2), in a new buffer with *outlen set (free() it), or NULL
 * if one is above U+00FF or s is not UTF-8. */
unsigned char *cirt_pattern_latin1(const char *s, size_t n, size_t *outlen);

/* An IPv4 or IPv6 address with an optional /prefix. 0 or -CIRT_EINVAL. */
int cirt_pattern_net_parse(const char *s, size_t n,
			   struct cirt_pattern_net *out);

/* True if block a lies inside block b (same family). */
bool cirt_pattern_net_within(const struct cirt_pattern_net *a,
			     const struct cirt_pattern_net *b);

#endif
