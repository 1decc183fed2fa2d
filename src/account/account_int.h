/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Private to src/account: the SQL fragment and reader that turn a user row
 * joined with its organisation into a principal. Token, session and
 * password authentication all select these columns first, in this order.
 */
#ifndef CIRT_ACCOUNT_INT_H
#define CIRT_ACCOUNT_INT_H

#include <stdbool.h>

#include "account/authz.h"
#include "store/db.h"

#define CIRT_PRINCIPAL_COLS \
	"u.id, u.name, u.role, u.disabled, o.id, o.name, o.kind"
#define CIRT_PRINCIPAL_NCOLS 7
#define CIRT_PRINCIPAL_JOIN  " JOIN orgs o ON o.id = u.org_id "

/* Fill p from columns col .. col + 6; returns true if the user is
 * disabled. p->via and p->cred_id are left to the caller. */
bool cirt_principal_read(struct cirt_stmt *s, int col,
			 struct cirt_principal *p);

#endif
