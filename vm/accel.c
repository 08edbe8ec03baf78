// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/msg.h"
#include "vm/accel.h"

#define ACCEL_ENV "LWFUZZ_ACCEL"
#define KVM_DEV "/dev/kvm"
#define SYS_MODULE "/sys/module"

static const char *const names[] = {
	[VM_ACCEL_AUTO] = "auto",
	[VM_ACCEL_TCG] = "tcg",
	[VM_ACCEL_KVM] = "kvm",
};

int vm_accel_parse(const char *s, enum vm_accel *a)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (s && !strcmp(s, names[i])) {
			*a = (enum vm_accel)i;
			return 0;
		}
	}
	return -1;
}

const char *vm_accel_name(enum vm_accel a)
{
	return (unsigned int)a < sizeof(names) / sizeof(names[0]) ? names[a] :
								    "?";
}

static int has_module(const char *sys_module, const char *name)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", sys_module, name);
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

int vm_kvm_usable(const char *dev, const char *sys_module, char *why,
		  size_t n)
{
	int fd, vm, ok = 0;

	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, n, "cannot open %s: %s", dev, strerror(errno));
		return 0;
	}
	if (ioctl(fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		snprintf(why, n, "%s is not a KVM device of API version %d",
			 dev, KVM_API_VERSION);
		goto out;
	}
	vm = ioctl(fd, KVM_CREATE_VM, 0);
	if (vm < 0) {
		snprintf(why, n, "%s cannot create a VM: %s", dev,
			 strerror(errno));
		goto out;
	}
	close(vm);
	/*
	 * Measured on these machines: kvm_pvm creates VMs and even runs a
	 * real-mode instruction, but a stock kernel prints nothing in 60 s.
	 */
	if (has_module(sys_module, "kvm_intel") ||
	    has_module(sys_module, "kvm_amd"))
		ok = 1;
	else if (has_module(sys_module, "kvm_pvm"))
		snprintf(why, n,
			 "%s is served by kvm_pvm, which boots only kernels built as PVM guests",
			 dev);
	else
		snprintf(why, n,
			 "%s is not hardware-backed (no kvm_intel or kvm_amd in %s)",
			 dev, sys_module);
out:
	close(fd);
	return ok;
}

int vm_accel_choose(enum vm_accel want, int kvm_ok, const char *why_not,
		    enum vm_accel *got, char *err, size_t n)
{
	switch (want) {
	case VM_ACCEL_TCG:
		*got = VM_ACCEL_TCG;
		return 0;
	case VM_ACCEL_KVM:
		if (!kvm_ok) {
			snprintf(err, n, "--accel kvm: %s; use --accel tcg",
				 why_not && *why_not ? why_not :
						       "KVM is not usable");
			return -1;
		}
		*got = VM_ACCEL_KVM;
		return 0;
	case VM_ACCEL_AUTO:
	default:
		*got = kvm_ok ? VM_ACCEL_KVM : VM_ACCEL_TCG;
		return 0;
	}
}

enum vm_accel vm_accel_probe(char *why, size_t n)
{
	*why = '\0';
	return vm_kvm_usable(KVM_DEV, SYS_MODULE, why, n) ? VM_ACCEL_KVM :
							    VM_ACCEL_TCG;
}

int vm_accel_settle(enum vm_accel want)
{
	char why[256] = "", err[320];
	enum vm_accel got;
	int ok = 0;

	if (want != VM_ACCEL_TCG)
		ok = vm_kvm_usable(KVM_DEV, SYS_MODULE, why, sizeof(why));
	if (vm_accel_choose(want, ok, why, &got, err, sizeof(err))) {
		lw_err("%s", err);
		return -1;
	}
	setenv(ACCEL_ENV, vm_accel_name(got), 1);
	return 0;
}

enum vm_accel vm_accel_current(void)
{
	enum vm_accel a = VM_ACCEL_TCG;

	if (vm_accel_parse(getenv(ACCEL_ENV), &a) || a == VM_ACCEL_AUTO) {
		/* Not settled by the command line: decide once, quietly. */
		if (vm_accel_settle(VM_ACCEL_AUTO) ||
		    vm_accel_parse(getenv(ACCEL_ENV), &a))
			return VM_ACCEL_TCG;
	}
	return a;
}
