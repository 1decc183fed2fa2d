/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * STIX pattern parser: turns pattern text into the syntax tree of
 * stix_pattern_int.h and checks the rules the grammar cannot express. It
 * does not evaluate patterns (stix_pattern_eval.c does) and does not know
 * about indicators (the validator calls it for pattern_type "stix").
 *
 * Layer: stix. Called by the validator on every imported indicator and by
 * the matcher builder; no global state, thread-safe. The tree and its
 * strings live in chunks owned by the pattern, which is read-only once
 * cirt_pattern_parse() returns and is freed as a whole.
 *
 * Design: a lexer over a byte cursor [s, s + n) that follows the lexer
 * rules of STIXPattern.g4 (longest match, keywords before identifiers,
 * the literal shapes), and a recursive descent parser with one token of
 * look-ahead, one function per precedence level. Chains of one operator
 * become one node with many kids, so thousands of ORs cost linear time
 * and no stack; only '(' and '[' nest, at most CIRT_PATTERN_MAX_DEPTH
 * deep. Semantic checks (standards.md 1.11, STIX-17): AND inside [ ] only
 * between comparisons on one object type; one qualifier of each kind per
 * observation expression; REPEATS a positive integer, WITHIN a positive
 * number, START before STOP; valid timestamps, base64 and even-length hex;
 * homogeneous IN sets (integers and floats are one type, numbers, and
 * b'' and h'' another, binary); ISSUBSET/ISSUPERSET only on
 * ipv4-addr/ipv6-addr values with an address or CIDR operand; regexes
 * compile (PCRE2) and LIKE operands are NFC-normalised here, once.
 *
 * Deviation from the grammar, following the text of STIX 2.1 9.2: line
 * feeds inside b'...' are accepted and ignored. Choices the text leaves
 * open: an address operand of ISSUBSET may have host bits set (they are
 * masked); ISSUBSET is also allowed on the value of a referenced object
 * (network-traffic:dst_ref.value, as in the 9.8 example); integers
 * outside 64 bits are errors; names are at most CIRT_PATTERN_MAX_NAME
 * bytes (STIX 2.1 naming rules).
 *
 * STIX 2.1 section 9; standards.md 1.11 and 1.14 (STIX-17).
 */
#include "stix/stix_pattern.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uninorm.h>
#include <unistr.h>

#include "core/log.h"
#include "core/mem.h"
#include "core/text.h"
#include "stix/stix_pattern_int.h"

#include "core/banned.h"

/* ---- chunks: the pattern's own bump allocator ---- */

struct cirt_pattern_chunk {
	struct cirt_pattern_chunk *next;
	size_t used;
	size_t cap;
	max_align_t data[];
};

#define CHUNK_FIRST 1024 /* enough for a typical indicator */
#define CHUNK_SIZE  8192
#define ALIGN_UP(n) (((n) + 15) & ~(size_t)15)

static struct cirt_pattern_chunk *chunk_new(size_t cap)
{
	struct cirt_pattern_chunk *c = cirt_xmalloc(sizeof(*c) + cap);

	c->next = NULL;
	c->used = 0;
	c->cap = cap;
	return c;
}

/* Zeroed memory that lives as long as p. */
static void *palloc(struct cirt_pattern *p, size_t n)
{
	struct cirt_pattern_chunk *c = p->chunks;
	unsigned char *r;

	n = ALIGN_UP(n);
	if (c->cap - c->used < n) {
		c = chunk_new(n > CHUNK_SIZE ? n : CHUNK_SIZE);
		c->next = p->chunks;
		p->chunks = c;
	}
	r = (unsigned char *)c->data + c->used;
	c->used += n;
	memset(r, 0, n);
	return r;
}

static char *pstrndup(struct cirt_pattern *p, const char *s, size_t n)
{
	char *r = palloc(p, n + 1);

	memcpy(r, s, n);
	return r;
}

/* The pattern lives at the start of its own first chunk. */
static struct cirt_pattern *pattern_new(void)
{
	struct cirt_pattern_chunk *c = chunk_new(CHUNK_FIRST);
	struct cirt_pattern *p = (struct cirt_pattern *)(void *)c->data;

	memset(p, 0, sizeof(*p));
	c->used = ALIGN_UP(sizeof(*p));
	p->chunks = c;
	p->level = 1;
	return p;
}

