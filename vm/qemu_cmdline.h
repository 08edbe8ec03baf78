/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The QEMU command line for a guest under test: KVM or software
 * emulation (vm/accel.h decides), no firmware devices we do not use, the console on the first serial port, the command's output on
 * the second, and disks on virtio-blk identified by serial number.
 */
#ifndef LWFUZZ_QEMU_CMDLINE_H
#define LWFUZZ_QEMU_CMDLINE_H

#include <stddef.h>

#include "vm/accel.h"

#define VM_MAX_DISKS 16

struct vm_disk {
	const char *path; /* raw image file */
	const char *serial; /* /sys/block/vdX/serial in the guest */
	int readonly;
};

struct vm_config {
	const char *qemu; /* binary; NULL: qemu-system-x86_64 */
	enum vm_accel accel; /* KVM, or TCG (AUTO means TCG here) */
	const char *kernel;
	const char *initrd;
	const char *append; /* extra kernel command line, may be NULL */
	unsigned int mem_mb;
	unsigned int cpus;
	const char *console_path; /* ttyS0 goes to this file */
	int output_fd; /* ttyS1 goes to this inherited fd */
	const char *ctl_socket; /* ttyS2 on this Unix socket (may be NULL) */
	struct vm_disk disks[VM_MAX_DISKS];
	size_t ndisks;
};

/* The kernel command line every guest gets (before cfg->append). */
extern const char vm_base_append[];

/*
 * NULL-terminated argv for execvp; free with qemu_argv_free. NULL when the
 * config is incomplete (no kernel, initrd or console).
 */
char **qemu_argv(const struct vm_config *cfg);
void qemu_argv_free(char **argv);

#endif
