/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `lwfuzz exec` inside: one execution of a workload file in the
 * campaign's serving VM, as AFL++'s target (exec_target.c says how the
 * outcome reaches AFL++).
 */
#ifndef LWFUZZ_EXEC_TARGET_H
#define LWFUZZ_EXEC_TARGET_H

/*
 * Run @workload_path in the VM serving on @socket_path. Returns 0 (a
 * pass, or not a workload: nothing to run) or 2 (unreadable); aborts on a
 * failed check or a guest that died, hung or did not answer.
 */
int exec_target(const char *socket_path, const char *workload_path);

#endif
