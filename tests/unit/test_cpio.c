// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the newc writer and reader (initramfs out, /out back) and the
 * ldd output parser of the initramfs builder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cpio.h"
#include "lib/fsutil.h"
#include "setup/initramfs.h"

static char dir[] = "/tmp/lwfuzz-test-cpio.XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return rm_rf(dir);
}

static int archive(const char *name, void (*fill)(struct cpio_writer *))
{
	char *path = path_join(dir, name);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	struct cpio_writer w;

	free(path);
	assert_true(fd >= 0);
	cpio_writer_init(&w, fd);
	fill(&w);
	assert_int_equal(cpio_finish(&w), 0);
	assert_int_equal(w.off % 512, 0);
	return fd;
}

static void fill_good(struct cpio_writer *w)
{
	assert_int_equal(cpio_add_dir(w, "./d", 0755), 0);
	assert_int_equal(cpio_add_data(w, "d/f", 0600, "hello", 5), 0);
	assert_int_equal(cpio_add_data(w, "top", 0644, "", 0), 0);
	assert_int_equal(cpio_add_symlink(w, "link", "/etc/passwd"), 0);
	assert_int_equal(cpio_add_chardev(w, "console", 0600, 5, 1), 0);
	assert_int_equal(cpio_add_data(w, "nodir/g", 0644, "x", 1), 0);
}

static int count_status(const struct cpio_entry *e, int fd, void *arg)
{
	(void)fd;
	if (strcmp(e->name, "top"))
		return 0;
	(*(int *)arg)++;
	return 1;
}

static void round_trip(void **state)
{
	int fd = archive("good.cpio", fill_good), skipped, hooked = 0;
	char *out = path_join(dir, "out"), *f, *text, why[256];
	struct stat st;

	(void)state;
	assert_int_equal(cpio_extract(fd, lseek(fd, 0, SEEK_END), out,
				      count_status, &hooked, &skipped, why,
				      sizeof(why)),
			 0);
	assert_int_equal(hooked, 1);
	assert_int_equal(skipped, 2); /* the symlink and the device */
	f = path_join(out, "d/f");
	text = read_file(f, NULL);
	assert_string_equal(text, "hello");
	assert_int_equal(stat(f, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	free(text);
	free(f);
	f = path_join(out, "link");
	assert_false(path_exists(f));
	free(f);
	f = path_join(out, "nodir/g");
	assert_true(path_exists(f));
	free(f);
	/* A second extraction over the first replaces, not fails. */
	assert_int_equal(cpio_extract(fd, lseek(fd, 0, SEEK_END), out, NULL,
				      NULL, &skipped, why, sizeof(why)),
			 0);
	close(fd);
	free(out);
}

static void fill_evil(struct cpio_writer *w)
{
	assert_int_equal(cpio_add_data(w, "../escape", 0644, "x", 1), 0);
}

static void fill_evil2(struct cpio_writer *w)
{
	assert_int_equal(cpio_add_data(w, "a/../../escape", 0644, "x", 1), 0);
}

static void unsafe_names_refused(void **state)
{
	char *out = path_join(dir, "out2"), *esc = path_join(dir, "escape");
	char why[256];
	int skipped, fd;

	(void)state;
	fd = archive("evil.cpio", fill_evil);
	assert_int_equal(cpio_extract(fd, lseek(fd, 0, SEEK_END), out, NULL,
				      NULL, &skipped, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "unsafe"));
	close(fd);
	fd = archive("evil2.cpio", fill_evil2);
	assert_int_equal(cpio_extract(fd, lseek(fd, 0, SEEK_END), out, NULL,
				      NULL, &skipped, why, sizeof(why)),
			 -1);
	close(fd);
	assert_false(path_exists(esc));
	free(esc);
	free(out);
}

static void truncated_and_garbage(void **state)
{
	int fd = archive("t.cpio", fill_good), skipped;
	char *out = path_join(dir, "out3"), why[256];
	unsigned long long off = 0;
	struct cpio_entry e;

	(void)state;
	/* Cut inside the second entry's data. */
	assert_int_equal(cpio_extract(fd, 150, out, NULL, NULL, &skipped, why,
				      sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "malformed"));
	assert_int_equal(pwrite(fd, "0707X1", 6, 0), 6);
	assert_int_equal(cpio_next(fd, &off, 4096, &e), -1);
	close(fd);
	free(out);
}

static void ldd_paths(void **state)
{
	const char *out =
		"\tlinux-vdso.so.1 (0x00007ffd)\n"
		"\tlibuuid.so.1 => /lib/x86_64-linux-gnu/libuuid.so.1 (0x7f)\n"
		"\t/lib64/ld-linux-x86-64.so.2 (0x00007f88a26fe000)\n";
	const char *pos = out;
	char buf[256];

	(void)state;
	assert_string_equal(ldd_next_path(&pos, buf, sizeof(buf)),
			    "/lib/x86_64-linux-gnu/libuuid.so.1");
	assert_string_equal(ldd_next_path(&pos, buf, sizeof(buf)),
			    "/lib64/ld-linux-x86-64.so.2");
	assert_null(ldd_next_path(&pos, buf, sizeof(buf)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(unsafe_names_refused),
		cmocka_unit_test(truncated_and_garbage),
		cmocka_unit_test(ldd_paths),
	};

	return cmocka_run_group_tests_name("cpio", tests, setup, teardown);
}
