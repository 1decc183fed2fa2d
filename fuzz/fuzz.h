/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * The libFuzzer entry point every harness defines. Built against
 * fuzz/replay.c in every build (the corpus becomes regression tests), or
 * against libFuzzer with -Dfuzzing=true and clang. See fuzz/README.md.
 */
#ifndef CIRT_FUZZ_H
#define CIRT_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