void cirt_pattern_free(struct cirt_pattern *p)
{
	struct cirt_pattern_chunk *c, *next;

	if (p == NULL)
		return;
	for (struct cirt_pattern_cmp *r = p->regexes; r; r = r->re_next)
		pcre2_code_free(r->re);
	pcre2_match_context_free(p->mctx);
	for (c = p->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
}

int cirt_pattern_level(const struct cirt_pattern *p)
{
	return p->level;
}

/* ---- tokens ---- */

enum tok_kind {
	T_EOF,
	T_LBRACK,
	T_RBRACK,
	T_LPAREN,
	T_RPAREN,
	T_COLON,
	T_DOT,
	T_COMMA,
	T_STAR,
	T_EQ,
	T_NEQ,
	T_LT,
	T_LE,
	T_GT,
	T_GE,
	T_PLUS,
	T_MINUS,
	T_POWER,
	T_DIVIDE,
	T_AND,
	T_OR,
	T_NOT,
	T_FOLLOWEDBY,
	T_LIKE,
	T_MATCHES,
	T_ISSUPERSET,
	T_ISSUBSET,
	T_EXISTS,
	T_LAST,
	T_IN,
	T_START,
	T_STOP,
	T_SECONDS,
	T_WITHIN,
	T_REPEATS,
	T_TIMES,
	T_BOOL,
	T_IDENT,	/* IdentifierWithoutHyphen */
	T_IDENT_HYPHEN, /* IdentifierWithHyphen, with at least one '-' */
	T_STRING,
	T_BINARY,
	T_HEX,
	T_TIMESTAMP,
	T_INT_POS,
	T_INT_NEG,
	T_FLOAT_POS,
	T_FLOAT_NEG,
};

static const struct {
	const char *word;
	enum tok_kind kind;
} keywords[] = {
	{"AND", T_AND},
	{"OR", T_OR},
	{"NOT", T_NOT},
	{"FOLLOWEDBY", T_FOLLOWEDBY},
	{"LIKE", T_LIKE},
	{"MATCHES", T_MATCHES},
	{"ISSUPERSET", T_ISSUPERSET},
	{"ISSUBSET", T_ISSUBSET},
	{"EXISTS", T_EXISTS},
	{"LAST", T_LAST},
	{"IN", T_IN},
	{"START", T_START},
	{"STOP", T_STOP},
	{"SECONDS", T_SECONDS},
	{"WITHIN", T_WITHIN},
	{"REPEATS", T_REPEATS},
	{"TIMES", T_TIMES},
	{"true", T_BOOL},
	{"false", T_BOOL},
};

struct tok {
	enum tok_kind kind;
	size_t pos; /* byte offset in the pattern */
	size_t len;
};

struct parser {
	const char *s; /* the pattern, s[0..n) */
	size_t n;
	size_t off; /* where the lexer continues */
	struct tok tok;
	struct cirt_pattern *p;
	struct cirt_diag *d;
};

static int perr(struct parser *ps, int code, size_t pos, const char *fmt, ...)
	CIRT_PRINTF(4, 5);

static int perr(struct parser *ps, int code, size_t pos, const char *fmt, ...)
{
	char msg[CIRT_DIAG_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cirt_diag_set(ps->d, code, NULL, "at %zu: %s", pos, msg);
}

/* Quote at most 40 bytes of s[0..n) into out, cut at a character
 * boundary, control characters shown as spaces. */
static void quote_text(const char *s, size_t n, char *out, size_t size)
{
	size_t max = 40, o = 0;
	bool cut = n > max;

	if (cut) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	for (size_t i = 0; i < n && o + 4 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		out[o++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	if (cut && o + 4 < size) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

/* "'AND'", "'x-y'", "the end of the pattern", "string 'abc'". */
static void describe(const struct parser *ps, const struct tok *t, char *out,
		     size_t size)
{
	char text[64];

	if (t->kind == T_EOF) {
		snprintf(out, size, "the end of the pattern");
		return;
	}
	quote_text(ps->s + t->pos, t->len, text, sizeof(text));
	if (t->kind == T_STRING)
		snprintf(out, size, "string %s", text);
	else if (t->kind >= T_BINARY && t->kind <= T_TIMESTAMP)
		snprintf(out, size, "%s", text);
	else
		snprintf(out, size, "'%s'", text);
}

/* "expected WANT but found TOKEN" at the current token. */
static int unexpected(struct parser *ps, const char *want)
{
	char found[96];

	describe(ps, &ps->tok, found, sizeof(found));
	return perr(ps, -CIRT_EINVAL, ps->tok.pos, "expected %s but found %s",
		    want, found);
}

/* ---- lexer ---- */

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident_char(char c)
{
	return is_ident_start(c) || is_digit(c);
}

/* Bytes of the white-space character at s[i] (the WS rule of the grammar:
 * Unicode WSpace=Y), or 0. */
static size_t space_len(const char *s, size_t n, size_t i)
{
	const unsigned char *p = (const unsigned char *)s + i;
	size_t left = n - i;
	uint32_t c;

	if (p[0] == ' ' || (p[0] >= '\t' && p[0] <= '\r'))
		return 1;
	if (left >= 2 && p[0] == 0xc2 && (p[1] == 0x85 || p[1] == 0xa0))
		return 2; /* U+0085, U+00A0 */
	if (left < 3 || (p[0] != 0xe1 && p[0] != 0xe2 && p[0] != 0xe3))
		return 0;
	c = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
	if (c == 0xe19a80 ||			/* U+1680 */
	    (c >= 0xe28080 && c <= 0xe2808a) || /* U+2000-U+200A */
	    c == 0xe280a8 || c == 0xe280a9 ||	/* U+2028, U+2029 */
	    c == 0xe280af || c == 0xe2819f ||	/* U+202F, U+205F */
	    c == 0xe38080)			/* U+3000 */
		return 3;
	return 0;
}

/* Where the star-slash that ends a comment is in s[0..n), or NULL. */
static const char *comment_end(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (s[i] == '*' && s[i + 1] == '/')
			return s + i;
	}
	return NULL;
}

/* Skip white space and comments. */
static int skip_blank(struct parser *ps)
{
	const char *s = ps->s, *end;
	size_t n = ps->n, i = ps->off, k;

	while (i < n) {
		if ((k = space_len(s, n, i)) > 0) {
			i += k;
		} else if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
			end = comment_end(s + i + 2, n - i - 2);
			if (end == NULL)
				return perr(ps, -CIRT_EINVAL, i,
					    "unterminated comment");
			i = (size_t)(end - s) + 2;
		} else if (s[i] == '/' && i + 1 < n && s[i + 1] == '/') {
			while (i < n && s[i] != '\n' && s[i] != '\r')
				i++;
		} else {
			break;
		}
	}
	ps->off = i;
	return 0;
}

static void set_tok(struct parser *ps, enum tok_kind kind, size_t pos,
		    size_t len)
{
	ps->tok.kind = kind;
	ps->tok.pos = pos;
	ps->tok.len = len;
	ps->off = pos + len;
}

/* Integers and floats with an optional sign; a lone sign is PLUS/MINUS.
 * As in the grammar, an integer is "0" or starts with 1-9, so "012" is
 * two tokens, while a float may have leading zeros. */
static void lex_number(struct parser *ps, size_t i)
{
	const char *s = ps->s;
	size_t n = ps->n, j = i, d0;
	bool neg = false;

	if (s[j] == '+' || s[j] == '-') {
		neg = s[j] == '-';
		j++;
	}
	d0 = j;
	while (j < n && is_digit(s[j]))
		j++;
	if (j + 1 < n && s[j] == '.' && is_digit(s[j + 1])) {
		for (j++; j < n && is_digit(s[j]);)
			j++;
		set_tok(ps, neg ? T_FLOAT_NEG : T_FLOAT_POS, i, j - i);
	} else if (j == d0) {
		set_tok(ps, neg ? T_MINUS : T_PLUS, i, 1);
	} else {
		if (s[d0] == '0')
			j = d0 + 1;
		set_tok(ps, neg ? T_INT_NEG : T_INT_POS, i, j - i);
	}
}

/* 'string': only \' and \\ may be escaped. */
static int lex_string(struct parser *ps, size_t i)
{
	const char *s = ps->s;
	size_t n = ps->n;

	for (size_t j = i + 1; j < n; j++) {
		if (s[j] == '\\') {
			if (j + 1 >= n ||
			    (s[j + 1] != '\'' && s[j + 1] != '\\'))
				return perr(ps, -CIRT_EINVAL, j,
					    "invalid escape in a string "
					    "(only \\' and \\\\ are allowed)");
			j++;
		} else if (s[j] == '\'') {
			set_tok(ps, T_STRING, i, j + 1 - i);
			return 0;
		}
	}
	return perr(ps, -CIRT_EINVAL, i, "unterminated string");
}

/* Check the body of b'..', h'..' or t'..' (s[0..n), between the quotes). */
static int check_prefixed(struct parser *ps, char kind, const char *s, size_t n,
			  size_t pos)
{
	struct cirt_pattern_time t;
	const char *why;
	unsigned char *tmp;
	size_t len;
	int rc;

	if (kind == 't') {
		if (cirt_pattern_time_parse(s, n, &t, &why) == 0)
			return 0;
		return perr(ps, -CIRT_EINVAL, pos, "the timestamp %s", why);
	}
	if (kind == 'h') {
		if (n % 2 != 0)
			return perr(ps, -CIRT_EINVAL, pos,
				    "a hex constant needs an even number of "
				    "digits, not %zu",
				    n);
		for (size_t i = 0; i < n; i++) {
			if (!is_hex(s[i]))
				return perr(ps, -CIRT_EINVAL, pos,
					    "invalid hex digit in a hex "
					    "constant");
		}
		return 0;
	}
	tmp = cirt_xmalloc(n / 4 * 3 + 3);
	rc = cirt_pattern_base64_decode(s, n, true, tmp, &len);
	free(tmp);
	if (rc || len == 0)
		return perr(ps, -CIRT_EINVAL, pos,
			    "invalid base64 in a binary constant");
	return 0;
}

/* b'..', h'..', t'..': the prefix letter followed by a quote. */
static int lex_prefixed(struct parser *ps, size_t i)
{
	static const enum tok_kind kinds[] = {T_BINARY, T_HEX, T_TIMESTAMP};
	const char *s = ps->s, *q;
	const char *which = "bht";
	size_t body = i + 2;
	int rc;

	q = memchr(s + body, '\'', ps->n - body);
	if (q == NULL)
		return perr(ps, -CIRT_EINVAL, i,
			    "unterminated %c'...' constant", s[i]);
	rc = check_prefixed(ps, s[i], s + body, (size_t)(q - s) - body, i);
	if (rc)
		return rc;
	set_tok(ps, kinds[strchr(which, s[i]) - which], i,
		(size_t)(q - s) + 1 - i);
	return 0;
}

/* Identifiers, keywords and booleans (keywords only without '-'). */
static void lex_word(struct parser *ps, size_t i)
{
	const char *s = ps->s;
	size_t n = ps->n, j = i + 1, k;

	while (j < n && is_ident_char(s[j]))
		j++;
	for (k = j; k < n && (is_ident_char(s[k]) || s[k] == '-');)
		k++;
	if (k > j) {
		set_tok(ps, T_IDENT_HYPHEN, i, k - i);
		return;
	}
	for (size_t w = 0; w < CIRT_ARRAY_LEN(keywords); w++) {
		if (strlen(keywords[w].word) == j - i &&
		    memcmp(keywords[w].word, s + i, j - i) == 0) {
			set_tok(ps, keywords[w].kind, i, j - i);
			return;
		}
	}
	set_tok(ps, T_IDENT, i, j - i);
}

static int bad_char(struct parser *ps, size_t i)
{
	ucs4_t uc = 0;
	char c = ps->s[i];

	if (c > 0x20 && c < 0x7f)
		return perr(ps, -CIRT_EINVAL, i, "unexpected character '%c'",
			    c);
	u8_mbtouc(&uc, (const uint8_t *)ps->s + i, ps->n - i);
	return perr(ps, -CIRT_EINVAL, i, "unexpected character U+%04X",
		    (unsigned)uc);
}

/* Operators made of punctuation. */
static int lex_punct(struct parser *ps, size_t i)
{
	static const char single[] = "[]():,*^/<>=";
	static const enum tok_kind kinds[] = {
		T_LBRACK, T_RBRACK, T_LPAREN, T_RPAREN, T_COLON, T_COMMA,
		T_STAR,	  T_POWER,  T_DIVIDE, T_LT,	T_GT,	 T_EQ};
	const char *s = ps->s, *hit;
	char c = s[i], c2 = i + 1 < ps->n ? s[i + 1] : '\0';

	if ((c == '<' && c2 == '>') || (c == '!' && c2 == '='))
		set_tok(ps, T_NEQ, i, 2);
	else if ((c == '<' || c == '>') && c2 == '=')
		set_tok(ps, c == '<' ? T_LE : T_GE, i, 2);
	else if (c == '=' && c2 == '=')
		set_tok(ps, T_EQ, i, 2);
	else if (c != '\0' && (hit = strchr(single, c)) != NULL)
		set_tok(ps, kinds[hit - single], i, 1);
	else
		return bad_char(ps, i);
	return 0;
}

/* Read the next token into ps->tok. */
static int next(struct parser *ps)
{
	const char *s = ps->s;
	size_t i;
	int rc;
	char c;

	if ((rc = skip_blank(ps)) != 0)
		return rc;
	i = ps->off;
	if (i >= ps->n) {
		set_tok(ps, T_EOF, i, 0);
		return 0;
	}
	c = s[i];
	if ((c == 'b' || c == 'h' || c == 't') && i + 1 < ps->n &&
	    s[i + 1] == '\'')
		return lex_prefixed(ps, i);
	if (is_ident_start(c)) {
		lex_word(ps, i);
		return 0;
	}
	if (is_digit(c) || c == '+' || c == '-' ||
	    (c == '.' && i + 1 < ps->n && is_digit(s[i + 1]))) {
		lex_number(ps, i);
		return 0;
	}
	if (c == '.') {
		set_tok(ps, T_DOT, i, 1);
		return 0;
	}
	if (c == '\'')
		return lex_string(ps, i);
	return lex_punct(ps, i);
}

/* Consume a token of kind, or fail naming what was wanted. */
static int expect(struct parser *ps, enum tok_kind kind, const char *want)
{
	if (ps->tok.kind != kind)
		return unexpected(ps, want);
	return next(ps);
}

/* ---- pointer lists used while a node's kids are collected ---- */

struct pvec {
	void **v;
	size_t n;
	size_t cap;
	void *inl[8];
};

static void pvec_init(struct pvec *pv)
{
	pv->v = pv->inl;
	pv->n = 0;
	pv->cap = CIRT_ARRAY_LEN(pv->inl);
}

static void pvec_push(struct pvec *pv, void *x)
{
	if (pv->n == pv->cap) {
		if (pv->v == pv->inl) {
			pv->v = cirt_xcalloc(pv->cap * 2, sizeof(void *));
			memcpy(pv->v, pv->inl, sizeof(pv->inl));
		} else {
			pv->v = cirt_xrealloc(pv->v,
					      pv->cap * 2 * sizeof(void *));
		}
		pv->cap *= 2;
	}
	pv->v[pv->n++] = x;
}

static void pvec_release(struct pvec *pv)
{
	if (pv->v != pv->inl)
		free(pv->v);
}

/* ---- constants ---- */

#define C_STRING 1u
#define C_NUMBER 2u
#define C_BOOL	 4u
#define C_BINARY 8u
#define C_TIME	 16u
#define C_ORDER	 (C_STRING | C_NUMBER | C_BINARY | C_TIME)
#define C_PRIM	 (C_ORDER | C_BOOL)

static int int_value(struct parser *ps, const struct tok *t, int64_t *out)
{
	const char *s = ps->s + t->pos;
	size_t i = 0;
	bool neg = false;
	uint64_t v = 0, lim, dig;

	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		i = 1;
	}
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < t->len; i++) {
		dig = (uint64_t)(s[i] - '0');
		if (v > (lim - dig) / 10)
			return perr(ps, -CIRT_EINVAL, t->pos,
				    "integer out of range");
		v = v * 10 + dig;
	}
	if (!neg)
		*out = (int64_t)v;
	else if (v == (uint64_t)INT64_MAX + 1)
		*out = INT64_MIN;
	else
		*out = -(int64_t)v;
	return 0;
}

static int float_value(struct parser *ps, const struct tok *t, double *out)
{
	char *tmp = cirt_xstrndup(ps->s + t->pos, t->len);

	errno = 0;
	*out = strtod(tmp, NULL);
	free(tmp);
	if (errno == ERANGE && isinf(*out))
		return perr(ps, -CIRT_EINVAL, t->pos, "number out of range");
	return 0;
}

/* The body of a quoted string without its escapes, NUL-terminated. */
static char *unescape(struct parser *ps, const struct tok *t, size_t *len)
{
	const char *s = ps->s + t->pos + 1;
	size_t n = t->len - 2, o = 0;
	char *out = palloc(ps->p, n + 1);

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\')
			i++;
		out[o++] = s[i];
	}
	*len = o;
	return out;
}

