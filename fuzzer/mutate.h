/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Structure-aware mutation of workloads, for the AFL++ custom mutator:
 * operations are inserted (fresh or copied), deleted, swapped, moved
 * between threads, forked into a concurrent thread behind a fresh barrier
 * pair, one field changed (offsets and lengths along block boundaries or
 * to values other operations use, flags and modes flipped), threads
 * spliced in from another workload, and delays at btrfs functions put
 * into a thread or moved to another site, time or hit. Every mutant is
 * valid.
 */
#ifndef LWFUZZ_MUTATE_H
#define LWFUZZ_MUTATE_H

#include <stdint.h>

#include "lib/workload.h"

/*
 * The delay sites the mutator may put a "delay" at (ids, lib/delay_site.h),
 * in the table's order: neighbours are functions of one family
 * (btrfs_log_*). Without them a delay keeps its site and no new one is
 * made. @ids is kept, not copied.
 */
void wl_mutate_sites(const uint32_t *ids, unsigned int n);
/*
 * The thread sites of the workload about to be mutated, per thread: the
 * btrfs functions it ran (ids), the first @nshared another thread ran
 * too (race sites). A delay made for or moved within a thread with sites
 * goes to one of them three times in four (a third of those a race site,
 * the rest one only that thread ran), so it stops where that thread
 * goes. NULL: none known. Kept, not copied.
 */
struct wl_thread_sites {
	const uint32_t *ids;
	unsigned int n, nshared;
};

void wl_mutate_thread_sites(const struct wl_thread_sites *ts);

/* A small PRNG state (xorshift64*); never 0. */
uint64_t mut_rand(uint64_t *state);

/*
 * Apply 1 to 4 random mutations to @w (mostly one). @other (may be NULL)
 * is a second workload to splice from. @w stays valid (wl_validate
 * passes). Returns -1, leaving @w as it was, when the mutant's barriers
 * could deadlock; the caller tries again.
 */
int wl_mutate(struct workload *w, uint64_t *rng, const struct workload *other);

/*
 * The deterministic stage, run once on every queue entry beside random
 * mutation (the structural counterpart of AFL's bit flips). First the
 * delay stage, when the thread sites set by wl_mutate_thread_sites() show
 * two threads that ran btrfs code while racing: each such thread stopped
 * for 200 ms at the first entry of each function only it ran (at most 64,
 * evenly spread, coarse to fine; the threads take turns, those that nap
 * first after their barrier last), armed right after its first barrier:
 * a preemption at each step of its own operations, one at a time, for
 * the other threads to run into. Then each durability point forked into
 * a racing thread one or two operations early, 50 ms late or at once, run once before
 * the race too or not (mutate.c, sync_forks), then every other value
 * of each operation's flags (open flags, direct or buffered, fallocate
 * mode). The count and the mutants depend on the thread sites set.
 */
unsigned int wl_det_count(const struct workload *w);
/* Turn @w into deterministic mutant @k: 1, or 0/-1 (left unchanged). */
int wl_det_mutant(struct workload *w, unsigned int k);
/*
 * Whether, once its threads race (after their first barrier), one
 * thread's durability point may run while another thread changes what it
 * promises (the file, an entry of the directory, anything for sync): the
 * races lwfuzz's oracle can catch. PROMISE_FSYNC when a file's or
 * directory's own point (fsync, fdatasync) is raced: btrfs logs those
 * in its log tree, the fast path most of its fsync fixes are in;
 * PROMISE_SYNC when only sync or syncfs is (a whole transaction commit).
 */
enum promise_race { PROMISE_NONE, PROMISE_SYNC, PROMISE_FSYNC };

int wl_races_a_promise(const struct workload *w);
/*
 * 1 when deterministic mutant @k of @src (made as @mutant) is a
 * durability point forked the stage's first way (persisted, napping, one
 * operation back) that races a promise more than @src did: a race worth
 * its delay stage whether or not AFL++ keeps the mutant (without a
 * delay it seldom races, so it seldom covers anything new).
 */
int wl_det_new_race(const struct workload *src, unsigned int k,
		    const struct workload *mutant);
/* The delay stage alone: the first wl_delay_stage_count() of those. */
unsigned int wl_delay_stage_count(const struct workload *w);
int wl_delay_stage_mutant(struct workload *w, unsigned int k);
/* The delay site (lib/delay_site.h) delay-stage mutant @k stops at; 0: none. */
uint32_t wl_delay_stage_site(const struct workload *w, unsigned int k);

#endif
