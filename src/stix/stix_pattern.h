/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * STIX patterning (STIX 2.1 section 9, the grammar in
 * ../shared/data/stix/pattern_grammar/STIXPattern.g4): a parser for the
 * whole grammar, with the semantic rules of standards.md 1.11, and an
 * evaluator of parsed patterns against observations (STIX-17, STIX-18).
 * It does not read indicators or observed-data objects: callers hand over
 * the pattern text and the observations.
 *
 * Layer: stix. A parsed pattern is immutable and may be shared between
 * threads; parsing and evaluation are thread-safe (no global state).
 *
 * Limits: the pattern text, nesting of '(' and '[', the components of one
 * object path and the work of one evaluation are bounded (the
 * CIRT_PATTERN_MAX_* constants below); going over one is -CIRT_ELIMIT.
 * Regular expressions run with PCRE2 match, depth and heap limits.
 */
#ifndef CIRT_STIX_PATTERN_H
#define CIRT_STIX_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/err.h"

/* Longest pattern text accepted, in bytes. */
#define CIRT_PATTERN_MAX_LEN 65536
/* Deepest nesting of '(' and '[' (both levels count). */
#define CIRT_PATTERN_MAX_DEPTH 64
/* Most components (property names, [index]) in one object path. */
#define CIRT_PATTERN_MAX_STEPS 64
/* Longest object type or property name, in bytes (STIX 2.1 2.x naming). */
#define CIRT_PATTERN_MAX_NAME 250
/* Work units one cirt_pattern_match() may spend: a property visited, a
 * candidate observation tried, a LIKE step; a regex costs more. */
#define CIRT_PATTERN_EVAL_BUDGET 10000000u

struct cirt_pattern;

/*
 * Parse text[0..len). 0 with *out set (free with cirt_pattern_free), or
 * -CIRT_EINVAL with a message that gives the position (byte offset from
 * 0) and the reason, e.g. "at 14: expected ']' but found 'AND'", or
 * -CIRT_ELIMIT (with a position too) when the text is longer than
 * CIRT_PATTERN_MAX_LEN, nests deeper than CIRT_PATTERN_MAX_DEPTH or has a
 * path longer than CIRT_PATTERN_MAX_STEPS. Regular expressions (MATCHES)
 * are compiled here; one that does not compile is a parse error.
 */
int cirt_pattern_parse(const char *text, size_t len, struct cirt_pattern **out,
		       struct cirt_diag *d);

/* Free a parsed pattern; NULL is a no-op. */
void cirt_pattern_free(struct cirt_pattern *p);

/*
 * The conformance level the pattern needs (STIX 2.1 section 12.7): 1 for
 * one observation expression without qualifiers, 2 when it also uses the
 * observation operators AND and OR, 3 for FOLLOWEDBY or any qualifier.
 */
int cirt_pattern_level(const struct cirt_pattern *p);

/* A timestamp constant: seconds since the Unix epoch and nanoseconds
 * (fraction digits after the ninth are dropped). */
struct cirt_pattern_time {
	int64_t sec;
	uint32_t nsec;
};

enum cirt_pattern_vkind {
	CIRT_PATTERN_V_STRING, /* 'text' */
	CIRT_PATTERN_V_INT,    /* 42, -1 */
	CIRT_PATTERN_V_FLOAT,  /* 1.5 */
	CIRT_PATTERN_V_BOOL,   /* true, false */
	CIRT_PATTERN_V_BINARY, /* b'base64' or h'hex', decoded */
	CIRT_PATTERN_V_TIME,   /* t'2016-06-01T00:00:00Z' */
};

/* A constant of a comparison; lives as long as its pattern. */
struct cirt_pattern_value {
	enum cirt_pattern_vkind kind;
	/* STRING: unescaped UTF-8, NUL-terminated; BINARY: the octets. */
	const char *str;
	size_t len;
	int64_t i; /* INT; BOOL: 0 or 1 */
	double f;  /* FLOAT */
	struct cirt_pattern_time t;
};

enum cirt_pattern_op {
	CIRT_PATTERN_OP_EQ,
	CIRT_PATTERN_OP_NE,
	CIRT_PATTERN_OP_LT,
	CIRT_PATTERN_OP_LE,
	CIRT_PATTERN_OP_GT,
	CIRT_PATTERN_OP_GE,
	CIRT_PATTERN_OP_IN,
	CIRT_PATTERN_OP_LIKE,
	CIRT_PATTERN_OP_MATCHES,
	CIRT_PATTERN_OP_ISSUBSET,
	CIRT_PATTERN_OP_ISSUPERSET,
	CIRT_PATTERN_OP_EXISTS,
};

/*
 * One observation: when it was observed (microseconds since the epoch)
 * and its cyber-observable objects, a JSON object that maps reference ids
 * to SCOs (the "objects" of observed-data, or the SCOs its object_refs
 * name). Every SCO in it is tried as the start of an object path, and
 * _ref/_refs properties are followed only to SCOs in it. Borrowed.
 */
struct cirt_pattern_obs {
	int64_t time_us;
	json_t *objects;
};

/*
 * Decide whether the observations obs[0..n) (in any order) match p:
 * 0 with *matched set, or -CIRT_ELIMIT when the evaluation needed more
 * than CIRT_PATTERN_EVAL_BUDGET units of work (*matched is false then,
 * and the caller cannot tell a match from none), or -CIRT_EINVAL for
 * bad arguments. Semantics are STIX 2.1 section 9 (standards.md 1.11;
 * details in stix_pattern_eval.c): a missing path is false whatever the
 * operator; incompatible types are false, except for != (true); NOT
 * negates an operator on each value a path gives; [*] is true if any
 * element is; _bin/_hex properties compare as octets; observation AND,
 * FOLLOWEDBY and REPEATS need different observations; each observation
 * counts once (number_observed is the caller's business). Thread-safe;
 * p is not changed; d may be NULL.
 */
int cirt_pattern_match(const struct cirt_pattern *p,
		       const struct cirt_pattern_obs *obs, size_t n,
		       bool *matched, struct cirt_diag *d);

/* One comparison of a simple pattern (see cirt_pattern_terms). The
 * strings and values live as long as the pattern. */
struct cirt_pattern_term {
	const char *type; /* "ipv4-addr" */
	const char *path; /* "value", "hashes.'SHA-256'", "refs[*].name" */
	enum cirt_pattern_op op;
	const struct cirt_pattern_value *values; /* IN: the set */
	size_t nvalues;				 /* 0 for EXISTS */
};

/*
 * If p is simple, that is one comparison or comparisons joined by OR
 * (inside one observation expression, or observation expressions joined
 * by OR), without NOT or qualifiers, set *out to a new array of its
 * *n terms (free() it) and return 0; a matcher can then test each term
 * on its own. Otherwise return -CIRT_EINVAL with the reason in d
 * ("not simple: at 30: comparisons joined by AND").
 */
int cirt_pattern_terms(const struct cirt_pattern *p,
		       struct cirt_pattern_term **out, size_t *n,
		       struct cirt_diag *d);

#endif
