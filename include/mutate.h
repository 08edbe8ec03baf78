/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Structure-aware mutation of workloads, for the AFL++ custom mutator:
 * operations are inserted, deleted, swapped, moved between threads,
 * offsets and lengths moved along block boundaries, flags flipped, and
 * threads spliced in from another workload. Every mutant is valid.
 */
#ifndef LWFUZZ_MUTATE_H
#define LWFUZZ_MUTATE_H

#include <stdint.h>

#include "workload.h"

/* A small PRNG state (xorshift64*); never 0. */
uint64_t mut_rand(uint64_t *state);

/*
 * Apply 1 to 4 random mutations to @w. @other (may be NULL) is a second
 * workload to splice from. @w stays valid (wl_validate passes).
 */
void wl_mutate(struct workload *w, uint64_t *rng, const struct workload *other);

#endif
