// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: delay injection's host and agent halves. The site table
 * (which names are sites, written sorted and read back, ids from names),
 * the "delay" operation in the text and binary forms, and the requests the
 * agent writes to lwfuzz.ko (what the module would refuse is refused here
 * first).
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

#include "lib/delay_site.h"
#include "lib/fsutil.h"
#include "lib/kmod_req.h"
#include "lib/workload.h"

static void candidates(void **state)
{
	(void)state;
	assert_true(site_candidate("btrfs_sync_log"));
	assert_true(site_candidate("btrfs_log_inode.constprop.0"));
	assert_true(site_candidate("__btrfs_add_ordered_extent"));
	/* The collector and lwfuzz's own code, cold parts, padding. */
	assert_false(site_candidate("__sanitizer_cov_trace_pc"));
	assert_false(site_candidate("lwfuzz_cov_area"));
	assert_false(site_candidate("btrfs_sync_log.cold"));
	assert_false(site_candidate("__pfx_btrfs_sync_log"));
	assert_false(site_candidate(""));
	assert_false(site_candidate("btrfs:btrfs_sync_log"));
	assert_false(site_candidate("a b"));
}

static void ids_are_name_hashes(void **state)
{
	(void)state;
	assert_int_equal(site_id("btrfs_sync_log"), site_id("btrfs_sync_log"));
	assert_int_not_equal(site_id("btrfs_sync_log"),
			     site_id("btrfs_sync_file"));
}

static void table_round_trips(void **state)
{
	char dir[] = "/tmp/lwfuzz-test-delay-XXXXXX", why[256];
	char *names[] = { "btrfs_sync_log", "__sanitizer_cov_trace_pc",
			  "btrfs_add_ordered_extent", "btrfs_sync_log",
			  "x.cold" };
	struct site_table t;
	char *path, *text;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = path_join(dir, "sites");
	assert_int_equal(site_table_write(path, names, 5), 0);
	text = read_file(path, NULL);
	/* Sorted, once each, without what is not a site. */
	assert_string_equal(text, "btrfs_add_ordered_extent\nbtrfs_sync_log\n");
	assert_int_equal(site_table_load(path, &t, why, sizeof(why)), 0);
	assert_int_equal(t.n, 2);
	assert_string_equal(site_table_name(&t, site_id("btrfs_sync_log")),
			    "btrfs_sync_log");
	assert_null(site_table_name(&t, site_id("btrfs_sync_file")));
	site_table_free(&t);
	free(text);
	/* A damaged table names its line. */
	assert_int_equal(write_file_atomic(path, "ok\nnot a name\n", 14), 0);
	assert_int_equal(site_table_load(path, &t, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "sites:2:"));
	unlink(path);
	rmdir(dir);
	free(path);
}

static void delay_op_text_and_binary(void **state)
{
	const char *text = "thread\n"
			   "\tdelay btrfs_add_ordered_extent 200ms\n"
			   "\tpwrite f0 0 4K direct\n"
			   "\tdelay site:0000abcd 5ms hit 7\n";
	unsigned char bin[WL_BIN_MAX];
	struct workload a, b;
	char why[256], *out;
	size_t n;

	(void)state;
	if (wl_parse_text(text, &a, why, sizeof(why)))
		fail_msg("%s", why);
	assert_int_equal(a.threads[0].ops[0].code, WL_DELAY);
	assert_int_equal(a.threads[0].ops[0].arg,
			 site_id("btrfs_add_ordered_extent"));
	assert_int_equal(a.threads[0].ops[0].len, 200);
	assert_int_equal(a.threads[0].ops[0].off, 1);
	assert_int_equal(a.threads[0].ops[2].arg, 0xabcd);
	assert_int_equal(a.threads[0].ops[2].off, 7);
	n = wl_encode(&a, bin, sizeof(bin));
	assert_int_equal(wl_decode(bin, n, &b), 0);
	assert_true(wl_equal(&a, &b));
	/* A name this process met prints as the name, an unknown id as such. */
	out = wl_format_text(&b);
	assert_non_null(strstr(out, "\tdelay btrfs_add_ordered_extent 200ms\n"));
	assert_non_null(strstr(out, "\tdelay site:0000abcd 5ms hit 7\n"));
	free(out);
}