/* Decode b'..' or h'..' (already checked by the lexer). */
static void binary_value(struct parser *ps, const struct tok *t,
			 struct cirt_pattern_value *v)
{
	const char *body = ps->s + t->pos + 2;
	size_t n = t->len - 3;
	unsigned char *out = palloc(ps->p, n / 2 + n / 4 * 3 + 1);

	v->kind = CIRT_PATTERN_V_BINARY;
	v->str = (const char *)out;
	if (ps->s[t->pos] == 'h') {
		(void)cirt_pattern_hex_decode(body, n, out);
		v->len = n / 2;
	} else {
		(void)cirt_pattern_base64_decode(body, n, true, out, &v->len);
	}
}

static bool accepts(unsigned mask, enum tok_kind k)
{
	switch (k) {
	case T_STRING:
		return mask & C_STRING;
	case T_INT_POS:
	case T_INT_NEG:
	case T_FLOAT_POS:
	case T_FLOAT_NEG:
		return mask & C_NUMBER;
	case T_BOOL:
		return mask & C_BOOL;
	case T_BINARY:
	case T_HEX:
		return mask & C_BINARY;
	case T_TIMESTAMP:
		return mask & C_TIME;
	default:
		return false;
	}
}

/* Parse the constant at the current token into v; want names what may
 * stand here, for the error. */
