// SPDX-License-Identifier: GPL-2.0
/* Unit tests: the options several commands share (cmds/options.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cmds/options.h"

/* What a parser printed on stderr: the one line of its complaint. */
static char err[1024];

static int fd_err = -1, fd_saved = -1;

static void capture(void)
{
	fd_err = memfd_create("stderr", 0);
	fd_saved = dup(2);
	assert_true(fd_err >= 0 && fd_saved >= 0);
	fflush(stderr);
	dup2(fd_err, 2);
}

static const char *captured(void)
{
	ssize_t n;

	fflush(stderr);
	dup2(fd_saved, 2);
	close(fd_saved);
	n = pread(fd_err, err, sizeof(err) - 1, 0);
	err[n > 0 ? n : 0] = '\0';
	close(fd_err);
	return err;
}

static void delay_and_runs_bounds(void **state)
{
	static const char *const bad_delay[] = { "-5", "10001", "",    "5x",
						 " 5", "+5",	"0x10" };
	unsigned int runs = 0;
	int ms = -1;

	(void)state;
	assert_int_equal(opt_delay_ms("run", "0", &ms), 0);
	assert_int_equal(ms, 0);
	assert_int_equal(opt_delay_ms("run", "10000", &ms), 0);
	assert_int_equal(ms, 10000);
	for (size_t i = 0; i < sizeof(bad_delay) / sizeof(*bad_delay); i++) {
		capture();
		assert_int_equal(opt_delay_ms("fuzz", bad_delay[i], &ms), -1);
		captured();
		assert_int_equal(ms, 10000);
	}
	capture();
	assert_int_equal(opt_delay_ms("fuzz", "-5", &ms), -1);
	assert_string_equal(
		captured(),
		"lwfuzz: error: bad value '-5' for --delay-ms, in 'lwfuzz fuzz'; give milliseconds from 0 to 10000\n");
	capture();
	assert_int_equal(opt_runs("bisect", "0", &runs), -1);
	assert_non_null(strstr(captured(), "from 1 to 1000"));
	assert_int_equal(opt_runs("bisect", "1000", &runs), 0);
	assert_int_equal(runs, 1000);
}

static void durations(void **state)
{
	static const char *const bad[] = { "0",	  "0m",	  "m",	"10d",
					   "1h5", "721h", "-1", "99999999999" };
	unsigned int s = 0;

	(void)state;
	assert_int_equal(opt_time("fuzz", "90", &s), 0);
	assert_int_equal(s, 90);
	assert_int_equal(opt_time("fuzz", "90s", &s), 0);
	assert_int_equal(s, 90);
	assert_int_equal(opt_time("fuzz", "10m", &s), 0);
	assert_int_equal(s, 600);
	assert_int_equal(opt_time("fuzz", "720h", &s), 0);
	assert_int_equal(s, OPT_TIME_MAX);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		capture();
		assert_int_equal(opt_time("fuzz", bad[i], &s), -1);
		assert_non_null(
			strstr(captured(), "for --time, in 'lwfuzz fuzz'"));
	}
}

/* Run getopt_long over @argv as a command does; the complaint it got. */
static const char *complaint(char **argv)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "fsck", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	int argc = 0, c;

	while (argv[argc])
		argc++;
	capture();
	opt_begin();
	while ((c = getopt_long(argc, argv, ":k:f", longopts, NULL)) != -1)
		if (c == '?' || c == ':')
			assert_int_equal(opt_bad_option("run", argv, c), -1);
	return captured();
}

static void bad_options_are_named(void **state)
{
	char *unknown_long[] = { "run", "--bogus=1", "x", NULL };
	char *unknown_short[] = { "run", "-f", "-z", NULL };
	char *in_cluster[] = { "run", "--fsck", "-zf", NULL };
	char *no_value[] = { "run", "-f", "--kernel", NULL };
	char *no_value_short[] = { "run", "-k", NULL };
	char *value_refused[] = { "run", "--fsck=yes", NULL };

	(void)state;
	assert_string_equal(
		complaint(unknown_long),
		"lwfuzz: error: unknown option '--bogus', in 'lwfuzz run'; see 'lwfuzz run --help'\n");
	assert_non_null(
		strstr(complaint(unknown_short), "unknown option '-z'"));
	assert_non_null(strstr(complaint(in_cluster), "unknown option '-z'"));
	assert_non_null(
		strstr(complaint(no_value), "option '--kernel' needs a value"));
	assert_non_null(
		strstr(complaint(no_value_short), "option '-k' needs a value"));
	assert_non_null(strstr(complaint(value_refused),
			       "option '--fsck' takes no value"));
}

/* The variants are the source tree's: run from its top (tests/run.sh). */
static void kernel_names(void **state)
{
	const char *v = NULL;

	(void)state;
	if (access("kmod-patch/variants", R_OK))
		skip();
	setenv("LWFUZZ_ROOT", ".", 1);
	assert_int_equal(opt_kernel("run", "stock", &v), 0);
	assert_string_equal(v, "stock");
	capture();
	assert_int_equal(opt_kernel("run", "nosuch", &v), -1);
	assert_non_null(strstr(
		captured(),
		"unknown kernel variant 'nosuch' for --kernel, in 'lwfuzz run'; choose one of: stock, "));
	assert_string_equal(v, "stock");
}

/* FINDING|WORKLOAD: a directory is a finding, anything else a workload. */
static void a_finding_stands_for_its_workload(void **state)
{
	char dir[] = "/tmp/lwfuzz-test-options.XXXXXX", *wl;
	int is_dir = -1;

	(void)state;
	assert_non_null(mkdtemp(dir));
	wl = opt_workload_of(dir, &is_dir);
	assert_int_equal(is_dir, 1);
	assert_true(!strncmp(wl, dir, strlen(dir)) &&
		    !strcmp(wl + strlen(dir), "/workload.lw"));
	free(wl);
	wl = opt_workload_of("corpus/seeds/none.lw", &is_dir);
	assert_int_equal(is_dir, 0);
	assert_string_equal(wl, "corpus/seeds/none.lw");
	free(wl);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(delay_and_runs_bounds),
		cmocka_unit_test(durations),
		cmocka_unit_test(bad_options_are_named),
		cmocka_unit_test(kernel_names),
		cmocka_unit_test(a_finding_stands_for_its_workload),
	};

	return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
