// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the workload language. Parser errors name their line; text,
 * binary and back are lossless; every byte string with the header decodes
 * to a valid workload (a property test over random inputs); the data
 * pattern is reproducible and position-dependent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "lib/workload.h"

static const char seed_race[] = "# the seed race\n"
				"thread\n"
				"\topen f0 creat\n"
				"\tfallocate f0 0 1M\n"
				"\tfsync f0\n"
				"\tpwrite f0 0 4K direct seed=1\n"
				"\tfsync f0\n"
				"\ttouch f0\n"
				"\tbarrier 1\n"
				"\tpwrite f0 512K 64K direct seed=2\n"
				"thread\n"
				"\tbarrier 1\n"
				"\tsleep 100ms\n"
				"\tfsync f0\n";

static void parses_the_seed(void **state)
{
	struct workload w;
	char why[256];

	(void)state;
	assert_int_equal(wl_parse_text(seed_race, &w, why, sizeof(why)), 0);
	assert_int_equal(w.nthreads, 2);
	assert_int_equal(w.threads[0].nops, 8);
	assert_int_equal(w.threads[1].nops, 3);
	struct wl_op *op = &w.threads[0].ops[7];

	assert_int_equal(op->code, WL_PWRITE);
	assert_int_equal(op->off, 512 * 1024);
	assert_int_equal(op->len, 64 * 1024);
	assert_int_equal(op->flags, IO_DIRECT);
	assert_int_equal(op->arg, 2);
	assert_int_equal(w.threads[0].line[7], 10);
	assert_int_equal(w.threads[1].ops[1].arg, 100);
}

static void expect_error(const char *text, const char *needle)
{
	struct workload w;
	char why[256];

	assert_int_equal(wl_parse_text(text, &w, why, sizeof(why)), -1);
	if (!strstr(why, needle))
		fail_msg("error '%s' lacks '%s'", why, needle);
}

static void errors_name_the_line(void **state)
{
	(void)state;
	expect_error("open f0 creat\nfrobnicate f0\n",
		     "line 2: unknown operation 'frobnicate'");
	expect_error(
		"\n\npwrite f0 1 4K direct\n",
		"line 3: pwrite: direct IO needs offset and length multiples of 4096");
	expect_error("pwrite f0 1G 4K\n", "line 1: pwrite: offset beyond");
	expect_error("pwrite f0 0 8M\n", "line 1: pwrite: length beyond");
	expect_error("pwrite x0 0 4K\n", "line 1: pwrite: expected a path");
	expect_error("pwrite f0 0 4Q\n", "line 1: pwrite: expected a length");
	expect_error("pwrite f9 0 4K\n", "line 1: pwrite: expected a path");
	expect_error("pwrite d0/d1/d2/f0 0 4K\n",
		     "line 1: pwrite: expected a path");
	expect_error("pwrite d0//f0 0 4K\n", "line 1: pwrite: expected a path");
	expect_error("unlink .\n", "line 1: unlink: '.' is only for fsync");
	expect_error("rename f0\n", "line 1: rename: expected a second path");
	expect_error("rename f0 f1 sideways\n", "line 1: unexpected 'sideways'");
	expect_error("setxattr f0 x4 10\n", "line 1: setxattr: expected an xattr");
	expect_error("setxattr f0 x0 5000\n",
		     "line 1: setxattr: xattr value beyond 4000 bytes");
	expect_error("chmod f0 0999\n", "line 1: chmod: expected an octal mode");
	expect_error("clone f0 f1 0 4K 100\n",
		     "line 1: clone: clone needs offsets");
	expect_error("copy_range f0 f1 0 4K\n",
		     "line 1: copy_range: expected a destination offset");
	expect_error("fsync f0 extra\n", "line 1: unexpected 'extra'");
	expect_error("sleep 5000\n", "line 1: sleep: sleep beyond");
	expect_error("pwrite f0 0 0\n", "line 1: pwrite: length 0");
	expect_error("thread\nthread\nthread\nthread\nthread\n",
		     "line 5: more than 4 threads");
}

