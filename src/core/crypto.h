/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The few cryptographic primitives the core needs: the kernel's random
 * generator, SHA-256 (OpenSSL libcrypto), hex encoding and a constant-time
 * comparison. Password hashing lives in account/password.h.
 *
 * Layer: core. Thread-safe.
 */
#ifndef CIRT_CORE_CRYPTO_H
#define CIRT_CORE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CIRT_SHA256_LEN	    32
#define CIRT_SHA256_HEX_LEN (2 * CIRT_SHA256_LEN + 1)

/* Fill p with n bytes from getrandom(2); aborts if the kernel cannot. */
void cirt_random_bytes(void *p, size_t n);

/* out = SHA-256(p[0..n)). */
void cirt_sha256(const void *p, size_t n, unsigned char out[CIRT_SHA256_LEN]);

/* SHA-256 of what is left to read from fd, read in 64 KiB pieces, as
 * lowercase hex. 0, or -CIRT_EIO if reading fails. */
int cirt_sha256_fd_hex(int fd, char out[CIRT_SHA256_HEX_LEN]);

/* p[0..n) in base64 (RFC 4648, with padding, no line breaks), as a
 * NUL-terminated string to free(). */
char *cirt_base64_encode(const void *p, size_t n);

/* out = HMAC-SHA-256 of p[0..n) under key[0..key_len). */
void cirt_hmac_sha256(const void *key, size_t key_len, const void *p, size_t n,
		      unsigned char out[CIRT_SHA256_LEN]);

/* SHA-256 as lower-case hex, NUL-terminated. */
void cirt_sha256_hex(const void *p, size_t n, char out[CIRT_SHA256_HEX_LEN]);

/* Lower-case hex of n bytes into out (2n + 1 bytes, NUL-terminated). */
void cirt_hex_encode(const unsigned char *p, size_t n, char *out);

/* SipHash (Aumasson and Bernstein, 2012) of p[0..n) under the 128-bit
 * key k0, k1 with c compression and d finalisation rounds: a keyed
 * function whose outputs an attacker who does not know the key cannot
 * make collide. SipHash-1-3 (c 1, d 3) keys hash tables; SipHash-2-4 is
 * the original. */
uint64_t cirt_siphash(uint64_t k0, uint64_t k1, int c, int d, const void *p,
		      size_t n);

/* True if the n bytes at a and b are equal; time independent of content. */
bool cirt_ct_equal(const void *a, const void *b, size_t n);

#endif
