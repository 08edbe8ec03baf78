// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: which accelerator QEMU gets (vm/accel.c). The decision is
 * tested with the probe's result as input; the probe itself against
 * devices that are not KVM and against /sys/module trees made here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vm/accel.h"
#include "vm/qemu_cmdline.h"

static void parse_names(void **state)
{
	enum vm_accel a = VM_ACCEL_TCG;

	(void)state;
	assert_int_equal(vm_accel_parse("auto", &a), 0);
	assert_int_equal(a, VM_ACCEL_AUTO);
	assert_int_equal(vm_accel_parse("kvm", &a), 0);
	assert_int_equal(a, VM_ACCEL_KVM);
	assert_int_equal(vm_accel_parse("tcg", &a), 0);
	assert_int_equal(a, VM_ACCEL_TCG);
	assert_int_equal(vm_accel_parse("KVM", &a), -1);
	assert_int_equal(vm_accel_parse("", &a), -1);
	assert_int_equal(vm_accel_parse(NULL, &a), -1);
	assert_string_equal(vm_accel_name(VM_ACCEL_KVM), "kvm");
	assert_string_equal(vm_accel_name(VM_ACCEL_TCG), "tcg");
}

static void decision(void **state)
{
	enum vm_accel got = VM_ACCEL_AUTO;
	char err[256] = "";

	(void)state;
	/* auto follows the probe */
	assert_int_equal(vm_accel_choose(VM_ACCEL_AUTO, 1, "", &got, err,
					 sizeof(err)), 0);
	assert_int_equal(got, VM_ACCEL_KVM);
	assert_int_equal(vm_accel_choose(VM_ACCEL_AUTO, 0, "no", &got, err,
					 sizeof(err)), 0);
	assert_int_equal(got, VM_ACCEL_TCG);
	/* tcg is always possible, KVM or not */
	assert_int_equal(vm_accel_choose(VM_ACCEL_TCG, 1, "", &got, err,
					 sizeof(err)), 0);
	assert_int_equal(got, VM_ACCEL_TCG);
	/* forced kvm: taken when usable, refused with the reason when not */
	assert_int_equal(vm_accel_choose(VM_ACCEL_KVM, 1, "", &got, err,
					 sizeof(err)), 0);
	assert_int_equal(got, VM_ACCEL_KVM);
	got = VM_ACCEL_AUTO;
	assert_int_equal(vm_accel_choose(VM_ACCEL_KVM, 0,
					 "cannot open /dev/kvm: No such file",
					 &got, err, sizeof(err)), -1);
	assert_int_equal(got, VM_ACCEL_AUTO);
	assert_string_equal(err,
			    "--accel kvm: cannot open /dev/kvm: No such file; use --accel tcg");
}

static void probe_not_kvm(void **state)
{
	char why[256];

	(void)state;
	assert_int_equal(vm_kvm_usable("/nonexistent/kvm", "/sys/module",
				       why, sizeof(why)), 0);
	assert_non_null(strstr(why, "cannot open /nonexistent/kvm"));
	/* opens, but answers no KVM ioctl */
	assert_int_equal(vm_kvm_usable("/dev/null", "/sys/module", why,
				       sizeof(why)), 0);
	assert_non_null(strstr(why, "not a KVM device"));
}

/*
 * The backend check needs a device that creates VMs; where this machine
 * has one, a made-up /sys/module decides. Without /dev/kvm the test says
 * so and checks only that the probe refuses.
 */
static void probe_backend(void **state)
{
	char dir[] = "/tmp/lwfuzz-accel.XXXXXX", sub[64], why[256];
	int base;

	(void)state;
	assert_non_null(mkdtemp(dir));
	base = vm_kvm_usable("/dev/kvm", dir, why, sizeof(why));
	assert_int_equal(base, 0);
	if (strstr(why, "cannot open") || strstr(why, "cannot create")) {
		printf("# no usable /dev/kvm here (%s): backend check not reached\n",
		       why);
		rmdir(dir);
		return;
	}
	assert_non_null(strstr(why, "no kvm_intel or kvm_amd"));
	snprintf(sub, sizeof(sub), "%s/kvm_pvm", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(vm_kvm_usable("/dev/kvm", dir, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "kvm_pvm"));
	snprintf(sub, sizeof(sub), "%s/kvm_intel", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(vm_kvm_usable("/dev/kvm", dir, why, sizeof(why)), 1);
	rmdir(sub);
	snprintf(sub, sizeof(sub), "%s/kvm_pvm", dir);
	rmdir(sub);
	rmdir(dir);
}

static int find_pair(char **argv, const char *opt, const char *val)
{
	for (int i = 0; argv[i] && argv[i + 1]; i++)
		if (!strcmp(argv[i], opt) && !strcmp(argv[i + 1], val))
			return 1;
	return 0;
}

static void qemu_accel_options(void **state)
{
	struct vm_config cfg = { .kernel = "k", .initrd = "i",
				 .console_path = "c" };
	char **argv;

	(void)state;
	cfg.accel = VM_ACCEL_KVM;
	argv = qemu_argv(&cfg);
	assert_true(find_pair(argv, "-accel", "kvm"));
	assert_true(find_pair(argv, "-cpu", "host"));
	assert_false(find_pair(argv, "-accel", "tcg,thread=multi"));
	qemu_argv_free(argv);
	cfg.accel = VM_ACCEL_TCG;
	argv = qemu_argv(&cfg);
	assert_true(find_pair(argv, "-accel", "tcg,thread=multi"));
	assert_true(find_pair(argv, "-cpu", "max"));
	qemu_argv_free(argv);
}

/* The decision travels to child processes in LWFUZZ_ACCEL. */
static void settled_in_environment(void **state)
{
	(void)state;
	assert_int_equal(vm_accel_settle(VM_ACCEL_TCG), 0);
	assert_string_equal(getenv("LWFUZZ_ACCEL"), "tcg");
	assert_int_equal(vm_accel_current(), VM_ACCEL_TCG);
	setenv("LWFUZZ_ACCEL", "kvm", 1);
	assert_int_equal(vm_accel_current(), VM_ACCEL_KVM);
	unsetenv("LWFUZZ_ACCEL");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_names),
		cmocka_unit_test(decision),
		cmocka_unit_test(probe_not_kvm),
		cmocka_unit_test(probe_backend),
		cmocka_unit_test(qemu_accel_options),
		cmocka_unit_test(settled_in_environment),
	};

	return cmocka_run_group_tests_name("accel", tests, NULL, NULL);
}
