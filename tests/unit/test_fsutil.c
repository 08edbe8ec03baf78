// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the file helpers that keep lwfuzz's writes to what it
 * created (no rename over a device node, a FIFO or a directory; output
 * directories must be new or empty).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fsutil.h"

static char *tmpdir(void)
{
	char tmpl[] = "/tmp/lwfuzz-test-fsutil.XXXXXX";

	assert_non_null(mkdtemp(tmpl));
	return xasprintf("%s", tmpl);
}

static void atomic_write_replaces_regular_files(void **state)
{
	char *dir = tmpdir(), *p = path_join(dir, "f"), *back;
	size_t len;

	(void)state;
	assert_true(file_replaceable(p));
	assert_int_equal(write_file_atomic(p, "old", 3), 0);
	assert_true(file_replaceable(p));
	assert_int_equal(write_file_atomic(p, "new!", 4), 0);
	back = read_file(p, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(back, "new!", 4);
	free(back);
	assert_int_equal(rm_rf(dir), 0);
	free(p);
	free(dir);
}

static void atomic_write_never_replaces_other_files(void **state)
{
	char *dir = tmpdir(), *fifo = path_join(dir, "fifo");
	char *sub = path_join(dir, "sub"), *link = path_join(dir, "link");
	struct stat st;

	(void)state;
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(symlink("/dev/null", link), 0);
	assert_false(file_replaceable(fifo));
	assert_false(file_replaceable(sub));
	assert_false(file_replaceable(link));
	errno = 0;
	assert_int_equal(write_file_atomic(fifo, "x", 1), -1);
	assert_int_equal(errno, EEXIST);
	assert_int_equal(write_file_atomic(sub, "x", 1), -1);
	assert_int_equal(write_file_atomic(link, "x", 1), -1);
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_true(is_dir(sub));
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	/* And no temporary file is left beside them. */
	assert_int_equal(rmdir(sub), 0);
	assert_int_equal(unlink(fifo), 0);
	assert_int_equal(unlink(link), 0);
	assert_int_equal(rmdir(dir), 0);
	free(fifo);
	free(sub);
	free(link);
	free(dir);
}

static void output_dirs_must_be_new_or_empty(void **state)
{
	char *dir = tmpdir(), *sub = path_join(dir, "sub");
	char *file = path_join(sub, "mine");

	(void)state;
	assert_int_equal(dir_is_new_or_empty(sub), 1);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(dir_is_new_or_empty(sub), 1);
	assert_int_equal(write_file_atomic(file, "x", 1), 0);
	assert_int_equal(dir_is_new_or_empty(sub), 0);
	assert_int_equal(dir_is_new_or_empty(file), 0);
	assert_int_equal(dir_is_new_or_empty("/dev/null"), 0);
	assert_int_equal(rm_rf(dir), 0);
	free(file);
	free(sub);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(atomic_write_replaces_regular_files),
		cmocka_unit_test(atomic_write_never_replaces_other_files),
		cmocka_unit_test(output_dirs_must_be_new_or_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