static int parse_constant(struct parser *ps, unsigned mask, const char *want,
			  struct cirt_pattern_value *v)
{
	const struct tok *t = &ps->tok;
	const char *why;
	int rc = 0;

	if (!accepts(mask, t->kind))
		return unexpected(ps, want);
	switch (t->kind) {
	case T_STRING:
		v->kind = CIRT_PATTERN_V_STRING;
		v->str = unescape(ps, t, &v->len);
		break;
	case T_INT_POS:
	case T_INT_NEG:
		v->kind = CIRT_PATTERN_V_INT;
		rc = int_value(ps, t, &v->i);
		break;
	case T_FLOAT_POS:
	case T_FLOAT_NEG:
		v->kind = CIRT_PATTERN_V_FLOAT;
		rc = float_value(ps, t, &v->f);
		break;
	case T_BOOL:
		v->kind = CIRT_PATTERN_V_BOOL;
		v->i = ps->s[t->pos] == 't';
		break;
	case T_TIMESTAMP:
		v->kind = CIRT_PATTERN_V_TIME;
		(void)cirt_pattern_time_parse(ps->s + t->pos + 2, t->len - 3,
					      &v->t, &why);
		break;
	default:
		binary_value(ps, t, v);
		break;
	}
	return rc ? rc : next(ps);
}

/* ---- object paths ---- */

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* A name the lexer reads back as one IdentifierWithoutHyphen. */
static bool plain_name(const char *k, size_t n)
{
	if (n == 0 || !is_ident_start(k[0]))
		return false;
	for (size_t i = 1; i < n; i++) {
		if (!is_ident_char(k[i]))
			return false;
	}
	for (size_t w = 0; w < CIRT_ARRAY_LEN(keywords); w++) {
		if (strlen(keywords[w].word) == n &&
		    memcmp(keywords[w].word, k, n) == 0)
			return false;
	}
	return true;
}

/* Write the canonical text of steps into out (if not NULL); its length. */
static size_t path_text(const struct cirt_pattern_step *st, size_t n, char *out)
{
	char num[32];
	size_t o = 0, k;

#define PUT(c)                        \
	do {                          \
		if (out)              \
			out[o] = (c); \
		o++;                  \
	} while (0)
	for (size_t i = 0; i < n; i++) {
		if (st[i].kind != CIRT_PATTERN_STEP_KEY) {
			if (st[i].kind == CIRT_PATTERN_STEP_STAR)
				snprintf(num, sizeof(num), "[*]");
			else
				snprintf(num, sizeof(num), "[%lld]",
					 (long long)st[i].index);
			for (k = 0; num[k]; k++)
				PUT(num[k]);
			continue;
		}
		if (i > 0)
			PUT('.');
		if (plain_name(st[i].key, st[i].keylen)) {
			for (k = 0; k < st[i].keylen; k++)
				PUT(st[i].key[k]);
			continue;
		}
		PUT('\'');
		for (k = 0; k < st[i].keylen; k++) {
			if (st[i].key[k] == '\'' || st[i].key[k] == '\\')
				PUT('\\');
			PUT(st[i].key[k]);
		}
		PUT('\'');
	}
#undef PUT
	return o;
}

/* A property name: an identifier or a quoted string. */
static int parse_key(struct parser *ps, const char *want,
		     struct cirt_pattern_step *st)
{
	const struct tok *t = &ps->tok;
	char text[64];

	st->kind = CIRT_PATTERN_STEP_KEY;
	if (t->kind == T_IDENT) {
		st->key = pstrndup(ps->p, ps->s + t->pos, t->len);
		st->keylen = t->len;
	} else if (t->kind == T_STRING) {
		st->key = unescape(ps, t, &st->keylen);
		if (memchr(st->key, '\0', st->keylen))
			return perr(ps, -CIRT_EINVAL, t->pos,
				    "a property name must not contain U+0000");
	} else if (t->kind == T_IDENT_HYPHEN) {
		quote_text(ps->s + t->pos, t->len, text, sizeof(text));
		return perr(ps, -CIRT_EINVAL, t->pos,
			    "property name '%s' contains '-' and must be "
			    "quoted",
			    text);
	} else {
		return unexpected(ps, want);
	}
	if (st->keylen > CIRT_PATTERN_MAX_NAME)
		return perr(ps, -CIRT_EINVAL, t->pos,
			    "property name longer than %d bytes",
			    CIRT_PATTERN_MAX_NAME);
	st->ref = ends_with(st->key, st->keylen, "_ref") ||
		  ends_with(st->key, st->keylen, "_refs");
	return next(ps);
}

/* [n] or [*] (the '[' is the current token). */
static int parse_index(struct parser *ps, struct cirt_pattern_step *st)
{
	int rc;

	if ((rc = next(ps)) != 0)
		return rc;
	if (ps->tok.kind == T_STAR) {
		st->kind = CIRT_PATTERN_STEP_STAR;
	} else if (ps->tok.kind == T_INT_POS || ps->tok.kind == T_INT_NEG) {
		st->kind = CIRT_PATTERN_STEP_INDEX;
		if ((rc = int_value(ps, &ps->tok, &st->index)) != 0)
			return rc;
	} else {
		return unexpected(ps, "a list index or '*'");
	}
	if ((rc = next(ps)) != 0)
		return rc;
	return expect(ps, T_RBRACK, "']' after the list index");
}

