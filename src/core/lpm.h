/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Longest-prefix match over IPv4 and IPv6 prefixes (struct cirt_ip), each
 * carrying a 64-bit value. Built once, then read by any number of
 * threads: one open-addressing hash table per prefix length in use, and a
 * lookup probes the lengths in use from the longest down, so it costs one
 * hash probe per distinct length (a national registry has a dozen).
 *
 * Layer: core. Adding is single-threaded; lookups on a built table are
 * thread-safe. Memory: about 40 bytes per prefix.
 */
#ifndef CIRT_CORE_LPM_H
#define CIRT_CORE_LPM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ip.h"

struct cirt_lpm;

struct cirt_lpm *cirt_lpm_new(void);
void cirt_lpm_free(struct cirt_lpm *t);

/* Add prefix with value. Adding the same prefix again replaces its value
 * (the caller decides which wins). */
void cirt_lpm_add(struct cirt_lpm *t, const struct cirt_ip *prefix,
		  uint64_t value);

/* The value of the longest prefix containing addr, in *value, and its
 * length in *len if len is not NULL; false if none does. */
bool cirt_lpm_find(const struct cirt_lpm *t, const struct cirt_ip *addr,
		   uint64_t *value, unsigned *len);

/* Number of prefixes. */
size_t cirt_lpm_count(const struct cirt_lpm *t);

#endif
