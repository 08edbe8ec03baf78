/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replaying a dm-log-writes log in a VM, seen from the host: the checks
 * of the inputs before any boot, the guest's images (the poisoned target,
 * the snapshot store), the agent's command line, the report it leaves and,
 * on request, the failing crash states rebuilt on the host. What `lwfuzz
 * replay` and `lwfuzz repro` share.
 */
#ifndef LWFUZZ_REPLAY_VM_H
#define LWFUZZ_REPLAY_VM_H

#include "setup/layout.h"

struct replay_vm_opts {
	const char *variant; /* the kernel variant to replay in */
	const char *log; /* the log file (never written) */
	const char *image; /* the device before the log, or NULL */
	const char *points, *start, *end; /* NULL: the agent's defaults */
	const char *keep; /* rebuild the failing states here, or NULL */
	unsigned long long device_bytes; /* 0: from the log or the image */
	unsigned int timeout_s;
	int fsck;
	int no_share; /* a mount per crash state (benchmarks, A/B checks) */
	/*
	 * VMs that check equal parts of the crash points at once (0 or 1:
	 * one VM). One kernel cannot mount two views of one btrfs at once,
	 * so more CPUs need more kernels.
	 */
	unsigned int jobs;
	unsigned int cpus; /* vCPUs per VM; 0: vm.c's default */
};

/*
 * Replay @o->log in a VM and check every crash state. Returns 0 every
 * state passed, 1 a check failed, 2 error (printed); *@report gets the
 * JSON report (malloc'ed) whenever the guest left one.
 */
int replay_vm(const struct layout *l, struct replay_vm_opts *o, char **report);

#endif
