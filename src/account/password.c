/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Argon2id password hashing. See account/password.h.
 */
#include "account/password.h"

#include <pthread.h>
#include <string.h>

#include <argon2.h>

#include "core/crypto.h"
#include "core/log.h"
#include "core/text.h"
#include "core/banned.h"

#define T_COST	    2
#define M_COST_KIB  19456
#define PARALLELISM 1
#define SALT_LEN    16
#define HASH_LEN    32

int cirt_password_check_policy(const char *pw, size_t len, struct cirt_diag *d)
{
	return cirt_text_check_line(pw, len, CIRT_PASSWORD_MIN,
				    CIRT_PASSWORD_MAX, "password", d);
}

int cirt_password_hash(const char *pw, size_t len,
		       char out[CIRT_PASSWORD_HASH_MAX], struct cirt_diag *d)
{
	unsigned char salt[SALT_LEN];
	int rc;

	cirt_random_bytes(salt, sizeof(salt));
	rc = argon2id_hash_encoded(T_COST, M_COST_KIB, PARALLELISM, pw, len,
				   salt, sizeof(salt), HASH_LEN, out,
				   CIRT_PASSWORD_HASH_MAX);
	if (rc != ARGON2_OK)
		return cirt_diag_set(d, -CIRT_EINTERNAL, "password",
				     "argon2id: %s", argon2_error_message(rc));
	return 0;
}

bool cirt_password_verify(const char *encoded, const char *pw, size_t len)
{
	return argon2id_verify(encoded, pw, len) == ARGON2_OK;
}

static char dummy_hash[CIRT_PASSWORD_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	if (cirt_password_hash("cirtkit-dummy-password", 22, dummy_hash, NULL) <
	    0)
		cirt_fatalx("cannot compute the dummy password hash");
}

void cirt_password_burn(const char *pw, size_t len)
{
	pthread_once(&dummy_once, make_dummy);
	(void)cirt_password_verify(dummy_hash, pw, len);
}

void cirt_password_generate(char out[CIRT_PASSWORD_GEN_LEN + 1])
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
	const unsigned n = sizeof(alphabet) - 1; /* 31 */
	unsigned char b;
	size_t i = 0;

	while (i < CIRT_PASSWORD_GEN_LEN) {
		cirt_random_bytes(&b, 1);
		if (b >= 256 - 256 % n) /* reject to keep it uniform */
			continue;
		out[i++] = alphabet[b % n];
	}
	out[i] = '\0';
}
