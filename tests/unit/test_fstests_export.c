// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: workloads as fstests tests. The scripts are checked with
 * `bash -n` and for the commands each operation must become; they run in
 * the guest against tests/fstests-harness in tests/e2e/test_export_run.sh
 * (fstests is not packaged in Debian).
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
	/*
	 * Every fsync is a promise unless another thread changes its file
	 * while it runs: the changes are bracketed, the fsync names its file.
	 */
	assert_non_null(strstr(s, "lwfuzz_sync fdatasync f0 1 f0\n"));
	assert_non_null(strstr(s, "\tlwfuzz_begin f0\n\t$XFS_IO_PROG -f -d -c \"pwrite -S 0x03"));
	assert_non_null(strstr(s, "lwfuzz_sync fsync f0 2 f0\n"));
	assert_non_null(strstr(s, "lwfuzz_sync fsync f1 3 f1\n"));
	assert_null(strstr(s, "no content to promise"));
	/* A sleep or a barrier changes nothing. */
	assert_null(strstr(s, "lwfuzz_begin\n"));
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
	/* One thread: no brackets, no keys. */
	assert_non_null(strstr(s, "lwfuzz_sync fsync d0 0\n"));
	assert_null(strstr(s, "\tlwfuzz_begin "));
	assert_non_null(strstr(s, "reflink $SCRATCH_MNT/d0/f1 0 8192 4096"));
	assert_non_null(strstr(s, "msync -s"));
	assert_non_null(strstr(s, "-c syncfs $SCRATCH_MNT"));
	assert_non_null(strstr(s, "rmdir $SCRATCH_MNT/d1"));
	free(s);
}

/* A file in a directory: changes of the directory count too. */
static void keys_name_the_directories_above(void **state)
{
	char *s = script_of("mkdir d0\nopen d0/f1 creat\nbarrier 1\n"
			    "fsync d0/f1\nthread\nbarrier 1\nrename d0 d1\n",
			    -1);

	(void)state;
	assert_true(bash_accepts(s));
	assert_non_null(strstr(s, "lwfuzz_sync fsync d0/f1 0 d0_f1 d0\n"));
	assert_non_null(strstr(s, "lwfuzz_begin d0 d1\n"));
	assert_null(strstr(s, "dm-delay"));
	free(s);
}

/* Delay plans become every write of the scratch device waiting. */
static void delay_plans_become_dm_delay(void **state)
{
	char *s = script_of("sync\nopen f0 creat\ndelay write_all_supers 1000ms\n"
			    "barrier 1\nfsync f0\nthread\nbarrier 1\n"
			    "sleep 300ms\nfsync f0\n",
			    -1);

	(void)state;
	assert_true(bash_accepts(s));
	assert_non_null(strstr(s, "_require_dm_target delay\n"));
	assert_non_null(strstr(s, "_log_writes_init /dev/mapper/lwfuzz-delay\n"));
	assert_non_null(strstr(s, "lwfuzz_delay 1000\nthread_0 &"));
	assert_non_null(strstr(s, "wait\n\nlwfuzz_delay 0\n"));
	assert_non_null(strstr(s, "$DMSETUP_PROG remove lwfuzz-delay\n"));
	assert_null(strstr(s, "_log_writes_init $SCRATCH_DEV"));
	free(s);
}

/* Reopening a file changes nothing: no bracket. */
static void reopen_is_no_change(void **state)
{
	char *s = script_of("open f0 creat\nopen f0 sync\nbarrier 1\nthread\n"
			    "barrier 1\nfsync f0\n",
			    -1);

	(void)state;
	assert_true(bash_accepts(s));
	assert_non_null(strstr(s, "\tlwfuzz_begin f0\n\ttouch "));
	assert_null(strstr(s, "\tlwfuzz_begin f0\n\tlwfuzz_end f0\n"));
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
		cmocka_unit_test(keys_name_the_directories_above),
		cmocka_unit_test(delay_plans_become_dm_delay),
		cmocka_unit_test(reopen_is_no_change),
		cmocka_unit_test(tmpfile_is_refused),
		cmocka_unit_test(golden_output),
	};

	return cmocka_run_group_tests_name("fstests_export", tests, NULL, NULL);
}