/* Every operation, path form and flag word survives text -> binary -> text. */
static const char every_op[] =
	"open d0/f1 creat trunc dsync nocow sync\n"
	"close d0/f1\n"
	"fallocate f0 4K 1M zero_range_keep\n"
	"fallocate f0 0 8K insert_range\n"
	"pwrite d0/d1/f2 4K 8K direct seed=9\n"
	"pread f0 0 100\n"
	"mwrite f0 100 200 msync seed=4\n"
	"fsync .\n"
	"fdatasync d3\n"
	"sync_file_range f0 0 1M\n"
	"sync\n"
	"syncfs\n"
	"truncate f0 0\n"
	"rename d0 d1 exchange\n"
	"rename f0 f1 noreplace\n"
	"link f0 d1/d2/f7\n"
	"unlink f0\n"
	"mkdir d0/d1\n"
	"rmdir d0/d1\n"
	"symlink d0/f1 l0\n"
	"tmpfile d0/f3\n"
	"linkat d0/f3\n"
	"setxattr f0 x3 0\n"
	"setxattr f0 x1 4000 seed=2\n"
	"removexattr s1/f0 x1\n"
	"chmod f0 04755\n"
	"clone f0 f1 4K 8K 16K\n"
	"copy_range f0 f1 1 2 3\n"
	"subvol s0\n"
	"snapshot s1\n"
	"touch l1\n"
	"mark 3\n"
	"sleep 10ms\n"
	"barrier 2\n"
	"delay btrfs_sync_log 200ms hit 3\n";

static void every_op_round_trips(void **state)
{
	struct workload a, b, c;
	unsigned char bin[WL_BIN_MAX];
	char why[256], *text;
	size_t n;

	(void)state;
	if (wl_parse_text(every_op, &a, why, sizeof(why)))
		fail_msg("%s", why);
	assert_int_equal(a.threads[0].nops, WL_NCODES + 3);
	assert_int_equal(a.threads[0].ops[7].path, WL_PATH_TOP);
	n = wl_encode(&a, bin, sizeof(bin));
	assert_int_equal(wl_decode(bin, n, &b), 0);
	assert_true(wl_equal(&a, &b));
	text = wl_format_text(&b);
	if (wl_parse_text(text, &c, why, sizeof(why)))
		fail_msg("%s\n%s", why, text);
	assert_true(wl_equal(&a, &c));
	assert_non_null(strstr(text, "\tlink f0 d1/d2/f7\n"));
	assert_non_null(strstr(text, "\tchmod f0 04755\n"));
	assert_non_null(strstr(text, "\tclone f0 f1 4K 8K 16K\n"));
	assert_non_null(strstr(text, "\tsetxattr f0 x1 4000 seed=2\n"));
	free(text);
}

/* The file system as part of the workload: parsed, kept, turned into
 * mkfs.btrfs's and mount(2)'s arguments. */