/* Copy the steps into the pattern and derive what depends on them. */
static void path_finish(struct parser *ps, struct cirt_pattern_cmp *c,
			const struct cirt_pattern_step *st, size_t n)
{
	struct cirt_pattern_step *steps = palloc(ps->p, n * sizeof(*steps));
	char *text;

	memcpy(steps, st, n * sizeof(*steps));
	c->steps = steps;
	c->nsteps = n;
	for (size_t i = n; i-- > 0;) {
		if (st[i].kind == CIRT_PATTERN_STEP_KEY) {
			c->hex = ends_with(st[i].key, st[i].keylen, "_hex");
			c->binary = c->hex ||
				    ends_with(st[i].key, st[i].keylen, "_bin");
			break;
		}
	}
	text = palloc(ps->p, path_text(st, n, NULL) + 1);
	path_text(st, n, text);
	c->path = text;
}

/* type:name(.name | [index])* */
static int parse_path(struct parser *ps, struct cirt_pattern_cmp *c)
{
	struct cirt_pattern_step st[CIRT_PATTERN_MAX_STEPS];
	size_t n = 0;
	int rc;

	c->pos = (uint32_t)ps->tok.pos;
	if (ps->tok.kind != T_IDENT && ps->tok.kind != T_IDENT_HYPHEN)
		return unexpected(ps, "an object path, EXISTS or '('");
	if (ps->tok.len > CIRT_PATTERN_MAX_NAME)
		return perr(ps, -CIRT_EINVAL, ps->tok.pos,
			    "object type longer than %d bytes",
			    CIRT_PATTERN_MAX_NAME);
	c->type = pstrndup(ps->p, ps->s + ps->tok.pos, ps->tok.len);
	if ((rc = next(ps)) != 0 ||
	    (rc = expect(ps, T_COLON, "':' after the object type")) != 0 ||
	    (rc = parse_key(ps, "a property name after ':'", &st[n++])) != 0)
		return rc;
	while (ps->tok.kind == T_DOT || ps->tok.kind == T_LBRACK) {
		if (n == CIRT_PATTERN_MAX_STEPS)
			return perr(ps, -CIRT_ELIMIT, ps->tok.pos,
				    "object path longer than %d components",
				    CIRT_PATTERN_MAX_STEPS);
		memset(&st[n], 0, sizeof(st[n]));
		if (ps->tok.kind == T_LBRACK)
			rc = parse_index(ps, &st[n]);
		else if ((rc = next(ps)) == 0)
			rc = parse_key(ps, "a property name after '.'", &st[n]);
		if (rc)
			return rc;
		n++;
	}
	path_finish(ps, c, st, n);
	return 0;
}

/* ---- operator-specific checks and preparation ---- */

static void need_match_context(struct cirt_pattern *p)
{
	if (p->mctx)
		return;
	p->mctx = pcre2_match_context_create(NULL);
	if (p->mctx == NULL)
		cirt_fatalx("out of memory (pcre2 match context)");
	pcre2_set_match_limit(p->mctx, CIRT_PATTERN_RE_MATCH_LIMIT);
	pcre2_set_depth_limit(p->mctx, CIRT_PATTERN_RE_DEPTH_LIMIT);
	pcre2_set_heap_limit(p->mctx, CIRT_PATTERN_RE_HEAP_LIMIT);
}

/* MATCHES: compile once, here. STIX 2.1 9.6.1: search, DOTALL; Unicode
 * for strings, bytes (no UTF) for _bin/_hex properties. A regex for a
 * binary property with a code point above U+00FF can never match (9.6.4);
 * it is still checked, in UTF mode. */
static int compile_regex(struct parser *ps, struct cirt_pattern_cmp *c,
			 size_t pos)
{
	const struct cirt_pattern_value *v = &c->values[0];
	uint32_t opts = PCRE2_DOTALL;
	unsigned char *latin = NULL;
	PCRE2_UCHAR msg[160];
	PCRE2_SIZE erroff;
	size_t len = v->len;
	bool octets;
	int errcode;

	if (c->binary)
		latin = cirt_pattern_latin1(v->str, v->len, &len);
	octets = latin != NULL;
	if (!octets)
		opts |= PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C;
	c->re = pcre2_compile(latin ? latin : (PCRE2_SPTR)v->str, len, opts,
			      &errcode, &erroff, NULL);
	free(latin);
	if (c->re == NULL) {
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		return perr(ps, -CIRT_EINVAL, pos,
			    "invalid regular expression: %s (at offset %zu "
			    "of the regex)",
			    (const char *)msg, (size_t)erroff);
	}
	if (c->binary && !octets) {
		pcre2_code_free(c->re);
		c->re = NULL;
		return 0;
	}
	c->re_next = ps->p->regexes;
	ps->p->regexes = c;
	need_match_context(ps->p);
	return 0;
}

/* LIKE: the operand as NFC code points (STIX 2.1 9.6.1). */
static int prepare_like(struct parser *ps, struct cirt_pattern_cmp *c,
			size_t pos)
{
	const struct cirt_pattern_value *v = &c->values[0];
	uint32_t *u, *nf, *keep;
	size_t n, nlen;

	if (v->len == 0)
		return 0;
	u = u8_to_u32((const uint8_t *)v->str, v->len, NULL, &n);
	if (u == NULL)
		return perr(ps, -CIRT_EINVAL, pos, "cannot decode the string");
	nf = u32_normalize(UNINORM_NFC, u, n, NULL, &nlen);
	free(u);
	if (nf == NULL)
		return perr(ps, -CIRT_EINVAL, pos,
			    "cannot NFC-normalise the string");
	keep = palloc(ps->p, nlen * sizeof(*keep));
	memcpy(keep, nf, nlen * sizeof(*keep));
	free(nf);
	c->like = keep;
	c->likelen = nlen;
	return 0;
}

static bool key_is(const struct cirt_pattern_step *st, const char *name)
{
	return st->kind == CIRT_PATTERN_STEP_KEY &&
	       strlen(name) == st->keylen &&
	       memcmp(st->key, name, st->keylen) == 0;
}

/* The family ISSUBSET/ISSUPERSET needs on this path: 4 or 6 for
 * ipv4-addr:value or ipv6-addr:value, 0 (either) for the value of a
 * referenced object (network-traffic:dst_ref.value, ..._refs[*].value),
 * -1 if the path cannot name an address. */
static int net_family(const struct cirt_pattern_cmp *c)
{
	const struct cirt_pattern_step *st = c->steps;
	size_t n = c->nsteps;

	if (n == 1 && key_is(&st[0], "value")) {
		if (strcmp(c->type, "ipv4-addr") == 0)
			return 4;
		if (strcmp(c->type, "ipv6-addr") == 0)
			return 6;
		return -1;
	}
	if (n < 2 || !key_is(&st[n - 1], "value"))
		return -1;
	if (st[n - 2].kind == CIRT_PATTERN_STEP_KEY)
		return st[n - 2].ref ? 0 : -1;
	return n >= 3 && st[n - 3].kind == CIRT_PATTERN_STEP_KEY &&
			       st[n - 3].ref
		       ? 0
		       : -1;
}

