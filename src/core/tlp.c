/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * TLP levels. See core/tlp.h.
 */
#include "core/tlp.h"

#include <strings.h>

#include "core/banned.h"

static const char *const names[CIRT_TLP_COUNT] = {
	"clear", "green", "amber", "amber+strict", "red",
};

static const char *const labels[CIRT_TLP_COUNT] = {
	"TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED",
};

const char *cirt_tlp_name(enum cirt_tlp t)
{
	return t >= 0 && t < CIRT_TLP_COUNT ? names[t] : "none";
}

const char *cirt_tlp_label(enum cirt_tlp t)
{
	return t >= 0 && t < CIRT_TLP_COUNT ? labels[t] : "none";
}

int cirt_tlp_parse(const char *s, enum cirt_tlp *out)
{
	if (strncasecmp(s, "TLP:", 4) == 0)
		s += 4;
	if (strcasecmp(s, "white") == 0) {
		*out = CIRT_TLP_CLEAR;
		return 0;
	}
	for (int i = 0; i < CIRT_TLP_COUNT; i++) {
		if (strcasecmp(s, names[i]) == 0) {
			*out = (enum cirt_tlp)i;
			return 0;
		}
	}
	return -CIRT_EINVAL;
}

enum cirt_tlp cirt_tlp_max(enum cirt_tlp a, enum cirt_tlp b)
{
	return a > b ? a : b;
}
