// SPDX-License-Identifier: GPL-2.0
/* Unit tests: `lwfuzz vm` argument parsing and the guest command quoting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cmds/cmds.h"
#include "vm/vm.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof(*(a))) - 1)

/* vm_parse_args() prints its complaint: @why gets what it printed. */
static int parse(int argc, char **argv, struct vm_run_opts *o, char *why,
		 size_t len)
{
	int fd = memfd_create("stderr", 0), saved = dup(2), ret;
	ssize_t n;

	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	dup2(fd, 2);
	ret = vm_parse_args(argc, argv, o);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, why, len - 1, 0);
	why[n > 0 ? n : 0] = '\0';
	close(fd);
	return ret;
}

static void defaults_and_repeats(void **state)
{
	char *argv[] = { "vm",	      "-k",	   "buggy",  "--file", "/a",
			 "-f",	      "/b",	   "--disk", "d.img",  "-p",
			 "btrfs.x=1", "--timeout", "30",     "--",     "ls",
			 "-l",	      NULL };
	struct vm_run_opts o;
	char why[256];

	(void)state;
	assert_int_equal(parse(ARGC(argv), argv, &o, why, sizeof(why)), 0);
	assert_string_equal(o.variant, "buggy");
	assert_int_equal(o.nfiles, 2);
	assert_string_equal(o.files[1], "/b");
	assert_int_equal(o.ndisks, 1);
	assert_int_equal(o.nparams, 1);
	assert_int_equal(o.timeout_s, 30);
	assert_int_equal(o.mem_mb, 1024);
	assert_null(o.out_dir);
	/* The command's own options stay the command's. */
	assert_string_equal(o.cmd[0], "ls");
	assert_string_equal(o.cmd[1], "-l");
	assert_null(o.cmd[2]);
}

static void command_without_dashes(void **state)
{
	char *argv[] = { "vm", "true", "-k", "x", NULL };
	struct vm_run_opts o;
	char why[256];

	(void)state;
	assert_int_equal(parse(ARGC(argv), argv, &o, why, sizeof(why)), 0);
	assert_string_equal(o.variant, "stock");
	assert_string_equal(o.cmd[0], "true");
	assert_string_equal(o.cmd[1], "-k");
}

static void bad_arguments(void **state)
{
	char *no_cmd[] = { "vm", "-k", "stock", NULL };
	char *bad_to[] = { "vm", "-t", "0", "--", "true", NULL };
	char *bad_to2[] = { "vm", "-t", "5x", "--", "true", NULL };
	char *unknown[] = { "vm", "--bogus", "--", "true", NULL };
	char *missing[] = { "vm", "--kernel", NULL };
	struct vm_run_opts o;
	char why[256];

	(void)state;
	assert_int_equal(parse(ARGC(no_cmd), no_cmd, &o, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "no command"));
	assert_int_equal(parse(ARGC(bad_to), bad_to, &o, why, sizeof(why)), -1);
	/* One line, the one every command prints for --timeout. */
	assert_non_null(
		strstr(why, "bad value '0' for --timeout, in 'lwfuzz vm'"));
	assert_ptr_equal(strchr(why, '\n'), why + strlen(why) - 1);
	assert_int_equal(parse(ARGC(bad_to2), bad_to2, &o, why, sizeof(why)),
			 -1);
	assert_int_equal(parse(ARGC(unknown), unknown, &o, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "--bogus"));
	assert_int_equal(parse(ARGC(missing), missing, &o, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "'--kernel' needs a value"));
}

static void shell_quoting(void **state)
{
	char *argv[] = { "sh", "-c", "echo 'it''s' $HOME", NULL };
	char *q = vm_shell_quote(argv);

	(void)state;
	assert_string_equal(q,
			    "'sh' '-c' 'echo '\\''it'\\'''\\''s'\\'' $HOME'");
	free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_and_repeats),
		cmocka_unit_test(command_without_dashes),
		cmocka_unit_test(bad_arguments),
		cmocka_unit_test(shell_quoting),
	};

	return cmocka_run_group_tests_name("vm_args", tests, NULL, NULL);
}
