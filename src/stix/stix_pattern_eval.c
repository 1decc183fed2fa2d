/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Placeholder: written by the STIX patterning work (evaluation).
 */
#include "stix/stix_pattern.h"

#include "core/banned.h"