static void file_system_options(void **state)
{
	struct workload a, b;
	unsigned char bin[WL_BIN_MAX];
	char why[256], buf[256], *text;

	(void)state;
	assert_int_equal(wl_parse_text("mkfs ^no-holes ^free-space-tree nodesize=8K\n"
				       "mount compress=lzo nodatasum discard=async commit=5\n"
				       "open f0 creat\n",
				       &a, why, sizeof(why)),
			 0);
	wl_fs_features(&a.fs, buf, sizeof(buf));
	assert_string_equal(buf, "^no-holes");
	wl_fs_runtime_features(&a.fs, buf, sizeof(buf));
	assert_string_equal(buf, "^free-space-tree");
	assert_int_equal(wl_fs_nodesize(&a.fs), 8192);
	wl_fs_mount_data(&a.fs, buf, sizeof(buf));
	assert_string_equal(
		buf, "nodatasum,compress=lzo,discard=async,commit=5,space_cache=v1");
	assert_int_equal(wl_decode(bin, wl_encode(&a, bin, sizeof(bin)), &b),
			 0);
	assert_true(wl_equal(&a, &b));
	text = wl_format_text(&b);
	assert_non_null(strstr(text, "mkfs ^no-holes ^free-space-tree nodesize=8K\n"));
	assert_int_equal(wl_parse_text(text, &b, why, sizeof(why)), 0);
	assert_true(wl_equal(&a, &b));
	free(text);
	/* Defaults: no lines, no arguments. */
	assert_int_equal(wl_parse_text("sync\n", &a, why, sizeof(why)), 0);
	wl_fs_format(&a.fs, buf, sizeof(buf));
	assert_string_equal(buf, "");
	wl_fs_mount_data(&a.fs, buf, sizeof(buf));
	assert_string_equal(buf, "");
	expect_error("mkfs ^no-holes frobs\n",
		     "line 1: frobs: unknown or repeated option");
	expect_error("mount compress=zstd compress=lzo\n",
		     "line 1: compress=lzo: unknown or repeated option");
	expect_error("mount commit=301\n", "line 1: commit=301");
	expect_error("mkfs block-group-tree\n",
		     "line 1: block-group-tree: unknown or repeated option");
	/* Folding keeps valid values and makes the rest valid. */
	a.fs = (struct wl_fs){ .mkfs = 0xff, .nodesize = 9, .mount = 0xff,
			       .commit = 1000 };
	wl_fs_fold(&a.fs);
	assert_int_equal(a.fs.mkfs, FS_MKFS_MASK);
	assert_int_equal(a.fs.nodesize, 3);
	assert_int_equal(MNT_DISCARD(a.fs.mount), 2);
	assert_true(a.fs.commit >= 1 && a.fs.commit <= MNT_MAX_COMMIT);
}

static void paths(void **state)
{
	char buf[WL_PATH_TEXT];
	uint16_t p, q;

	(void)state;
	assert_int_equal(wl_path_parse("d0/d1/l1", &p), 0);
	assert_int_equal(wl_path_depth(p), 3);
	assert_string_equal(wl_path_text(p, buf), "d0/d1/l1");
	assert_int_equal(wl_path_parse("d0/d1", &q), 0);
	assert_int_equal(wl_path_parent(p), q);
	assert_true(wl_path_within(p, q));
	assert_false(wl_path_within(q, p));
	assert_true(wl_path_within(p, WL_PATH_TOP));
	assert_int_equal(wl_path_parent(q), (wl_path_parse("d0", &p), p));
	assert_int_equal(wl_path_parent(p), WL_PATH_TOP);
	/* Old workloads' slots are paths at the top, with the same ids. */
	assert_int_equal(wl_path_parse("f3", &p), 0);
	assert_int_equal(p, 3);
	/* Unused bits are cleared; "." stays ".". */
	assert_int_equal(wl_path_fold(0x0ff3), 3);
	assert_int_equal(wl_path_fold(0xf000), WL_PATH_TOP);
	assert_string_equal(wl_path_text(WL_PATH_TOP, buf), ".");
}

static void text_binary_text(void **state)
{
	struct workload a, b, c;
	unsigned char bin[WL_BIN_MAX];
	char why[256], *text;
	size_t n;

	(void)state;
	assert_int_equal(wl_parse_text(seed_race, &a, why, sizeof(why)), 0);
	n = wl_encode(&a, bin, sizeof(bin));
	assert_true(n > 4);
	assert_int_equal(wl_decode(bin, n, &b), 0);
	assert_true(wl_equal(&a, &b));
	text = wl_format_text(&b);
	assert_int_equal(wl_parse_text(text, &c, why, sizeof(why)), 0);
	assert_true(wl_equal(&a, &c));
	free(text);
}

