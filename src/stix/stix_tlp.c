/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * TLP levels and marking ids. See stix/stix_tlp.h.
 */
#include "stix/stix_tlp.h"

#include <string.h>

#include "core/compiler.h"
#include "core/tlp.h"
#include "core/banned.h"

static const struct {
	const char *id;
	enum cirt_tlp level;
} markings[] = {
	/* TLP 2.0, OASIS cti-stix-common-objects (first: the canonical). */
	{"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
	 CIRT_TLP_CLEAR},
	{"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
	 CIRT_TLP_GREEN},
	{"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
	 CIRT_TLP_AMBER},
	{"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
	 CIRT_TLP_AMBER_STRICT},
	{"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
	 CIRT_TLP_RED},
	/* TLP 1.0, STIX 2.1 section 7.2.1.4. */
	{"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
	 CIRT_TLP_CLEAR},
	{"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
	 CIRT_TLP_GREEN},
	{"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
	 CIRT_TLP_AMBER},
	{"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
	 CIRT_TLP_RED},
};

enum cirt_tlp cirt_tlp_of_marking(const char *marking_id)
{
	for (size_t i = 0; i < CIRT_ARRAY_LEN(markings); i++)
		if (strcmp(marking_id, markings[i].id) == 0)
			return markings[i].level;
	return CIRT_TLP_NONE;
}

const char *cirt_tlp_marking_id(enum cirt_tlp t)
{
	return t >= 0 && t < CIRT_TLP_COUNT ? markings[t].id : NULL;
}

json_t *cirt_tlp_marking_object(enum cirt_tlp t)
{
	if (t < 0 || t >= CIRT_TLP_COUNT)
		return NULL;
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:{s:s, s:s}}}", "type",
			 "marking-definition", "spec_version", "2.1", "id",
			 markings[t].id, "created", "2022-10-01T00:00:00.000Z",
			 "name", cirt_tlp_label(t), "extensions",
			 "extension-definition--60a3c5c5-0d10-413e-aab3-"
			 "9e08dde9e88d",
			 "extension_type", "property-extension", "tlp_2_0",
			 cirt_tlp_name(t));
}
