/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Randomness, SHA-256 and helpers. See core/crypto.h.
 */
#include "core/crypto.h"

#include <errno.h>
#include <sys/random.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/err.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/banned.h"

void cirt_random_bytes(void *p, size_t n)
{
	unsigned char *b = p;
	ssize_t got;

	while (n > 0) {
		got = getrandom(b, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			cirt_fatal("getrandom");
		}
		b += got;
		n -= (size_t)got;
	}
}

void cirt_sha256(const void *p, size_t n, unsigned char out[CIRT_SHA256_LEN])
{
	unsigned int len = 0;

	if (EVP_Digest(p, n, out, &len, EVP_sha256(), NULL) != 1 ||
	    len != CIRT_SHA256_LEN)
		cirt_fatalx("SHA-256 failed in libcrypto");
}

int cirt_sha256_fd_hex(int fd, char out[CIRT_SHA256_HEX_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[CIRT_SHA256_LEN];
	unsigned int len = 0;
	char buf[65536];
	ssize_t n;

	if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		cirt_fatalx("SHA-256 failed in libcrypto");
	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			EVP_MD_CTX_free(ctx);
			return -CIRT_EIO;
		}
		if (EVP_DigestUpdate(ctx, buf, (size_t)n) != 1)
			cirt_fatalx("SHA-256 failed in libcrypto");
	}
	if (EVP_DigestFinal_ex(ctx, md, &len) != 1 || len != CIRT_SHA256_LEN)
		cirt_fatalx("SHA-256 failed in libcrypto");
	EVP_MD_CTX_free(ctx);
	cirt_hex_encode(md, sizeof md, out);
	return 0;
}

char *cirt_base64_encode(const void *p, size_t n)
{
	char *out = cirt_xmalloc(4 * ((n + 2) / 3) + 1);
	size_t done = 0, at = 0;

	/* EVP_EncodeBlock takes an int: go in pieces of 3 MiB. */
	while (done < n) {
		size_t piece = n - done > (3u << 20) ? (3u << 20) : n - done;

		at += (size_t)EVP_EncodeBlock((unsigned char *)out + at,
					      (const unsigned char *)p + done,
					      (int)piece);
		done += piece;
	}
	out[at] = '\0';
	return out;
}

void cirt_hmac_sha256(const void *key, size_t key_len, const void *p, size_t n,
		      unsigned char out[CIRT_SHA256_LEN])
{
	unsigned int len = 0;

	if (HMAC(EVP_sha256(), key, (int)key_len, p, n, out, &len) == NULL ||
	    len != CIRT_SHA256_LEN)
		cirt_fatalx("HMAC-SHA-256 failed in libcrypto");
}

void cirt_sha256_hex(const void *p, size_t n, char out[CIRT_SHA256_HEX_LEN])
{
	unsigned char md[CIRT_SHA256_LEN];

	cirt_sha256(p, n, md);
	cirt_hex_encode(md, sizeof(md), out);
}

void cirt_hex_encode(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

bool cirt_ct_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

static uint64_t rotl(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

struct sip {
	uint64_t v0, v1, v2, v3;
};

static void sip_rounds(struct sip *s, int n)
{
	for (int i = 0; i < n; i++) {
		s->v0 += s->v1;
		s->v1 = rotl(s->v1, 13) ^ s->v0;
		s->v0 = rotl(s->v0, 32);
		s->v2 += s->v3;
		s->v3 = rotl(s->v3, 16) ^ s->v2;
		s->v0 += s->v3;
		s->v3 = rotl(s->v3, 21) ^ s->v0;
		s->v2 += s->v1;
		s->v1 = rotl(s->v1, 17) ^ s->v2;
		s->v2 = rotl(s->v2, 32);
	}
}

static void sip_word(struct sip *s, uint64_t m, int c)
{
	s->v3 ^= m;
	sip_rounds(s, c);
	s->v0 ^= m;
}

/* Little-endian, whatever the machine. */
static uint64_t le64(const unsigned char *b, size_t n)
{
	uint64_t w = 0;

	for (size_t i = n; i > 0; i--)
		w = w << 8 | b[i - 1];
	return w;
}

uint64_t cirt_siphash(uint64_t k0, uint64_t k1, int c, int d, const void *p,
		      size_t n)
{
	const unsigned char *b = p;
	struct sip s = {
		k0 ^ UINT64_C(0x736f6d6570736575),
		k1 ^ UINT64_C(0x646f72616e646f6d),
		k0 ^ UINT64_C(0x6c7967656e657261),
		k1 ^ UINT64_C(0x7465646279746573),
	};
	size_t i = 0;

	for (; i + 8 <= n; i += 8)
		sip_word(&s, le64(b + i, 8), c);
	sip_word(&s, le64(b + i, n - i) | (uint64_t)(n & 0xff) << 56, c);
	s.v2 ^= 0xff;
	sip_rounds(&s, d);
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}
