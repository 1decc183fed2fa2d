/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Harness: an IODEF-Document as a partner sends it: the XML parser with
 * its DOCTYPE refusal, the rules checked without a schema, the mapping
 * into struct cirt_iodef_doc. What reads is then written again, and what
 * the writer accepts must read back and write to the same bytes: the
 * writer's output is a fixed point (abort otherwise).
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "fuzz.h"
#include "iodef/iodef.h"

static void round_trip(const struct cirt_iodef_doc *doc)
{
	struct cirt_buf one, two;
	struct cirt_iodef_doc back;
	struct cirt_diag d;

	cirt_buf_init(&one, CIRT_IODEF_MAX_BYTES);
	cirt_buf_init(&two, CIRT_IODEF_MAX_BYTES);
	cirt_diag_init(&d);
	/* The writer may refuse what it read (an ext-value category, a
	 * time at the epoch, a lang that is not a language tag). */
	if (cirt_iodef_write(doc, &one, &d) == 0) {
		if (cirt_iodef_read(one.data, one.len, NULL, &back, NULL, &d) !=
		    0)
			abort();
		if (cirt_iodef_write(&back, &two, &d) != 0 ||
		    two.len != one.len ||
		    memcmp(one.data, two.data, one.len) != 0)
			abort();
		cirt_iodef_doc_release(&back);
	}
	cirt_buf_release(&one);
	cirt_buf_release(&two);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *errors = json_array();
	struct cirt_iodef_doc doc;
	struct cirt_diag d;

	cirt_iodef_setup();
	cirt_diag_init(&d);
	if (cirt_iodef_read((const char *)data, size, NULL, &doc, errors, &d) ==
	    0) {
		round_trip(&doc);
		cirt_iodef_doc_release(&doc);
	}
	json_decref(errors);
	return 0;
}
