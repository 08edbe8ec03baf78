// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: a campaign's finding store (whole or absent, one per
 * signature) and the signatures of guests that died or hung.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzzer/finding_store.h"
#include "lib/fsutil.h"
#include "fuzzer/signature.h"
#include "lib/workload.h"

static const char wl_text[] = "open f0 creat\n"
			      "pwrite f0 0 64K direct seed=1\n"
			      "thread\n"
			      "fsync f0\n";

static void load(struct workload *w)
{
	char why[256];

	assert_int_equal(wl_parse_text(wl_text, w, why, sizeof(why)), 0);
}

static void stores_once_per_signature(void **state)
{
	char dir[] = "/tmp/lwfuzz-test-store.XXXXXX", *where = NULL, *p;
	struct finding_file extra[] = { { "report.json", "{}", 2 } };
	struct workload w, back;
	size_t len;

	(void)state;
	load(&w);
	assert_non_null(mkdtemp(dir));
	assert_int_equal(
		finding_store(dir, "data/2t/fsync", &w, extra, 1, &where), 1);
	assert_non_null(where);
	p = path_join(where, "workload.bin");
	char *bin = read_file(p, &len);

	assert_non_null(bin);
	assert_int_equal(wl_decode((unsigned char *)bin, len, &back), 0);
	assert_true(wl_equal(&w, &back));
	free(bin);
	free(p);
	p = path_join(where, "report.json");
	assert_true(path_exists(p));
	free(p);
	free(where);
	/* The same signature again: known, nothing new. */
	assert_int_equal(
		finding_store(dir, "data/2t/fsync", &w, extra, 1, NULL), 0);
	assert_int_equal(finding_store(dir, "read/2t/fsync", &w, NULL, 0, NULL),
			 1);
	assert_int_equal(finding_count(dir), 2);
	rm_rf(dir);
}

/* A finding that cannot be written completely leaves nothing behind. */
static void a_failed_store_leaves_nothing(void **state)
{
	char dir[] = "/tmp/lwfuzz-test-store.XXXXXX";
	struct finding_file extra[] = { { "no/such/dir/file", "x", 1 } };
	struct workload w;

	(void)state;
	load(&w);
	assert_non_null(mkdtemp(dir));
	assert_int_equal(finding_store(dir, "sig", &w, extra, 1, NULL), -1);
	assert_int_equal(finding_count(dir), 0);
	/* No hidden half-written directory either. */
	assert_int_equal(rmdir(dir), 0);
}

/* The disk fills up while a finding is written: nothing half-written. */
static void a_full_disk_leaves_nothing(void **state)
{
	char dir[] = "/tmp/lwfuzz-test-full.XXXXXX", *big = malloc(1 << 20);
	struct finding_file extra[] = { { "report.json", big, 1 << 20 } };
	struct workload w;

	(void)state;
	load(&w);
	assert_non_null(big);
	memset(big, 'x', 1 << 20);
	assert_non_null(mkdtemp(dir));
	/* A 256 KiB tmpfs (make check runs as root). */
	if (mount("lwfuzz-test", dir, "tmpfs", 0, "size=256k"))
		fail_msg("cannot mount a tmpfs on %s (root needed)", dir);
	assert_int_equal(finding_store(dir, "sig", &w, extra, 1, NULL), -1);
	assert_int_equal(finding_count(dir), 0);
	/* Nothing left, hidden or not: the tmpfs is empty again. */
	assert_int_equal(system("test -z \"$(ls -A /tmp/lwfuzz-test-full.* 2>/dev/null)\""), 0);
	umount(dir);
	rmdir(dir);
	free(big);
}

static void kernel_signatures_ignore_addresses(void **state)
{
	static const char c1[] =
		"[    3.1] booting\n"
		"[   12.5] BUG: kernel NULL pointer dereference, address: 0x0000000000000010\n"
		"[   12.6] RIP: 0010:btrfs_sync_file+0x1a/0x400\n";
	static const char c2[] =
		"[    9.9] BUG: kernel NULL pointer dereference, address: 0x00000000000000a8\n";
	char s1[512], s2[512], s3[512];
	struct workload w;

	(void)state;
	load(&w);
	assert_int_equal(
		kernel_signature("kernel-crash", c1, &w, s1, sizeof(s1)), 0);
	assert_int_equal(
		kernel_signature("kernel-crash", c2, &w, s2, sizeof(s2)), 0);
	assert_string_equal(s1, s2);
	assert_non_null(strstr(s1, "kernel-crash: BUG: kernel NULL pointer"));
	assert_non_null(strstr(s1, "/2t/"));
	assert_int_equal(kernel_signature("hang", "", &w, s3, sizeof(s3)), 0);
	assert_non_null(strstr(s3, "hang: no message/2t/"));
}

static void text_report_of_a_finding(void **state)
{
	/* Compact, as no writer of ours lays it out: spacing does not matter. */
	static const char report[] =
		"{\"version\":1,\"log\":{\"entries\":1300,\"sectorsize\":512},"
		"\"start_mark\":\"mkfs\",\"fsck\":false,\"failures\":[{\"point\":13,"
		"\"entry\":1287,\"flags\":\"FUA|METADATA\",\"mark\":\"\",\"findings\":["
		"{\"check\":\"missing-csum\",\"root\":5,\"path\":\"f0\","
		"\"detail\":\"regular extent at file offset 524288 has no data checksums\"},"
		"{\"check\":\"read\",\"path\":\"f0\",\"detail\":\"reading [524288, 589824): Input/output error\"}]},"
		"{\"point\":14,\"entry\":1290,\"flags\":\"FLUSH\",\"mark\":\"\",\"findings\":["
		"{\"check\":\"read\",\"path\":\"f0\",\"detail\":\"later\"}]}],"
		"\"points_total\":18,\"points_checked\":18,\"points_failed\":2,"
		"\"findings\":3,\"extents_checked\":4,\"regular_extents_checked\":2,"
		"\"files_read\":1,\"seconds\":3.5,\"verdict\":\"corrupt\"}";
	char *t = finding_summary(report, "missing-csum+read/2t/fsync",
				  "buggy 6.1.0-56-cloud-amd64");

	(void)state;
	assert_non_null(t);
	assert_non_null(strstr(t, "signature: missing-csum+read/2t/fsync\n"));
	assert_non_null(strstr(t, "crash states failing: 2 of 18 checked\n"));
	assert_non_null(strstr(
		t,
		"first failing crash state: point 13, log entry 1287 (FUA|METADATA)\n"));
	assert_non_null(strstr(
		t,
		"  missing-csum f0: regular extent at file offset 524288 has no data checksums\n"));
	assert_non_null(strstr(
		t,
		"  read f0: reading [524288, 589824): Input/output error\n"));
	/* Only the first failing point's checks. */
	assert_null(strstr(t, "later"));
	free(t);
	/* A report that does not read says why. */
	t = finding_summary("{\"version\": 2}", "s", "k");
	assert_non_null(t);
	assert_non_null(strstr(t, "report.json: version 2"));
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stores_once_per_signature),
		cmocka_unit_test(a_failed_store_leaves_nothing),
		cmocka_unit_test(a_full_disk_leaves_nothing),
		cmocka_unit_test(kernel_signatures_ignore_addresses),
		cmocka_unit_test(text_report_of_a_finding),
	};

	return cmocka_run_group_tests_name("finding_store", tests, NULL, NULL);
}
