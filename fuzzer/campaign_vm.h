/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The campaign's VM: one guest serving executions on a Unix socket, which
 * is restarted when it dies (kernel panic or oops) or loses an execution
 * (a thread stuck in the kernel, no answer). `lwfuzz exec` and the
 * campaign meet in the VM directory:
 *   ready        the guest serves: executions connect only while it exists
 *   current.bin  the workload being executed (written before it is sent)
 *   lost         `lwfuzz exec` got no answer for current.bin
 *   executions   a line per execution: "STATUS CRASH-STATES"
 */
#ifndef LWFUZZ_FUZZ_VM_H
#define LWFUZZ_FUZZ_VM_H

#include <sys/types.h>

#include "setup/layout.h"

struct fuzz_vm {
	const struct layout *l;
	const char *variant;
	int delay_ms; /* < 0: leave the knob alone */
	const char *test_fault; /* test only: "panic:ID" or "hang:ID" */
	char *dir; /* the VM directory */
	char *sock; /* dir/ctl.sock */
	char *console; /* dir/console.txt: the last incarnation's console */
	char *output; /* the agent's output, appended over incarnations */
	char *disks[4];
	unsigned int timeout_s; /* bound on one incarnation */
	unsigned int op_timeout_s; /* the agent's bound on one workload */
	unsigned int restarts;
	pid_t pid;
	int exit_status; /* of the last incarnation that ended */
	int lost; /* the campaign itself got no answer (no "lost" file needed) */
};

/* Create the directory, the disks and boot; 0 once the guest serves. */
int fuzz_vm_init(struct fuzz_vm *vm, const struct layout *l, const char *dir,
		 const char *output);

/*
 * 1 when the guest died or lost an execution (then it is stopped and
 * vm->exit_status says how it ended: VM_EXIT_CRASHED for a panic), else 0.
 */
int fuzz_vm_failed(struct fuzz_vm *vm);

/* Boot a new incarnation after a failure; executions wait meanwhile. */
int fuzz_vm_restart(struct fuzz_vm *vm);

/* Stop serving and shut down (politely, then by force); remove the disks. */
void fuzz_vm_shutdown(struct fuzz_vm *vm);

#endif