static int prepare_net(struct parser *ps, struct cirt_pattern_cmp *c,
		       size_t pos)
{
	const struct cirt_pattern_value *v = &c->values[0];
	const char *op =
		c->op == CIRT_PATTERN_OP_ISSUBSET ? "ISSUBSET" : "ISSUPERSET";
	int fam = net_family(c);
	char text[64];

	if (fam < 0)
		return perr(ps, -CIRT_EINVAL, c->pos,
			    "%s applies only to the value of an ipv4-addr or "
			    "ipv6-addr object (ipv4-addr:value, or a "
			    "reference such as dst_ref.value)",
			    op);
	if (cirt_pattern_net_parse(v->str, v->len, &c->net) == 0 &&
	    (fam == 0 || fam == c->net.family))
		return 0;
	quote_text(v->str, v->len, text, sizeof(text));
	return perr(ps, -CIRT_EINVAL, pos,
		    "%s needs an %s address or CIDR block, not '%s'", op,
		    fam == 4   ? "IPv4"
		    : fam == 6 ? "IPv6"
			       : "IP",
		    text);
}

/* ---- comparisons ---- */

static const char *op_name(enum tok_kind k)
{
	switch (k) {
	case T_EQ:
		return "'='";
	case T_NEQ:
		return "'!='";
	case T_LT:
		return "'<'";
	case T_LE:
		return "'<='";
	case T_GT:
		return "'>'";
	case T_GE:
		return "'>='";
	default:
		return "the operator";
	}
}

static int value_class(enum cirt_pattern_vkind k)
{
	return k == CIRT_PATTERN_V_FLOAT ? CIRT_PATTERN_V_INT : (int)k;
}

static const char *class_name(enum cirt_pattern_vkind k)
{
	static const char *const names[] = {"a string", "a number",
					    "a number", "a boolean",
					    "binary",	"a timestamp"};

	return names[k];
}

/* ( constant, ... ): one type only (STIX 2.1 9.6.1 IN). */
static int parse_set(struct parser *ps, struct cirt_pattern_cmp *c)
{
	struct cirt_pattern_value *vals = NULL, *first;
	size_t n = 0, cap = 0, pos;
	int rc;

	if ((rc = next(ps)) != 0 || (rc = expect(ps, T_LPAREN, "'(' after IN")))
		return rc;
	while (ps->tok.kind != T_RPAREN || n > 0) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			vals = cirt_xrealloc(vals, cap * sizeof(*vals));
		}
		memset(&vals[n], 0, sizeof(vals[n]));
		pos = ps->tok.pos;
		rc = parse_constant(ps, C_PRIM, "a constant in the IN set",
				    &vals[n]);
		if (rc)
			goto out;
		if (value_class(vals[n].kind) != value_class(vals[0].kind)) {
			rc = perr(ps, -CIRT_EINVAL, pos,
				  "the values of an IN set must all be of one "
				  "type, but %s follows %s",
				  class_name(vals[n].kind),
				  class_name(vals[0].kind));
			goto out;
		}
		n++;
		if (ps->tok.kind != T_COMMA)
			break;
		if ((rc = next(ps)) != 0)
			goto out;
	}
	if ((rc = expect(ps, T_RPAREN, n ? "',' or ')'" : "a constant or ')'")))
		goto out;
	first = palloc(ps->p, (n ? n : 1) * sizeof(*first));
	if (n)
		memcpy(first, vals, n * sizeof(*first));
	c->values = first;
	c->nvalues = n;
out:
	free(vals);
	return rc;
}

/* The operator, and its constant, after the object path. */
static int parse_operator(struct parser *ps, struct cirt_pattern_cmp *c)
{
	static const struct {
		enum tok_kind tok;
		enum cirt_pattern_op op;
		unsigned mask;
		const char *want;
	} ops[] = {
		{T_EQ, CIRT_PATTERN_OP_EQ, C_PRIM, NULL},
		{T_NEQ, CIRT_PATTERN_OP_NE, C_PRIM, NULL},
		{T_LT, CIRT_PATTERN_OP_LT, C_ORDER, NULL},
		{T_LE, CIRT_PATTERN_OP_LE, C_ORDER, NULL},
		{T_GT, CIRT_PATTERN_OP_GT, C_ORDER, NULL},
		{T_GE, CIRT_PATTERN_OP_GE, C_ORDER, NULL},
		{T_LIKE, CIRT_PATTERN_OP_LIKE, C_STRING, "a string after LIKE"},
		{T_MATCHES, CIRT_PATTERN_OP_MATCHES, C_STRING,
		 "a string (the regex) after MATCHES"},
		{T_ISSUBSET, CIRT_PATTERN_OP_ISSUBSET, C_STRING,
		 "a string after ISSUBSET"},
		{T_ISSUPERSET, CIRT_PATTERN_OP_ISSUPERSET, C_STRING,
		 "a string after ISSUPERSET"},
	};
	char want[96];
	size_t pos;
	int rc;

	if (ps->tok.kind == T_IN) {
		c->op = CIRT_PATTERN_OP_IN;
		return parse_set(ps, c);
	}
	for (size_t i = 0; i < CIRT_ARRAY_LEN(ops); i++) {
		if (ops[i].tok != ps->tok.kind)
			continue;
		c->op = ops[i].op;
		if (ops[i].want)
			snprintf(want, sizeof(want), "%s", ops[i].want);
		else if (ops[i].mask & C_BOOL)
			snprintf(want, sizeof(want), "a constant after %s",
				 op_name(ops[i].tok));
		else
			snprintf(want, sizeof(want),
				 "a string, number, binary or timestamp "
				 "constant after %s",
				 op_name(ops[i].tok));
		if ((rc = next(ps)) != 0)
			return rc;
		c->values = palloc(ps->p, sizeof(*c->values));
		c->nvalues = 1;
		pos = ps->tok.pos;
		if ((rc = parse_constant(ps, ops[i].mask, want, c->values)))
			return rc;
		if (c->op == CIRT_PATTERN_OP_MATCHES)
			return compile_regex(ps, c, pos);
		if (c->op == CIRT_PATTERN_OP_LIKE)
			return prepare_like(ps, c, pos);
		if (c->op == CIRT_PATTERN_OP_ISSUBSET ||
		    c->op == CIRT_PATTERN_OP_ISSUPERSET)
			return prepare_net(ps, c, pos);
		return 0;
	}
	return unexpected(ps, "a comparison operator");
}

static struct cirt_pattern_cnode *cnode_cmp(struct parser *ps,
					    struct cirt_pattern_cmp *c)
{
	struct cirt_pattern_cnode *node = palloc(ps->p, sizeof(*node));

	node->kind = CIRT_PATTERN_C_CMP;
	node->pos = c->pos;
	node->type = c->type;
	node->cmp = c;
	return node;
}

static int enter(struct parser *ps, unsigned depth)
{
	if (depth >= CIRT_PATTERN_MAX_DEPTH)
		return perr(ps, -CIRT_ELIMIT, ps->tok.pos,
			    "nested deeper than %d levels of '(' and '['",
			    CIRT_PATTERN_MAX_DEPTH);
	return next(ps);
}