static void delay_op_errors(void **state)
{
	struct workload w;
	char why[256];

	(void)state;
	assert_int_equal(wl_parse_text("delay btrfs_sync_log 0ms\n", &w, why,
				       sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "line 1: delay: a delay is 1 to 1000 ms"));
	assert_int_equal(wl_parse_text("delay btrfs_sync_log 1001ms\n", &w,
				       why, sizeof(why)),
			 -1);
	assert_int_equal(wl_parse_text("delay btrfs_sync_log 5ms hit 0\n", &w,
				       why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "hit is 1 to 1000"));
	assert_int_equal(wl_parse_text("delay 5ms\n", &w, why, sizeof(why)),
			 -1);
	assert_int_equal(wl_parse_text("delay btrfs:x 5ms\n", &w, why,
				       sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "expected a btrfs function name"));
	assert_int_equal(wl_parse_text("delay f 5ms twice\n", &w, why,
				       sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "expected 'hit N'"));
}

/* Raw bytes fold into a valid delay: times and hits in range, no paths. */
static void delay_op_folds(void **state)
{
	struct wl_op op = { .code = WL_DELAY, .flags = 9, .path = 3,
			    .off = 0, .len = 50000, .arg = 77 };
	struct workload w = { .nthreads = 1 };
	char why[256];

	(void)state;
	wl_op_fold(&op);
	assert_int_equal(op.code, WL_DELAY);
	assert_int_equal(op.flags, 0);
	assert_int_equal(op.path, 0);
	assert_in_range(op.len, 1, WL_MAX_DELAY_MS);
	assert_in_range(op.off, 1, WL_MAX_DELAY_HIT);
	assert_int_equal(op.arg, 77);
	w.threads[0].nops = 1;
	w.threads[0].ops[0] = op;
	assert_int_equal(wl_validate(&w, why, sizeof(why)), 0);
}

static void requests(void **state)
{
	struct lwfuzz_delay_req req;
	char long_name[LWFUZZ_SITE_LEN + 1];

	(void)state;
	assert_int_equal(kmod_delay_req(&req, "btrfs_sync_log", 2, 200), 0);
	assert_int_equal(req.version, LWFUZZ_DELAY_VERSION);
	assert_int_equal(req.hit, 2);
	assert_int_equal(req.ms, 200);
	assert_int_equal(req.reserved, 0);
	assert_string_equal(req.site, "btrfs_sync_log");
	assert_int_equal(kmod_delay_req(&req, "x", 1, LWFUZZ_DELAY_MAX_MS), 0);
	/* What lwfuzz.ko answers with EINVAL. */
	assert_int_equal(kmod_delay_req(&req, "x", 0, 1), -1);
	assert_int_equal(kmod_delay_req(&req, "x", 1, 0), -1);
	assert_int_equal(kmod_delay_req(&req, "x", LWFUZZ_DELAY_MAX_HIT + 1, 1),
			 -1);
	assert_int_equal(kmod_delay_req(&req, "x", 1, LWFUZZ_DELAY_MAX_MS + 1),
			 -1);
	assert_int_equal(kmod_delay_req(&req, "", 1, 1), -1);
	assert_int_equal(kmod_delay_req(&req, "btrfs:x", 1, 1), -1);
	memset(long_name, 'a', LWFUZZ_SITE_LEN);
	long_name[LWFUZZ_SITE_LEN] = '\0';
	assert_int_equal(kmod_delay_req(&req, long_name, 1, 1), -1);
	long_name[LWFUZZ_SITE_LEN - 1] = '\0';
	assert_int_equal(kmod_delay_req(&req, long_name, 1, 1), 0);
	/* The statuses read back: whole ones only, at most one per plan. */
	assert_int_equal(kmod_delay_statuses(0), 0);
	assert_int_equal(kmod_delay_statuses(32), 2);
	assert_int_equal(kmod_delay_statuses(33), -1);
	assert_int_equal(kmod_delay_statuses((LWFUZZ_DELAY_MAX_PLANS + 1) * 16),
			 -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(candidates),
		cmocka_unit_test(ids_are_name_hashes),
		cmocka_unit_test(table_round_trips),
		cmocka_unit_test(delay_op_text_and_binary),
		cmocka_unit_test(delay_op_errors),
		cmocka_unit_test(delay_op_folds),
		cmocka_unit_test(requests),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
