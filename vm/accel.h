/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which accelerator QEMU runs the guest with: KVM where this machine's
 * /dev/kvm can boot a stock kernel, else TCG (software emulation). The
 * decision is made once per process and handed to child processes in
 * LWFUZZ_ACCEL, so a campaign's VMs, its `lwfuzz exec` and a finding's
 * record all run the same way.
 */
#ifndef LWFUZZ_VM_ACCEL_H
#define LWFUZZ_VM_ACCEL_H

#include <stddef.h>

enum vm_accel {
	VM_ACCEL_AUTO, /* KVM if the probe passes, else TCG */
	VM_ACCEL_TCG,
	VM_ACCEL_KVM,
};

/* "auto", "tcg", "kvm" -> @a; -1 on anything else. */
int vm_accel_parse(const char *s, enum vm_accel *a);
const char *vm_accel_name(enum vm_accel a);

/*
 * Can QEMU boot a stock kernel with KVM here? 1 if so; 0 with the reason
 * in @why. @dev is the KVM device (/dev/kvm): it must open read-write,
 * speak API version 12 and create a VM. @sys_module (/sys/module) must
 * show a hardware-backed KVM (kvm_intel or kvm_amd): a paravirtual
 * backend such as kvm_pvm creates VMs but boots only kernels built for it.
 */
int vm_kvm_usable(const char *dev, const char *sys_module, char *why,
		  size_t n);

/* What auto would choose on this machine, and why not KVM (@why). */
enum vm_accel vm_accel_probe(char *why, size_t n);

/*
 * The accelerator for a request: @want AUTO takes KVM when @kvm_ok, TCG
 * otherwise; TCG is always possible; KVM without @kvm_ok is refused
 * (-1, @why_not completed into the one-line error in @err).
 */
int vm_accel_choose(enum vm_accel want, int kvm_ok, const char *why_not,
		    enum vm_accel *got, char *err, size_t n);

/*
 * The process's accelerator: LWFUZZ_ACCEL ("tcg" or "kvm", as set by
 * vm_accel_settle), else AUTO decided by probing /dev/kvm. Never AUTO.
 */
enum vm_accel vm_accel_current(void);

/*
 * Decide for @want (the --accel option), print why on a KVM refusal and
 * return -1; else export the decision in LWFUZZ_ACCEL for this process
 * and its children.
 */
int vm_accel_settle(enum vm_accel want);

#endif