static int parse_cmp_expr(struct parser *ps, unsigned depth, unsigned level,
			  struct cirt_pattern_cnode **out);

/* path [NOT] op constant | [NOT] EXISTS path | ( expression ) */
static int parse_test(struct parser *ps, unsigned depth,
		      struct cirt_pattern_cnode **out)
{
	struct cirt_pattern_cmp *c;
	int rc;

	if (ps->tok.kind == T_LPAREN) {
		if ((rc = enter(ps, depth)) != 0 ||
		    (rc = parse_cmp_expr(ps, depth + 1, 0, out)) != 0)
			return rc;
		return expect(ps, T_RPAREN, "')'");
	}
	c = palloc(ps->p, sizeof(*c));
	if (ps->tok.kind == T_NOT) {
		c->negated = true;
		if ((rc = next(ps)) != 0)
			return rc;
		if (ps->tok.kind != T_EXISTS)
			return unexpected(ps, "EXISTS after a leading NOT "
					      "(other operators take NOT "
					      "after the object path)");
	}
	if (ps->tok.kind == T_EXISTS) {
		c->op = CIRT_PATTERN_OP_EXISTS;
		if ((rc = next(ps)) != 0 || (rc = parse_path(ps, c)) != 0)
			return rc;
	} else {
		if ((rc = parse_path(ps, c)) != 0)
			return rc;
		if (ps->tok.kind == T_NOT) {
			c->negated = true;
			if ((rc = next(ps)) != 0)
				return rc;
		}
		if ((rc = parse_operator(ps, c)) != 0)
			return rc;
	}
	*out = cnode_cmp(ps, c);
	return 0;
}

/* STIX 2.1 9.5: operands of AND must be satisfiable by one object, so
 * every comparison below an AND starts from the same object type. */
static int check_one_type(struct parser *ps, const struct pvec *kids)
{
	const struct cirt_pattern_cnode *k0 = kids->v[0], *k;
	char a[64], b[64];

	for (size_t i = 0; i < kids->n; i++) {
		k = kids->v[i];
		if (k->type == NULL)
			return perr(ps, -CIRT_EINVAL, k->pos,
				    "comparisons joined by AND must start from "
				    "the same object type, but this operand "
				    "mixes several");
		if (strcmp(k->type, k0->type) != 0) {
			quote_text(k0->type, strlen(k0->type), a, sizeof(a));
			quote_text(k->type, strlen(k->type), b, sizeof(b));
			return perr(ps, -CIRT_EINVAL, k->pos,
				    "comparisons joined by AND must start from "
				    "the same object type ('%s' and '%s'); use "
				    "OR, or two observation expressions",
				    a, b);
		}
	}
	return 0;
}

static struct cirt_pattern_cnode *cnode_join(struct parser *ps,
					     enum cirt_pattern_cnode_kind kind,
					     struct pvec *kids)
{
	struct cirt_pattern_cnode *node = palloc(ps->p, sizeof(*node));

	node->kind = kind;
	node->nkids = kids->n;
	node->kids = palloc(ps->p, kids->n * sizeof(*node->kids));
	for (size_t i = 0; i < kids->n; i++)
		node->kids[i] = kids->v[i];
	node->pos = node->kids[0]->pos;
	node->type = node->kids[0]->type;
	for (size_t i = 1; i < kids->n && node->type; i++) {
		if (node->kids[i]->type == NULL ||
		    strcmp(node->kids[i]->type, node->type) != 0)
			node->type = NULL;
	}
	return node;
}

/* level 0: OR of level 1; level 1: AND of tests. */
static int parse_cmp_expr(struct parser *ps, unsigned depth, unsigned level,
			  struct cirt_pattern_cnode **out)
{
	enum tok_kind op = level == 0 ? T_OR : T_AND;
	struct cirt_pattern_cnode *node;
	struct pvec kids;
	int rc;

	pvec_init(&kids);
	for (;;) {
		if (level == 0)
			rc = parse_cmp_expr(ps, depth, 1, &node);
		else
			rc = parse_test(ps, depth, &node);
		if (rc)
			goto out;
		pvec_push(&kids, node);
		if (ps->tok.kind != op)
			break;
		if ((rc = next(ps)) != 0)
			goto out;
	}
	if (kids.n == 1) {
		*out = kids.v[0];
	} else if (level == 1 && (rc = check_one_type(ps, &kids)) != 0) {
		goto out;
	} else {
		*out = cnode_join(
			ps, level == 0 ? CIRT_PATTERN_C_OR : CIRT_PATTERN_C_AND,
			&kids);
	}
out:
	pvec_release(&kids);
	return rc;
}

/* ---- observation expressions ---- */

static struct cirt_pattern_onode *
onode_new(struct parser *ps, enum cirt_pattern_onode_kind kind, size_t pos)
{
	struct cirt_pattern_onode *node = palloc(ps->p, sizeof(*node));

	node->kind = kind;
	node->pos = (uint32_t)pos;
	return node;
}

/* Wrap node in a qualifier node. */
static struct cirt_pattern_onode *qualify(struct parser *ps,
					  enum cirt_pattern_onode_kind kind,
					  size_t pos,
					  struct cirt_pattern_onode *kid)
{
	struct cirt_pattern_onode *q = onode_new(ps, kind, pos);

	q->kids = palloc(ps->p, sizeof(*q->kids));
	q->kids[0] = kid;
	q->nkids = 1;
	ps->p->level = 3;
	return q;
}

static int parse_repeats(struct parser *ps, struct cirt_pattern_onode **node)
{
	size_t pos = ps->tok.pos;
	int64_t n;
	int rc;

	if ((rc = next(ps)) != 0)
		return rc;
	if (ps->tok.kind != T_INT_POS)
		return unexpected(ps, "a positive integer after REPEATS");
	if ((rc = int_value(ps, &ps->tok, &n)) != 0)
		return rc;
	if (n <= 0)
		return perr(ps, -CIRT_EINVAL, ps->tok.pos,
			    "REPEATS needs a positive integer, not 0");
	if ((rc = next(ps)) != 0 ||
	    (rc = expect(ps, T_TIMES, "TIMES after the count")) != 0)
		return rc;
	*node = qualify(ps, CIRT_PATTERN_O_REPEATS, pos, *node);
	(*node)->repeats = n;
	return 0;
}

/* Seconds (> 0) to microseconds, rounded up and saturated, so that
 * "latest - earliest < x seconds" is "difference in us < result". */
static int64_t seconds_us(const struct cirt_pattern_value *v)
{
	const int64_t cap = INT64_MAX / 4;
	double us;
	int64_t r;

	if (v->kind == CIRT_PATTERN_V_INT)
		return v->i > cap / 1000000 ? cap : v->i * 1000000;
	us = v->f * 1e6;
	if (us >= (double)cap)
		return cap;
	r = (int64_t)us;
	return (double)r < us ? r + 1 : r;
}

