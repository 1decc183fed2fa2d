/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Socket addresses: parsing a listen address ("127.0.0.1:8080",
 * "[::1]:8443", "localhost:0") and telling whether it is a loopback one.
 *
 * Layer: os. Thread-safe.
 */
#ifndef CIRT_OS_NET_H
#define CIRT_OS_NET_H

#include <stdbool.h>
#include <sys/socket.h>

#include "core/err.h"

/* Resolve HOST:PORT into *ss. 0 or -CIRT_EINVAL naming field. */
int cirt_net_parse_hostport(const char *s, const char *field,
			    struct sockaddr_storage *ss, socklen_t *len,
			    struct cirt_diag *d) CIRT_MUST_CHECK;

/* True for 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
bool cirt_net_is_loopback(const struct sockaddr *sa);

/* Numeric text of the address (no port) into out. */
void cirt_net_addr_text(const struct sockaddr *sa, char *out, size_t n);

#endif
