/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Error names and the diagnostic setter. See core/err.h.
 */
#include "core/err.h"

#include <stdio.h>
#include <string.h>

#include "core/text.h"
#include "core/banned.h"

static const char *const err_names[CIRT_ERR_COUNT] = {
	[CIRT_OK] = "ok",
	[CIRT_EINVAL] = "invalid",
	[CIRT_ELIMIT] = "too_large",
	[CIRT_ENOTFOUND] = "not_found",
	[CIRT_ECONFLICT] = "conflict",
	[CIRT_EPERM] = "forbidden",
	[CIRT_EAUTH] = "unauthorized",
	[CIRT_EMEDIA] = "unsupported_media_type",
	[CIRT_EIO] = "unavailable",
	[CIRT_EPROTO] = "protocol",
	[CIRT_EAGAIN] = "busy",
	[CIRT_EINTERNAL] = "internal",
};

void cirt_diag_init(struct cirt_diag *d)
{
	d->code = 0;
	d->field[0] = '\0';
	d->message[0] = '\0';
}

int cirt_diag_vset(struct cirt_diag *d, int code, const char *field,
		   const char *fmt, va_list ap)
{
	if (d == NULL || d->code != 0)
		return code;
	d->code = code;
	snprintf(d->field, sizeof(d->field), "%s", field ? field : "");
	vsnprintf(d->message, sizeof(d->message), fmt, ap);
	cirt_utf8_mend(d->field);
	cirt_utf8_mend(d->message);
	return code;
}

int cirt_diag_set(struct cirt_diag *d, int code, const char *field,
		  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	code = cirt_diag_vset(d, code, field, fmt, ap);
	va_end(ap);
	return code;
}

const char *cirt_err_name(int code)
{
	/* Range first: negating INT_MIN would overflow. */
	if (code <= -CIRT_ERR_COUNT || code >= CIRT_ERR_COUNT)
		return "internal";
	return err_names[code < 0 ? -code : code];
}
