// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: workloads as fstests tests. The scripts are checked with
 * `bash -n` and for the commands each operation must become; they are not
 * run against fstests here (fstests is not packaged in Debian).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzzer/fstests_export.h"
#include "lib/fsutil.h"
#include "lib/workload.h"

static const char race[] = "open f0 creat\n"
			   "fallocate f0 0 1M\n"
			   "fsync f0\n"
			   "pwrite f0 0 4K direct seed=1\n"
			   "fdatasync f0\n"
			   "barrier 1\n"
			   "pwrite f0 512K 64K direct seed=2\n"
			   "thread\n"
			   "barrier 1\n"
			   "sleep 100ms\n"
			   "fsync f0\n"
			   "open f1 creat nocow\n"
			   "fallocate f1 0 8K punch_hole\n"
			   "fsync f1\n"
			   "snapshot s0\n";

static char *script_of(const char *text, int delay_ms)
{
	struct fstests_info info = { .name = "lwfuzz-test",
				     .signature = "missing-csum/2t/fsync",
				     .delay_ms = delay_ms };
	struct workload w;
	char why[256];

	assert_int_equal(wl_parse_text(text, &w, why, sizeof(why)), 0);
	return fstests_script(&w, &info, why, sizeof(why));
}

static int bash_accepts(const char *script)
{
	char path[] = "/tmp/lwfuzz-test-fstests.XXXXXX", *cmd;
	int fd = mkstemp(path), ret;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, script, strlen(script)),
			 (ssize_t)strlen(script));
	close(fd);
	cmd = xasprintf("bash -n %s", path);
	ret = system(cmd);
	free(cmd);
	unlink(path);
	return ret == 0;
}

static void operations_become_commands(void **state)
{
	char *s = script_of(race, 200);

	(void)state;
	assert_true(bash_accepts(s));
	assert_non_null(strstr(s, "_require_log_writes"));
	assert_non_null(strstr(s, "falloc 0 1048576"));
	assert_non_null(
		strstr(s, "-f -d -c \"pwrite -S 0x03 -b 1m 524288 65536\""));
	assert_non_null(strstr(s, "lwfuzz_sync fdatasync f0 1"));
	/* Thread 1 fsyncs a file thread 0 writes: nothing to promise. */
	assert_non_null(strstr(s, "no content to promise"));
	/* ... but f1 is its own. */
	assert_non_null(strstr(s, "lwfuzz_sync fsync f1 3"));
	assert_non_null(strstr(s, "chattr +C $SCRATCH_MNT/f1"));
	assert_non_null(strstr(s, "fpunch 0 8192"));
	assert_non_null(strstr(s, "lwfuzz_barrier 1 2"));
	assert_non_null(strstr(s, "sleep 0.100"));
	assert_non_null(
		strstr(s, "subvolume snapshot $SCRATCH_MNT $SCRATCH_MNT/s0"));
	assert_non_null(strstr(s, "echo 200 > $knob"));
	assert_non_null(strstr(s, "# Finding: missing-csum/2t/fsync"));
	assert_non_null(strstr(s, "thread_0 &\nthread_1 &\nwait"));
	free(s);
}

static void no_knob_unless_asked(void **state)
{
	char *s = script_of("open f0 creat\npwrite f0 0 4K seed=1\nfsync f0\n",
			    -1);

	(void)state;
	assert_true(bash_accepts(s));
	assert_null(strstr(s, "dio_race_delay_ms"));
	free(s);
}

static void names_become_commands(void **state)
{
	char *s = script_of("mkfs ^no-holes nodesize=4K\n"
			    "mount compress=zstd commit=1\n"
			    "mkdir d0\n"
			    "open d0/f1 creat sync\n"
			    "pwrite d0/f1 0 4K seed=1\n"
			    "symlink d0/f1 d0/l0\n"
			    "setxattr d0/f1 x2 10\n"
			    "rename d0/l0 d0/l1 exchange\n"
			    "fsync d0\n"
			    "clone d0/f1 f2 0 4K 8K\n"
			    "mwrite d0/f1 0 4K msync\n"
			    "syncfs\n"
			    "rmdir d1\n",
			    -1);

	(void)state;
	assert_true(bash_accepts(s));
	assert_non_null(strstr(s, "_log_writes_mkfs -O ^no-holes -n 4096 >>"));
	assert_non_null(strstr(s, "_log_writes_mount -o compress=zstd,commit=1\n"));
	assert_non_null(strstr(s, "mkdir $SCRATCH_MNT/d0 "));
	assert_non_null(strstr(s, "-f -s -c \"pwrite"));
	assert_non_null(strstr(s, "ln -s d0/f1 $SCRATCH_MNT/d0/l0"));
	assert_non_null(strstr(s, "$SETFATTR_PROG -n user.x2"));
	assert_non_null(strstr(s, "renameat2 -x $SCRATCH_MNT/d0/l0"));
	assert_non_null(strstr(s, "lwfuzz_sync fsync d0 0"));
	assert_non_null(strstr(s, "reflink $SCRATCH_MNT/d0/f1 0 8192 4096"));
	assert_non_null(strstr(s, "msync -s"));
	assert_non_null(strstr(s, "-c syncfs $SCRATCH_MNT"));
	assert_non_null(strstr(s, "rmdir $SCRATCH_MNT/d1"));
	free(s);
}

static void tmpfile_is_refused(void **state)
{
	struct fstests_info info = { .name = "lwfuzz-t", .delay_ms = -1 };
	struct workload w;
	char why[256];

	(void)state;
	assert_int_equal(wl_parse_text("tmpfile d0/f0\nlinkat d0/f0\n", &w,
				       why, sizeof(why)),
			 0);
	assert_null(fstests_script(&w, &info, why, sizeof(why)));
	assert_non_null(strstr(why, "tmpfile has no form"));
}

static void golden_output(void **state)
{
	struct fstests_info info = { .name = "lwfuzz-x" };
	char *g = fstests_golden(&info);

	(void)state;
	assert_string_equal(
		g, "QA output created by lwfuzz-x\nSilence is golden\n");
	free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(operations_become_commands),
		cmocka_unit_test(no_knob_unless_asked),
		cmocka_unit_test(names_become_commands),
		cmocka_unit_test(tmpfile_is_refused),
		cmocka_unit_test(golden_output),
	};

	return cmocka_run_group_tests_name("fstests_export", tests, NULL, NULL);
}
