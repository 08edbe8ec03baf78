// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the minimizer and the signature/dedup on synthetic findings
 * (the oracle here is a function, not a VM run).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "fuzzer/minimize.h"
#include "fuzzer/signature.h"
#include "lib/workload.h"

/* The seed race padded with noise in a third thread and extra ops. */
static const char noisy[] = "thread\n"
			    "open f0 creat\n"
			    "pwrite f1 0 64K seed=9\n"
			    "fallocate f0 0 1M\n"
			    "fsync f0\n"
			    "mkdir d1\n"
			    "pwrite f0 0 4K direct seed=1\n"
			    "fsync f0\n"
			    "touch f0\n"
			    "barrier 1\n"
			    "pwrite f0 512K 256K direct seed=2\n"
			    "thread\n"
			    "sync\n"
			    "barrier 1\n"
			    "sleep 100ms\n"
			    "fsync f0\n"
			    "thread\n"
			    "pread f3 0 4K\n"
			    "mark 3\n";

/*
 * Synthetic finding: "fails" while one thread has a direct pwrite into
 * f0 after a fallocate of f0 and another thread has an fsync of f0.
 */
static int synthetic(const struct workload *w, void *arg)
{
	int writer = -1, syncer = -1;

	(*(int *)arg)++;
	for (unsigned int t = 0; t < w->nthreads; t++) {
		int falloc = 0;

		for (unsigned int i = 0; i < w->threads[t].nops; i++) {
			const struct wl_op *op = &w->threads[t].ops[i];

			falloc |= op->code == WL_FALLOCATE && op->path == 0;
			if (falloc && op->code == WL_PWRITE &&
			    (op->flags & IO_DIRECT) && op->path == 0)
				writer = t;
			if (op->code == WL_FSYNC && op->path == 0)
				syncer = syncer < 0 || (int)t != writer
						 ? (int)t
						 : syncer;
		}
	}
	return writer >= 0 && syncer >= 0 && syncer != writer;
}

static void shrinks_to_the_core(void **state)
{
	struct workload w;
	struct minimize_stats st;
	char why[256];
	int calls = 0;

	(void)state;
	assert_int_equal(wl_parse_text(noisy, &w, why, sizeof(why)), 0);
	assert_int_equal(synthetic(&w, &calls), 1);
	assert_int_equal(wl_minimize(&w, synthetic, &calls, &st), 0);
	assert_int_equal(synthetic(&w, &calls), 1);
	/* fallocate + direct pwrite in one thread, fsync in another. */
	assert_int_equal(w.nthreads, 2);
	assert_int_equal(w.threads[0].nops + w.threads[1].nops, 3);
	/* The direct write's length shrank to one block. */
	for (unsigned int i = 0; i < w.threads[0].nops; i++)
		if (w.threads[0].ops[i].code == WL_PWRITE)
			assert_int_equal(w.threads[0].ops[i].len, WL_BLOCK);
	assert_true(st.trials > st.accepted && st.accepted > 0);
	assert_int_equal(wl_validate(&w, why, sizeof(why)), 0);
}

static int broken_oracle(const struct workload *w, void *arg)
{
	(void)w;
	(void)arg;
	return -1;
}

static void oracle_errors_stop_it(void **state)
{
	struct workload w, orig;
	char why[256];

	(void)state;
	assert_int_equal(wl_parse_text(noisy, &w, why, sizeof(why)), 0);
	orig = w;
	assert_int_equal(wl_minimize(&w, broken_oracle, NULL, NULL), -1);
	assert_true(wl_equal(&w, &orig));
}

/* A whole report (lib/report.h) around its failures. */
#define REPORT(failures)                                                        \
	"{\"version\": 1, \"log\": {\"entries\": 40, \"sectorsize\": 512}, "    \
	"\"start_mark\": \"mkfs\", \"fsck\": false, \"failures\": [" failures   \
	"], \"points_total\": 9, \"points_checked\": 9, \"points_failed\": 1, " \
	"\"findings\": 2, \"extents_checked\": 3, "                             \
	"\"regular_extents_checked\": 1, \"files_read\": 2, \"seconds\": 0.5, " \
	"\"verdict\": \"corrupt\"}"
#define POINT(n, checks)                                                       \
	"{\"point\": " #n ", \"entry\": " #n "0, \"flags\": \"FUA\", "         \
	"\"mark\": \"\", \"findings\": [" checks "]}"
#define CHECK(name) "{\"check\": \"" name "\", \"detail\": \"\"}"

#define CHECK_F0(name)                                                         \
	"{\"check\": \"" name "\", \"path\": \"f0\", \"detail\": \"\"}"
#define SEP ", "

static const char report_a[] =
	REPORT(POINT(6, CHECK_F0("missing-csum") SEP CHECK_F0("read")));
/* The same checks, another order, repeated, over two points. */
static const char report_b[] =
	REPORT(POINT(9, CHECK("read") SEP CHECK("missing-csum"))
		       SEP POINT(10, CHECK("read")));
static const char report_c[] = REPORT(POINT(9, CHECK("stale")));
static const char report_none[] = REPORT("");

static void signatures_dedup(void **state)
{
	struct workload w1, w2, w3;
	char s1[256], s2[256], s3[256], s4[256], why[256];

	(void)state;
	assert_int_equal(wl_parse_text(noisy, &w1, why, sizeof(why)), 0);
	/* Same shape, other offsets, lengths and seeds. */
	w2 = w1;
	w2.threads[0].ops[9].off = 8192;
	w2.threads[0].ops[9].len = 4096;
	w2.threads[0].ops[9].arg = 77;
	w3 = w1;
	/* No direct write left: another shape. */
	w3.threads[0].ops[5].flags = 0;
	w3.threads[0].ops[9].flags = 0;
	assert_int_equal(finding_signature(report_a, &w1, s1, sizeof(s1)), 0);
	assert_int_equal(finding_signature(report_b, &w2, s2, sizeof(s2)), 0);
	assert_string_equal(s1, s2);
	assert_non_null(strstr(s1, "missing-csum+read/3t/"));
	assert_int_equal(finding_signature(report_a, &w3, s3, sizeof(s3)), 0);
	assert_string_not_equal(s1, s3);
	assert_int_equal(finding_signature(report_c, &w1, s4, sizeof(s4)), 0);
	assert_string_not_equal(s1, s4);
	assert_int_equal(finding_signature("{}", &w1, s4, sizeof(s4)), -1);
	assert_int_equal(finding_signature(report_none, &w1, s4, sizeof(s4)),
			 -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shrinks_to_the_core),
		cmocka_unit_test(oracle_errors_stop_it),
		cmocka_unit_test(signatures_dedup),
	};

	return cmocka_run_group_tests_name("minimize", tests, NULL, NULL);
}
