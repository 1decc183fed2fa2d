/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Files compiled into the binary by tools/embed.c (migrations now, web
 * assets later). Each set is an array of entries in the order the build
 * listed the files, each NUL-terminated after len bytes.
 *
 * Layer: core. Read-only data.
 */
#ifndef CIRT_CORE_EMBED_H
#define CIRT_CORE_EMBED_H

#include <stddef.h>

struct cirt_embed_file {
	const char *name; /* base name, such as "0001_accounts.sql" */
	const char *data;
	size_t len;
};

#endif
