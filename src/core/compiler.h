/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Compiler attributes and tiny helpers shared by every module: result
 * checking, printf checking, noreturn, array length. Nothing here allocates
 * or has state.
 *
 * Layer: core. Safe from any thread.
 */
#ifndef CIRT_CORE_COMPILER_H
#define CIRT_CORE_COMPILER_H

#if defined(__GNUC__) || defined(__clang__)
#define CIRT_MUST_CHECK	       __attribute__((warn_unused_result))
#define CIRT_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define CIRT_UNUSED	       __attribute__((unused))
#else
#define CIRT_MUST_CHECK
#define CIRT_PRINTF(fmt, args)
#define CIRT_UNUSED
#endif

#define CIRT_NORETURN _Noreturn

/* Number of elements of a true array (not a pointer). */
#define CIRT_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define CIRT_MIN(a, b)	  ((a) < (b) ? (a) : (b))
#define CIRT_MAX(a, b)	  ((a) > (b) ? (a) : (b))

#endif
