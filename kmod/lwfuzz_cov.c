// SPDX-License-Identifier: GPL-2.0
/*
 * lwfuzz's btrfs coverage collector, linked into btrfs.ko by lwfuzz setup.
 * Every other object of the module is compiled with
 * -fsanitize-coverage=trace-pc, so each basic block calls
 * __sanitizer_cov_trace_pc(); Debian's kernel has no KCOV, and this keeps
 * coverage inside the one module under test without a kernel rebuild.
 *
 * Edges are hashed the way AFL++ hashes them: the block's location xor the
 * previous block's shifted by one, into a 64 KiB map of hit counts. A
 * location is the block's offset from this function, so it is the same on
 * every load of the same btrfs.ko whatever address the module got.
 *
 * Only task context counts (as with KCOV): an interrupt's blocks would cut
 * into the edges of the task it interrupted. The blocks a registered
 * workload thread runs are also marked in that thread's own bitmap of
 * 16-byte granules of the module's text, which the agent maps back to
 * functions: the functions two racing threads both run are where a delay
 * can change their interleaving. Only the thread itself writes its
 * bitmap. The previous block is kept
 * per CPU, not per task (a module cannot add a field to task_struct): a
 * task switch between two btrfs blocks on one CPU makes one edge across
 * tasks. The map and the previous block are written without locks; a lost
 * update miscounts one hit, which coverage can afford and a lock in every
 * basic block cannot.
 */
#include <linux/hash.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched.h>

#include "lwfuzz_cov.h"

struct lwfuzz_cov_area lwfuzz_cov_area;
EXPORT_SYMBOL_GPL(lwfuzz_cov_area);

static DEFINE_PER_CPU(u32, lwfuzz_cov_prev);

void notrace __sanitizer_cov_trace_pc(void);

void notrace __sanitizer_cov_trace_pc(void)
{
	unsigned long off;
	u32 cur, *prev;
	u8 *slot;

	if (!READ_ONCE(lwfuzz_cov_area.on) || !in_task())
		return;
	off = _RET_IP_ - (unsigned long)__sanitizer_cov_trace_pc;
	cur = hash_32((u32)off, LWFUZZ_COV_BITS);
	prev = raw_cpu_ptr(&lwfuzz_cov_prev);
	slot = &lwfuzz_cov_area.map[cur ^ *prev];
	if (*slot != 0xff)
		(*slot)++;
	*prev = cur >> 1;
	for (int t = 0; t < LWFUZZ_COV_THREADS; t++) {
		unsigned long g;

		if (READ_ONCE(lwfuzz_cov_area.pids[t]) != current->pid)
			continue;
		g = (off + LWFUZZ_COV_BIAS) >> LWFUZZ_COV_GRANULE_SHIFT;
		if (g < LWFUZZ_COV_GRANULES)
			lwfuzz_cov_area.threads[t][g / 8] |= 1u << (g % 8);
		break;
	}
}
