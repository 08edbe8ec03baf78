/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The btrfs coverage of one execution, as the agent takes it from
 * lwfuzz.ko's /proc/lwfuzz/cov: started when the workload's file system is
 * mounted, stopped after the last crash state was checked, so it holds
 * what btrfs did for the workload and for replaying its crash states.
 */
#ifndef LWFUZZ_AGENT_COV_H
#define LWFUZZ_AGENT_COV_H

#include <stdint.h>

#include "lib/cov_map.h"

/* Clear and start; 0, or -1 when this btrfs.ko has no coverage. */
int agent_cov_begin(void);
/* Stop and read into @bits; the edges, or -1 when there was none. */
int agent_cov_end(uint8_t bits[COV_BYTES]);

#endif
