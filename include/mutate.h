/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Structure-aware mutation of workloads, for the AFL++ custom mutator:
 * operations are inserted (fresh or copied), deleted, swapped, moved
 * between threads, forked into a concurrent thread behind a fresh barrier
 * pair, one field changed (offsets and lengths along block boundaries or
 * to values other operations use, flags and modes flipped), and threads
 * spliced in from another workload. Every mutant is valid.
 */
#ifndef LWFUZZ_MUTATE_H
#define LWFUZZ_MUTATE_H

#include <stdint.h>

#include "workload.h"

/* A small PRNG state (xorshift64*); never 0. */
uint64_t mut_rand(uint64_t *state);

/*
 * Apply 1 to 4 random mutations to @w (mostly one). @other (may be NULL)
 * is a second workload to splice from. @w stays valid (wl_validate
 * passes). Returns -1, leaving @w as it was, when the mutant's barriers
 * could deadlock; the caller tries again.
 */
int wl_mutate(struct workload *w, uint64_t *rng, const struct workload *other);

#endif
