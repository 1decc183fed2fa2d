/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Writing an IODEF-Document with libxml2's xmlTextWriter into a bounded
 * buffer: the one writer behind the incident export (iodef_write.c) and
 * the digests' IODEF attachment (notify/render.c). It opens the document
 * (XML declaration, the IODEF-Document root with its namespace, version
 * 2.00 and xml:lang), gives small element helpers that remember a
 * failure instead of returning it, and on finish reports a document over
 * its ceiling (-CIRT_ELIMIT) or a writer failure (-CIRT_EINTERNAL).
 * libxml2's own error printing is silenced while it writes.
 *
 * Layer: iodef. A writer belongs to one thread.
 */
#ifndef CIRT_IODEF_IODEF_XML_H
#define CIRT_IODEF_IODEF_XML_H

#include <stdbool.h>
#include <stdint.h>

#include <libxml/xmlerror.h>
#include <libxml/xmlwriter.h>

#include "core/buf.h"
#include "core/err.h"

struct cirt_iodef_xw {
	xmlTextWriterPtr x;
	bool failed; /* a libxml2 call failed */
	bool full;   /* the document passed its ceiling */
	struct cirt_buf buf;
	xmlStructuredErrorFunc old_fn;
	void *old_ctx;
};

/* True if s is an xs:language tag, [a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*
 * (what xml:lang takes). */
bool cirt_iodef_lang_valid(const char *s);

/* Start a document of at most max bytes, in language lang. */
int cirt_iodef_xw_begin(struct cirt_iodef_xw *w, const char *lang, size_t max,
			struct cirt_diag *d) CIRT_MUST_CHECK;

/* End it and append it to out. 0, -CIRT_ELIMIT (over the ceiling, or it
 * does not fit in out) or -CIRT_EINTERNAL. Frees the writer either way. */
int cirt_iodef_xw_finish(struct cirt_iodef_xw *w, struct cirt_buf *out,
			 struct cirt_diag *d) CIRT_MUST_CHECK;

/* Note a libxml2 result: negative is a failure. */
void cirt_iodef_xw_ok(struct cirt_iodef_xw *w, int rc);
void cirt_iodef_xw_start(struct cirt_iodef_xw *w, const char *name);
void cirt_iodef_xw_end(struct cirt_iodef_xw *w);
void cirt_iodef_xw_attr(struct cirt_iodef_xw *w, const char *name,
			const char *value);
void cirt_iodef_xw_text(struct cirt_iodef_xw *w, const char *text);
/* <name>content</name> */
void cirt_iodef_xw_element(struct cirt_iodef_xw *w, const char *name,
			   const char *content);
/* <name>RFC 3339 time</name>, nothing for 0. */
void cirt_iodef_xw_time(struct cirt_iodef_xw *w, const char *name, int64_t us);

#endif