static void random_bytes_decode_to_valid_workloads(void **state)
{
	unsigned char buf[WL_BIN_MAX], again[WL_BIN_MAX];
	struct workload w, v, u;
	char why[256], *text;

	(void)state;
	srand(12345);
	for (int iter = 0; iter < 3000; iter++) {
		size_t len = 4 + rand() % (WL_BIN_MAX - 4);

		for (size_t i = 0; i < len; i++)
			buf[i] = rand();
		buf[0] = 'L';
		buf[1] = 'W';
		buf[2] = 2;
		assert_int_equal(wl_decode(buf, len, &w), 0);
		if (wl_validate(&w, why, sizeof(why)))
			fail_msg("iteration %d decodes invalid: %s", iter, why);
		/* Canonical: re-encoding gives the same program... */
		size_t n = wl_encode(&w, again, sizeof(again));

		assert_int_equal(wl_decode(again, n, &v), 0);
		assert_true(wl_equal(&w, &v));
		/* ...and so does its text form. */
		text = wl_format_text(&w);
		if (wl_parse_text(text, &u, why, sizeof(why)))
			fail_msg("iteration %d: text does not parse: %s\n%s",
				 iter, why, text);
		assert_true(wl_equal(&w, &u));
		free(text);
	}
}

static void rejects_cheaply(void **state)
{
	struct workload w;

	(void)state;
	assert_int_equal(wl_decode((const unsigned char *)"", 0, &w), -1);
	assert_int_equal(wl_decode((const unsigned char *)"XW\1\0\0", 5, &w),
			 -1);
	/* Version 1 (file slots, 16-byte ops) is gone, not misread. */
	assert_int_equal(wl_decode((const unsigned char *)"LW\1\0\0", 5, &w),
			 -1);
	assert_int_equal(wl_decode((const unsigned char *)"LW\3\0\0", 5, &w),
			 -1);
}

static void pattern_is_reproducible(void **state)
{
	unsigned char a[8192], b[4096], c[8192];

	(void)state;
	wl_pattern(7, 4096, a, sizeof(a));
	wl_pattern(7, 8192, b, sizeof(b));
	/* A slice of a longer write is the shorter write at its offset. */
	assert_memory_equal(a + 4096, b, sizeof(b));
	wl_pattern(8, 4096, c, sizeof(c));
	assert_memory_not_equal(a, c, sizeof(a));
	/* Different blocks of one write differ. */
	assert_memory_not_equal(a, a + 4096, 4096);
}

static int deadlocks(const char *text)
{
	struct workload w;
	char why[256];

	assert_int_equal(wl_parse_text(text, &w, why, sizeof(why)), 0);
	return wl_barrier_deadlock(&w);
}

static void barrier_deadlocks_are_found(void **state)
{
	(void)state;
	assert_false(deadlocks("fsync f0\n"));
	assert_false(deadlocks("barrier 1\nbarrier 2\nthread\nbarrier 1\n"
			       "barrier 2\n"));
	/* A barrier only one thread has passes at once. */
	assert_false(deadlocks("barrier 3\nthread\nfsync f0\n"));
	assert_true(deadlocks("barrier 1\nbarrier 2\nthread\nbarrier 2\n"
			      "barrier 1\n"));
	assert_true(deadlocks("barrier 1\nbarrier 1\nthread\nbarrier 1\n"));
	assert_false(deadlocks("barrier 1\nbarrier 1\nthread\nbarrier 1\n"
			       "barrier 1\n"));
	assert_true(deadlocks("barrier 1\nbarrier 2\nthread\nbarrier 2\n"
			      "barrier 3\nthread\nbarrier 3\nbarrier 1\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_the_seed),
		cmocka_unit_test(errors_name_the_line),
		cmocka_unit_test(text_binary_text),
		cmocka_unit_test(every_op_round_trips),
		cmocka_unit_test(paths),
		cmocka_unit_test(file_system_options),
		cmocka_unit_test(random_bytes_decode_to_valid_workloads),
		cmocka_unit_test(rejects_cheaply),
		cmocka_unit_test(pattern_is_reproducible),
		cmocka_unit_test(barrier_deadlocks_are_found),
	};

	return cmocka_run_group_tests_name("workload", tests, NULL, NULL);
}
