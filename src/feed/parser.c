/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The parser registry and what every parser shares: the table of parsers
 * by name, the count of malformed records with the first messages kept,
 * and the reading of a feed's parser options. See feed/parser.h; the
 * parsers themselves are in feed/parse_*.c.
 *
 * Options are "key=value" items separated by ';' ("report=scan_ntp;
 * schema=/etc/cirtkit/shadowserver.json"). White space around keys and
 * values is dropped; inside a value ";;" stands for one ';' (so a CSV
 * separator can be written "sep=;;", or by name "sep=semicolon").
 *
 * Layer: feed. The table is constant; the functions are pure or touch
 * only their arguments, so any thread may call them.
 */
#include "feed/parser.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "core/banned.h"

const struct cirt_parser *const cirt_parsers[] = {
	&cirt_parser_arf,	    &cirt_parser_blocklist,
	&cirt_parser_csv,	    &cirt_parser_feodo,
	&cirt_parser_openphish,	    &cirt_parser_phishtank,
	&cirt_parser_shadowserver,  &cirt_parser_spamhaus_asndrop,
	&cirt_parser_spamhaus_cert, &cirt_parser_spamhaus_drop,
	&cirt_parser_stix,	    &cirt_parser_urlhaus,
	&cirt_parser_xarf,	    NULL,
};

const struct cirt_parser *cirt_parser_find(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; cirt_parsers[i] != NULL; i++)
		if (strcmp(cirt_parsers[i]->name, name) == 0)
			return cirt_parsers[i];
	return NULL;
}

void cirt_feed_bad(struct cirt_feed_stats *st, int64_t line, const char *fmt,
		   ...)
{
	char *out;
	size_t n;
	va_list ap;
	int k = 0;

	st->bad++;
	if (st->bad > CIRT_FEED_BAD_KEEP)
		return;
	out = st->first_bad[st->bad - 1];
	n = sizeof(st->first_bad[0]);
	if (line > 0)
		k = snprintf(out, n, "line %lld: ", (long long)line);
	if (k < 0 || (size_t)k >= n)
		k = 0;
	va_start(ap, fmt);
	vsnprintf(out + k, n - (size_t)k, fmt, ap);
	va_end(ap);
	cirt_utf8_mend(out);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* The end of the value that starts at v: the ';' that is not doubled, or
 * the end of the string. */
static const char *value_end(const char *v)
{
	while (*v != '\0') {
		if (*v == ';' && v[1] != ';')
			break;
		v += *v == ';' ? 2 : 1;
	}
	return v;
}

int cirt_feed_option(const char *options, const char *key, char *out, size_t n)
{
	const char *p = options ? options : "", *k, *e, *v;
	size_t klen = strlen(key), len, i;

	if (n == 0)
		return -CIRT_ELIMIT;
	out[0] = '\0';
	while (*p != '\0') {
		while (is_space(*p) || *p == ';')
			p++;
		k = p;
		while (*p != '\0' && *p != '=' && *p != ';')
			p++;
		e = p;
		while (e > k && is_space(e[-1]))
			e--;
		if (*p != '=')
			continue;
		v = p + 1;
		p = value_end(v);
		if ((size_t)(e - k) != klen || memcmp(k, key, klen) != 0)
			continue;
		while (v < p && is_space(*v))
			v++;
		e = p;
		while (e > v && is_space(e[-1]))
			e--;
		for (len = 0, i = 0; v + i < e; i++, len++) {
			if (len + 1 >= n)
				return -CIRT_ELIMIT;
			out[len] = v[i];
			if (v[i] == ';')
				i++; /* ";;" */
		}
		out[len] = '\0';
		return 1;
	}
	return 0;
}
