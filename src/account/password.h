/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Passwords: the policy, Argon2id hashing (libargon2, RFC 9106 with the
 * OWASP parameters m=19 MiB, t=2, p=1), verification, and generation of
 * random passwords for new accounts. Hashes are stored in the encoded
 * "$argon2id$v=19$m=...,t=...,p=...$salt$hash" form, so parameters can
 * change later without breaking old hashes.
 *
 * Layer: account. Thread-safe. Each hash or verify costs about 19 MiB and
 * tens of milliseconds, on purpose: API clients should use tokens.
 */
#ifndef CIRT_ACCOUNT_PASSWORD_H
#define CIRT_ACCOUNT_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define CIRT_PASSWORD_MIN      12
#define CIRT_PASSWORD_MAX      1024
#define CIRT_PASSWORD_HASH_MAX 160
#define CIRT_PASSWORD_GEN_LEN  20

/* Length 12 to 1024 bytes, valid UTF-8, no control characters, no
 * surrounding white space. 0 or -CIRT_EINVAL naming "password". */
int cirt_password_check_policy(const char *pw, size_t len, struct cirt_diag *d);

/* Hash pw with a fresh random salt into out. */
int cirt_password_hash(const char *pw, size_t len,
		       char out[CIRT_PASSWORD_HASH_MAX], struct cirt_diag *d);

/* True if pw matches the encoded hash. */
bool cirt_password_verify(const char *encoded, const char *pw, size_t len);

/* Spend the time of one verification, so that a login for a user who does
 * not exist takes as long as one who does. */
void cirt_password_burn(const char *pw, size_t len);

/* A random password of CIRT_PASSWORD_GEN_LEN characters (about 99 bits)
 * from an alphabet without look-alike characters. */
void cirt_password_generate(char out[CIRT_PASSWORD_GEN_LEN + 1]);

#endif
