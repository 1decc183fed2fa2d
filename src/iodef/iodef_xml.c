/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The IODEF document writer (iodef_xml.h).
 */
#include "iodef/iodef_xml.h"

#include <string.h>

#include <libxml/xmlIO.h>

#include "core/time.h"
#include "iodef/iodef.h"
#include "iodef/iodef_int.h"

#include "core/banned.h"

#define X(s) ((const xmlChar *)(s))

/* Where xmlTextWriter's bytes go: the buffer, which stops at its
 * ceiling. */
static int sink_write(void *arg, const char *p, int n)
{
	struct cirt_iodef_xw *w = arg;

	if (w->full || cirt_buf_add(&w->buf, p, (size_t)n) < 0) {
		w->full = true;
		return -1;
	}
	return n;
}

static int sink_close(void *arg)
{
	(void)arg;
	return 0;
}

/* What libxml2 would print (a write past the ceiling is an "I/O
 * error"); the outcome is known from the return values. */
static void quiet(void *arg, xmlErrorPtr err)
{
	(void)arg;
	(void)err;
}

void cirt_iodef_xw_ok(struct cirt_iodef_xw *w, int rc)
{
	if (rc < 0)
		w->failed = true;
}

void cirt_iodef_xw_start(struct cirt_iodef_xw *w, const char *name)
{
	cirt_iodef_xw_ok(w, xmlTextWriterStartElement(w->x, X(name)));
}

void cirt_iodef_xw_end(struct cirt_iodef_xw *w)
{
	cirt_iodef_xw_ok(w, xmlTextWriterEndElement(w->x));
}

void cirt_iodef_xw_attr(struct cirt_iodef_xw *w, const char *name,
			const char *value)
{
	cirt_iodef_xw_ok(w,
			 xmlTextWriterWriteAttribute(w->x, X(name), X(value)));
}

void cirt_iodef_xw_text(struct cirt_iodef_xw *w, const char *text)
{
	cirt_iodef_xw_ok(w, xmlTextWriterWriteString(w->x, X(text)));
}

void cirt_iodef_xw_element(struct cirt_iodef_xw *w, const char *name,
			   const char *content)
{
	cirt_iodef_xw_ok(w,
			 xmlTextWriterWriteElement(w->x, X(name), X(content)));
}

void cirt_iodef_xw_time(struct cirt_iodef_xw *w, const char *name, int64_t us)
{
	char s[CIRT_TIME_LEN];

	if (us == 0)
		return;
	cirt_time_format_exact(us, s);
	cirt_iodef_xw_element(w, name, s);
}

bool cirt_iodef_lang_valid(const char *s)
{
	size_t run = 0;
	bool first = true;

	for (; *s != '\0'; s++) {
		bool alpha =
			(*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z');
		bool digit = *s >= '0' && *s <= '9';

		if (*s == '-') {
			if (run == 0)
				return false;
			first = false;
			run = 0;
		} else if (alpha || (digit && !first)) {
			if (++run > 8)
				return false;
		} else {
			return false;
		}
	}
	return run > 0;
}

int cirt_iodef_xw_begin(struct cirt_iodef_xw *w, const char *lang, size_t max,
			struct cirt_diag *d)
{
	xmlOutputBufferPtr ob;

	cirt_iodef_setup();
	memset(w, 0, sizeof *w);
	cirt_buf_init(&w->buf, max);
	ob = xmlOutputBufferCreateIO(sink_write, sink_close, w, NULL);
	if (ob == NULL)
		return cirt_diag_set(d, -CIRT_EINTERNAL, NULL,
				     "cannot create an XML output buffer");
	w->x = xmlNewTextWriter(ob);
	if (w->x == NULL) {
		xmlOutputBufferClose(ob);
		return cirt_diag_set(d, -CIRT_EINTERNAL, NULL,
				     "cannot create an XML writer");
	}
	w->old_fn = xmlStructuredError;
	w->old_ctx = xmlStructuredErrorContext;
	xmlSetStructuredErrorFunc(NULL, quiet);
	cirt_iodef_xw_ok(w, xmlTextWriterSetIndent(w->x, 1));
	cirt_iodef_xw_ok(w, xmlTextWriterSetIndentString(w->x, X("  ")));
	cirt_iodef_xw_ok(
		w, xmlTextWriterStartDocument(w->x, "1.0", "UTF-8", NULL));
	cirt_iodef_xw_start(w, "IODEF-Document");
	cirt_iodef_xw_attr(w, "xmlns", IODEF_NS);
	cirt_iodef_xw_attr(w, "version", "2.00");
	cirt_iodef_xw_attr(w, "xml:lang", lang);
	return 0;
}

int cirt_iodef_xw_finish(struct cirt_iodef_xw *w, struct cirt_buf *out,
			 struct cirt_diag *d)
{
	int rc;

	cirt_iodef_xw_ok(w, xmlTextWriterEndDocument(w->x));
	xmlFreeTextWriter(w->x); /* flushes and closes the output */
	w->x = NULL;
	xmlSetStructuredErrorFunc(w->old_ctx, w->old_fn);
	if (w->full)
		rc = cirt_diag_set(d, -CIRT_ELIMIT, NULL,
				   "the IODEF document would be larger than "
				   "%zu bytes",
				   w->buf.max);
	else if (w->failed)
		rc = cirt_diag_set(d, -CIRT_EINTERNAL, NULL,
				   "the XML writer failed");
	else if (w->buf.len > out->max - out->len)
		rc = cirt_diag_set(d, -CIRT_ELIMIT, NULL,
				   "the IODEF document (%zu bytes) does not "
				   "fit in the output",
				   w->buf.len);
	else
		rc = cirt_buf_add(out, w->buf.data, w->buf.len);
	cirt_buf_release(&w->buf);
	return rc;
}
