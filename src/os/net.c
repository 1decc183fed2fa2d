/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Address parsing. See os/net.h.
 */
#include "os/net.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "core/parse.h"
#include "core/banned.h"

int cirt_net_parse_hostport(const char *s, const char *field,
			    struct sockaddr_storage *ss, socklen_t *len,
			    struct cirt_diag *d)
{
	struct addrinfo hints = {0}, *res = NULL;
	char host[256];
	const char *colon, *port, *h = s;
	int64_t num;
	size_t hl;
	int rc;

	if (s[0] == '[') {
		colon = strstr(s, "]:");
		h = s + 1;
		hl = colon ? (size_t)(colon - h) : 0;
		port = colon ? colon + 2 : NULL;
	} else {
		colon = strrchr(s, ':');
		hl = colon ? (size_t)(colon - s) : 0;
		port = colon ? colon + 1 : NULL;
	}
	/* The port is checked here: getaddrinfo() takes 65536 as 0. */
	if (port == NULL || hl == 0 || hl >= sizeof(host) ||
	    cirt_parse_i64(port, 0, 65535, &num) < 0)
		return cirt_diag_set(d, -CIRT_EINVAL, field,
				     "%s must be HOST:PORT with a port from 0 "
				     "to 65535 (such as 127.0.0.1:8080 or "
				     "[::1]:8443), not '%s'",
				     field, s);
	memcpy(host, h, hl);
	host[hl] = '\0';
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc != 0)
		return cirt_diag_set(d, -CIRT_EINVAL, field, "%s '%s': %s",
				     field, s, gai_strerror(rc));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

bool cirt_net_is_loopback(const struct sockaddr *sa)
{
	const struct sockaddr_in6 *s6;
	const struct sockaddr_in *s4;

	if (sa->sa_family == AF_INET) {
		s4 = (const struct sockaddr_in *)(const void *)sa;
		return (ntohl(s4->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		s6 = (const struct sockaddr_in6 *)(const void *)sa;
		if (IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr))
			return true;
		return IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr) &&
		       s6->sin6_addr.s6_addr[12] == 127;
	}
	return false;
}

void cirt_net_addr_text(const struct sockaddr *sa, char *out, size_t n)
{
	const void *a = NULL;

	if (sa->sa_family == AF_INET)
		a = &((const struct sockaddr_in *)(const void *)sa)->sin_addr;
	else if (sa->sa_family == AF_INET6)
		a = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
	if (a == NULL || inet_ntop(sa->sa_family, a, out, (socklen_t)n) == NULL)
		snprintf(out, n, "unknown");
}
