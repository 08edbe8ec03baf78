// SPDX-License-Identifier: GPL-2.0
/* Unit tests: the QEMU command line the VM launcher builds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "vm/qemu_cmdline.h"

/* Index of the value after option @opt whose value contains @needle. */
static int find_opt(char **argv, const char *opt, const char *needle)
{
	for (int i = 0; argv[i]; i++)
		if (!strcmp(argv[i], opt) && argv[i + 1] &&
		    strstr(argv[i + 1], needle))
			return i + 1;
	return -1;
}

static void full_command_line(void **state)
{
	struct vm_config cfg = {
		.kernel = "/c/vmlinuz",
		.initrd = "/r/initrd",
		.append = "extra=1",
		.mem_mb = 2048,
		.cpus = 2,
		.console_path = "/r/console.log",
		.output_fd = 7,
		.disks = { { "/r/out.img", "lwfuzz-out", 0 },
			   { "/img/a,b.img", "disk0", 1 } },
		.ndisks = 2,
	};
	char **argv = qemu_argv(&cfg);
	int i;

	(void)state;
	assert_non_null(argv);
	assert_string_equal(argv[0], "qemu-system-x86_64");
	assert_true(find_opt(argv, "-accel", "tcg,thread=multi") > 0);
	assert_true(find_opt(argv, "-machine", "q35") > 0);
	assert_true(find_opt(argv, "-smp", "2") > 0);
	assert_true(find_opt(argv, "-m", "2048") > 0);
	assert_true(find_opt(argv, "-kernel", "/c/vmlinuz") > 0);
	i = find_opt(argv, "-append", "console=ttyS0");
	assert_true(i > 0);
	assert_non_null(strstr(argv[i], "panic=-1"));
	assert_non_null(strstr(argv[i], " extra=1"));
	assert_true(find_opt(argv, "-chardev", "path=/proc/self/fd/7") > 0);
	/* A comma in a path is doubled, or QEMU would split there. */
	i = find_opt(argv, "-drive", "file=/img/a,,b.img,format=raw");
	assert_true(i > 0);
	assert_non_null(strstr(argv[i], "readonly=on"));
	assert_true(find_opt(argv, "-device", "serial=disk0") > 0);
	assert_true(find_opt(argv, "-device", "serial=lwfuzz-out") > 0);
	int noreboot = 0;

	for (i = 0; argv[i]; i++)
		noreboot |= !strcmp(argv[i], "-no-reboot");
	assert_true(noreboot);
	qemu_argv_free(argv);
}

static void incomplete_config(void **state)
{
	struct vm_config cfg = { .kernel = "k", .console_path = "c" };

	(void)state;
	assert_null(qemu_argv(&cfg));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_command_line),
		cmocka_unit_test(incomplete_config),
	};

	return cmocka_run_group_tests_name("qemu_cmdline", tests, NULL, NULL);
}