static int parse_within(struct parser *ps, struct cirt_pattern_onode **node)
{
	struct cirt_pattern_value v = {0};
	size_t pos = ps->tok.pos, vpos;
	int rc;

	if ((rc = next(ps)) != 0)
		return rc;
	vpos = ps->tok.pos;
	if (ps->tok.kind != T_INT_POS && ps->tok.kind != T_FLOAT_POS)
		return unexpected(ps, "a positive number after WITHIN");
	if ((rc = parse_constant(ps, C_NUMBER, "", &v)) != 0)
		return rc;
	if (v.kind == CIRT_PATTERN_V_INT ? v.i <= 0 : !(v.f > 0))
		return perr(ps, -CIRT_EINVAL, vpos,
			    "WITHIN needs a positive number of seconds");
	if ((rc = expect(ps, T_SECONDS, "SECONDS after the number")) != 0)
		return rc;
	*node = qualify(ps, CIRT_PATTERN_O_WITHIN, pos, *node);
	(*node)->within_us = seconds_us(&v);
	return 0;
}

static int parse_startstop(struct parser *ps, struct cirt_pattern_onode **node)
{
	struct cirt_pattern_value a = {0}, b = {0};
	size_t pos = ps->tok.pos;
	int rc;

	if ((rc = next(ps)) != 0 ||
	    (rc = parse_constant(ps, C_TIME, "a timestamp after START", &a)) ||
	    (rc = expect(ps, T_STOP, "STOP after the START timestamp")) ||
	    (rc = parse_constant(ps, C_TIME, "a timestamp after STOP", &b)))
		return rc;
	if (cirt_pattern_time_cmp(&a.t, &b.t) >= 0)
		return perr(ps, -CIRT_EINVAL, pos,
			    "START must be earlier than STOP");
	*node = qualify(ps, CIRT_PATTERN_O_STARTSTOP, pos, *node);
	(*node)->start_us = cirt_pattern_time_us_ceil(&a.t);
	(*node)->stop_us = cirt_pattern_time_us_ceil(&b.t);
	return 0;
}

/* Qualifiers after one observation expression: each kind at most once
 * (STIX 2.1 9.5.1); they apply left to right. */
static int parse_qualifiers(struct parser *ps, struct cirt_pattern_onode **node)
{
	unsigned seen = 0, bit;
	const char *name;
	int rc;

	for (;;) {
		switch (ps->tok.kind) {
		case T_REPEATS:
			bit = 1;
			name = "REPEATS";
			break;
		case T_WITHIN:
			bit = 2;
			name = "WITHIN";
			break;
		case T_START:
			bit = 4;
			name = "START/STOP";
			break;
		default:
			return 0;
		}
		if (seen & bit)
			return perr(ps, -CIRT_EINVAL, ps->tok.pos,
				    "an observation expression may have only "
				    "one %s qualifier",
				    name);
		seen |= bit;
		if (bit == 1)
			rc = parse_repeats(ps, node);
		else if (bit == 2)
			rc = parse_within(ps, node);
		else
			rc = parse_startstop(ps, node);
		if (rc)
			return rc;
	}
}

static int parse_obs_expr(struct parser *ps, unsigned depth, unsigned level,
			  struct cirt_pattern_onode **out);

/* [ comparisons ] or ( observation expressions ), then qualifiers. */
static int parse_obs_unit(struct parser *ps, unsigned depth,
			  struct cirt_pattern_onode **out)
{
	struct cirt_pattern_onode *node;
	size_t pos = ps->tok.pos;
	int rc;

	if (ps->tok.kind == T_LBRACK) {
		node = onode_new(ps, CIRT_PATTERN_O_LEAF, pos);
		node->leaf = ps->p->nleaves++;
		if ((rc = enter(ps, depth)) != 0 ||
		    (rc = parse_cmp_expr(ps, depth + 1, 0, &node->expr)) != 0 ||
		    (rc = expect(ps, T_RBRACK, "']'")) != 0)
			return rc;
	} else if (ps->tok.kind == T_LPAREN) {
		if ((rc = enter(ps, depth)) != 0 ||
		    (rc = parse_obs_expr(ps, depth + 1, 0, &node)) != 0 ||
		    (rc = expect(ps, T_RPAREN, "')'")) != 0)
			return rc;
	} else {
		return unexpected(ps, "'[' or '('");
	}
	*out = node;
	return parse_qualifiers(ps, out);
}

/* level 0: FOLLOWEDBY of level 1; 1: OR of level 2; 2: AND of units. */
static int parse_obs_expr(struct parser *ps, unsigned depth, unsigned level,
			  struct cirt_pattern_onode **out)
{
	static const enum tok_kind ops[] = {T_FOLLOWEDBY, T_OR, T_AND};
	static const enum cirt_pattern_onode_kind kinds[] = {
		CIRT_PATTERN_O_FOLLOWEDBY, CIRT_PATTERN_O_OR,
		CIRT_PATTERN_O_AND};
	struct cirt_pattern_onode *node;
	struct pvec kids;
	size_t pos = ps->tok.pos;
	int rc;

	pvec_init(&kids);
	for (;;) {
		if (level < 2)
			rc = parse_obs_expr(ps, depth, level + 1, &node);
		else
			rc = parse_obs_unit(ps, depth, &node);
		if (rc)
			goto out;
		pvec_push(&kids, node);
		if (ps->tok.kind != ops[level])
			break;
		if ((rc = next(ps)) != 0)
			goto out;
	}
	if (kids.n == 1) {
		*out = kids.v[0];
		goto out;
	}
	node = onode_new(ps, kinds[level], pos);
	node->nkids = kids.n;
	node->kids = palloc(ps->p, kids.n * sizeof(*node->kids));
	for (size_t i = 0; i < kids.n; i++)
		node->kids[i] = kids.v[i];
	if (ps->p->level < (level == 0 ? 3 : 2))
		ps->p->level = level == 0 ? 3 : 2;
	*out = node;
out:
	pvec_release(&kids);
	return rc;
}

int cirt_pattern_parse(const char *text, size_t len, struct cirt_pattern **out,
		       struct cirt_diag *d)
{
	struct parser ps = {.s = text, .n = len, .d = d};
	size_t bad;
	int rc;

	*out = NULL;
	if (len > CIRT_PATTERN_MAX_LEN)
		return cirt_diag_set(d, -CIRT_ELIMIT, NULL,
				     "at %d: pattern longer than %d bytes",
				     CIRT_PATTERN_MAX_LEN,
				     CIRT_PATTERN_MAX_LEN);
	if (len > 0 && !cirt_utf8_valid(text, len, &bad))
		return cirt_diag_set(d, -CIRT_EINVAL, NULL,
				     "at %zu: not valid UTF-8", bad);
	ps.p = pattern_new();
	if ((rc = next(&ps)) == 0 &&
	    (rc = parse_obs_expr(&ps, 0, 0, &ps.p->root)) == 0 &&
	    ps.tok.kind != T_EOF)
		rc = unexpected(&ps, "AND, OR, FOLLOWEDBY, a qualifier or the "
				     "end of the pattern");
	if (rc) {
		cirt_pattern_free(ps.p);
		return rc;
	}
	*out = ps.p;
	return 0;
}
