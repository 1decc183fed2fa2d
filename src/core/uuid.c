/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * UUIDs. See core/uuid.h. RFC 4122 sections 4.1.3 (version), 4.1.1
 * (variant), 4.3 (name-based), 4.4 (random).
 */
#include "core/uuid.h"

#include <string.h>

#include <openssl/evp.h>

#include "core/crypto.h"
#include "core/err.h"
#include "core/log.h"
#include "core/text.h"
#include "core/banned.h"

int cirt_uuid_parse(const char *s, size_t len, unsigned char out[16])
{
	size_t j = 0;
	int hi, lo;

	if (len != CIRT_UUID_LEN)
		return -CIRT_EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -CIRT_EINVAL;
			continue;
		}
		hi = cirt_hex_value(s[i]);
		lo = cirt_hex_value(s[i + 1]);
		if (hi < 0 || lo < 0)
			return -CIRT_EINVAL;
		out[j++] = (unsigned char)(hi << 4 | lo);
		i++;
	}
	return 0;
}

bool cirt_uuid_valid(const char *s)
{
	unsigned char u[16];

	return cirt_uuid_parse(s, strnlen(s, CIRT_UUID_LEN + 1), u) == 0;
}

void cirt_uuid_format(const unsigned char u[16], char out[CIRT_UUID_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	size_t j = 0;

	for (size_t i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[j++] = '-';
		out[j++] = hex[u[i] >> 4];
		out[j++] = hex[u[i] & 0x0f];
	}
	out[j] = '\0';
}

/* Set the version nibble and the variant bits 10. */
static void stamp(unsigned char u[16], unsigned version)
{
	u[6] = (unsigned char)((u[6] & 0x0f) | version << 4);
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
}

void cirt_uuid4(char out[CIRT_UUID_LEN + 1])
{
	unsigned char u[16];

	cirt_random_bytes(u, sizeof(u));
	stamp(u, 4);
	cirt_uuid_format(u, out);
}

void cirt_uuid5(const unsigned char ns[16], const void *name, size_t len,
		unsigned char out[16])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, ns, 16) != 1 ||
	    EVP_DigestUpdate(ctx, name, len) != 1 ||
	    EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 || mdlen < 16)
		cirt_fatalx("SHA-1 failed in libcrypto");
	EVP_MD_CTX_free(ctx);
	memcpy(out, md, 16);
	stamp(out, 5);
}
