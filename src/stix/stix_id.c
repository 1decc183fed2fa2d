/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Placeholder: written by the STIX validator work.
 */
#include "stix/stix.h"
#include "core/banned.h"
