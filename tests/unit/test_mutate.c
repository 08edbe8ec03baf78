// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: the structure-aware mutator and its AFL++ entry points.
 * Every mutant decodes to a valid workload, stays within AFL++'s size
 * limit, and mutation actually changes workloads.
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

#include "fuzzer/mutate.h"
#include "fuzzer/thread_sites.h"
#include "lib/fsutil.h"
#include "lib/workload.h"

void *afl_custom_init(void *afl, unsigned int seed);
uint8_t afl_custom_queue_new_entry(void *data, const uint8_t *new_queue,
				   const uint8_t *orig_queue);
size_t afl_custom_fuzz(void *data, unsigned char *buf, size_t buf_size,
		       unsigned char **out_buf, unsigned char *add_buf,
		       size_t add_buf_size, size_t max_size);
void afl_custom_deinit(void *data);
unsigned int afl_custom_fuzz_count(void *data, const unsigned char *buf,
				   size_t buf_size);

static int t0_has(const struct workload *w, unsigned int id)
{
	for (unsigned int i = 0; i < w->threads[0].nops; i++)
		if (w->threads[0].ops[i].code == WL_BARRIER &&
		    w->threads[0].ops[i].arg == id)
			return 1;
	return 0;
}

static const char seed_text[] = "open f0 creat\n"
				"pwrite f0 0 64K seed=1\n"
				"fsync f0\n"
				"thread\n"
				"fallocate f1 0 1M\n"
				"fdatasync f1\n";

static void mutants_are_valid_and_bounded(void **state)
{
	unsigned char in[WL_BIN_MAX], *out;
	struct workload w, seed;
	char why[256];
	void *m = afl_custom_init(NULL, 42);
	size_t n, changed = 0;

	(void)state;
	assert_int_equal(wl_parse_text(seed_text, &seed, why, sizeof(why)), 0);
	n = wl_encode(&seed, in, sizeof(in));
	for (int i = 0; i < 5000; i++) {
		size_t max = i % 10 ? WL_BIN_MAX : 200;
		size_t len = afl_custom_fuzz(m, in, n, &out, in, n, max);

		assert_true(len <= max || out == in);
		assert_int_equal(wl_decode(out, len, &w), 0);
		if (wl_validate(&w, why, sizeof(why)))
			fail_msg("mutant %d invalid: %s", i, why);
		changed += len != n || memcmp(out, in, n);
		/* Walk: mutate the mutant next time (when it fits). */
		if (len <= sizeof(in) && i % 7) {
			memcpy(in, out, len);
			n = len;
		}
	}
	assert_true(changed > 4000);
	afl_custom_deinit(m);
}

/*
 * A walk of mutants reaches every operation of the language and grows the
 * tree: paths two and three deep, and paths no seed operation names.
 */
static void mutants_reach_every_op_and_new_paths(void **state)
{
	unsigned int seen[WL_NCODES] = { 0 }, depth[4] = { 0 }, fresh = 0;
	struct workload w, seed;
	uint64_t rng = 99;
	char why[256];

	(void)state;
	assert_int_equal(wl_parse_text(seed_text, &seed, why, sizeof(why)), 0);
	w = seed;
	for (int i = 0; i < 20000; i++) {
		if (wl_mutate(&w, &rng, &seed) == 0 && i % 50 == 0)
			w = seed; /* restart walks now and then */
		for (unsigned int t = 0; t < w.nthreads; t++)
			for (unsigned int k = 0; k < w.threads[t].nops; k++) {
				const struct wl_op *op = &w.threads[t].ops[k];

				seen[op->code]++;
				if (!(wl_fields(op->code) & WL_F_PATH))
					continue;
				depth[wl_path_depth(op->path)]++;
				fresh += op->path != 0 && op->path != 1;
			}
	}
	for (unsigned int c = 0; c < WL_NCODES; c++)
		if (!seen[c])
			fail_msg("no mutant has %s", wl_code_name(c));
	assert_true(depth[2] > 0 && depth[3] > 0);
	assert_true(fresh > 0);
}

/*
 * With a site table, mutants put delays at the table's sites, with times
 * and hits in range; without one, no delay at a known site appears.
 */
static void delays_come_from_the_site_table(void **state)
{
	static const uint32_t ids[3] = { 11, 22, 33 };
	unsigned int delays = 0, hits_above_1 = 0;
	struct workload w, seed;
	uint64_t rng = 5;
	char why[256];

	(void)state;
	assert_int_equal(wl_parse_text(seed_text, &seed, why, sizeof(why)), 0);
	wl_mutate_sites(ids, 3);
	for (int i = 0; i < 3000; i++) {
		w = seed;
		if (wl_mutate(&w, &rng, &seed))
			continue;
		assert_int_equal(wl_validate(&w, why, sizeof(why)), 0);
		for (unsigned int t = 0; t < w.nthreads; t++)
			for (unsigned int k = 0; k < w.threads[t].nops; k++) {
				const struct wl_op *op = &w.threads[t].ops[k];

				if (op->code != WL_DELAY)
					continue;
				delays++;
				hits_above_1 += op->off > 1;
				assert_true(op->arg == 11 || op->arg == 22 ||
					    op->arg == 33);
			}
	}
	wl_mutate_sites(NULL, 0);
	assert_true(delays > 50);
	assert_true(hits_above_1 > 0);
}

/*
 * The thread sites lwfuzz exec left for the input AFL++ just kept are where
 * its mutants' new delays go, each thread's to its own (no site table here,
 * so nowhere else): thread 0 ran 777 (a race site) and 888, thread 1 ran
 * 999 (a race site) and 555.
 */
static void kept_inputs_delay_where_each_thread_ran(void **state)
{
	char dir[] = "/tmp/lwfuzz-test-hot-XXXXXX", *tsp, *qp;
	unsigned char bin[WL_BIN_MAX], *out;
	static struct thread_sites ts = {
		.n = { 2, 2 },
		.nshared = { 1, 1 },
		.ids = { { 777, 888 }, { 999, 555 } },
	};
	unsigned int own[2] = { 0 }, others[2] = { 0 }, none = 0, race = 0;
	struct workload w, m;
	char why[256];
	void *mut;
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(wl_parse_text(seed_text, &w, why, sizeof(why)), 0);
	n = wl_encode(&w, bin, sizeof(bin));
	ts.hash = thread_sites_key(&w);
	tsp = path_join(dir, THREAD_SITES_FILE);
	qp = path_join(dir, "id:000001");
	assert_int_equal(write_file_atomic(tsp, &ts, sizeof(ts)), 0);
	assert_int_equal(write_file_atomic(qp, bin, n), 0);
	setenv("LWFUZZ_VM_DIR", dir, 1);
	unsetenv("LWFUZZ_SITES");
	mut = afl_custom_init(NULL, 3);
	afl_custom_queue_new_entry(mut, (const uint8_t *)qp, NULL);
	for (int i = 0; i < 2000; i++) {
		size_t len = afl_custom_fuzz(mut, bin, n, &out, NULL, 0,
					     WL_BIN_MAX);

		assert_int_equal(wl_decode(out, len, &m), 0);
		for (unsigned int t = 0; t < m.nthreads && t < 2; t++)
			for (unsigned int k = 0; k < m.threads[t].nops; k++) {
				const struct wl_op *op = &m.threads[t].ops[k];

				if (op->code != WL_DELAY)
					continue;
				uint32_t a = op->arg;

				if (a == (t ? 999u : 777u) || a == (t ? 555u : 888u))
					own[t]++;
				else if (a == (t ? 777u : 999u) || a == (t ? 888u : 555u))
					others[t]++;
				else
					none++;
				race += a == 777 || a == 999;
			}
	}
	afl_custom_deinit(mut);
	unsetenv("LWFUZZ_VM_DIR");
	unlink(tsp);
	unlink(qp);
	rmdir(dir);
	free(tsp);
	free(qp);
	/* Both threads got delays at their own sites; the other thread's
	 * sites only through an op moved between threads afterwards. */
	assert_true(own[0] > 10 && own[1] > 10);
	assert_true(own[0] > 20 * others[0] && own[1] > 20 * others[1]);
	/* A third of the picks go to a race site, the rest to the thread's
	 * own functions. */
	assert_true(race > (own[0] + own[1]) / 5);
	assert_true(2 * race < own[0] + own[1]);
	/* One pick in four ignores the thread's sites (no table: site 0). */
	assert_true(none > 0);
	assert_true(own[0] + own[1] > none);
}

/*
 * A seed's thread sites come from the campaign's own seed run
 * (LWFUZZ_SEED_SITES), not from AFL++, which never announces its initial
 * entries: without any queue_new_entry call, its mutants' delays go there.
 * Negative control: the same mutator without the directory makes no delay
 * at those sites.
 */
static unsigned int seed_delays_at(const char *seed_dir, uint32_t site)
{
	unsigned char bin[WL_BIN_MAX], *out;
	unsigned int at = 0;
	struct workload w, m;
	char why[256];
	void *mut;
	size_t n;

	assert_int_equal(wl_parse_text(seed_text, &w, why, sizeof(why)), 0);
	n = wl_encode(&w, bin, sizeof(bin));
	if (seed_dir)
		setenv("LWFUZZ_SEED_SITES", seed_dir, 1);
	else
		unsetenv("LWFUZZ_SEED_SITES");
	unsetenv("LWFUZZ_SITES");
	unsetenv("LWFUZZ_VM_DIR");
	mut = afl_custom_init(NULL, 5);
	for (int i = 0; i < 1000; i++) {
		size_t len = afl_custom_fuzz(mut, bin, n, &out, NULL, 0,
					     WL_BIN_MAX);

		assert_int_equal(wl_decode(out, len, &m), 0);
		for (unsigned int t = 0; t < m.nthreads; t++)
			for (unsigned int k = 0; k < m.threads[t].nops; k++)
				at += m.threads[t].ops[k].code == WL_DELAY &&
				      m.threads[t].ops[k].arg == site;
	}
	afl_custom_deinit(mut);
	unsetenv("LWFUZZ_SEED_SITES");
	return at;
}

static void seeds_delay_where_their_threads_ran(void **state)
{
	char dir[] = "/tmp/lwfuzz-test-seed-XXXXXX", *p, name[32];
	static struct thread_sites ts = { .n = { 1, 1 },
					  .ids = { { 4242 }, { 4242 } } };
	struct workload w;
	char why[256];

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(wl_parse_text(seed_text, &w, why, sizeof(why)), 0);
	ts.hash = thread_sites_key(&w);
	snprintf(name, sizeof(name), "%016llx", (unsigned long long)ts.hash);
	p = path_join(dir, name);
	assert_int_equal(write_file_atomic(p, &ts, sizeof(ts)), 0);
	assert_true(seed_delays_at(dir, 4242) > 10);
	assert_int_equal(seed_delays_at(NULL, 4242), 0);
	unlink(p);
	rmdir(dir);
	free(p);
}

static void garbage_input_still_gives_a_workload(void **state)
{
	unsigned char junk[64], *out;
	struct workload w;
	void *m = afl_custom_init(NULL, 7);
	size_t len;

	(void)state;
	memset(junk, 0xa5, sizeof(junk));
	len = afl_custom_fuzz(m, junk, sizeof(junk), &out, NULL, 0, WL_BIN_MAX);
	assert_int_equal(wl_decode(out, len, &w), 0);
	afl_custom_deinit(m);
}

static void splice_takes_a_thread(void **state)
{
	struct workload a = { .nthreads = 1 }, b;
	uint64_t rng = 1;
	char why[256];
	int spliced = 0;

	(void)state;
	assert_int_equal(wl_parse_text(seed_text, &b, why, sizeof(why)), 0);
	for (int i = 0; i < 200 && !spliced; i++) {
		struct workload t = a;

		wl_mutate(&t, &rng, &b);
		for (unsigned int k = 0; k < t.nthreads; k++)
			spliced |= t.threads[k].nops == b.threads[1].nops &&
				   !memcmp(t.threads[k].ops, b.threads[1].ops,
					   sizeof(b.threads[1].ops[0]) *
						   b.threads[1].nops);
	}
	assert_true(spliced);
}

/* fork_op: a sequential program grows a racing thread behind a barrier. */
static void forks_make_operations_concurrent(void **state)
{
	static const char seq[] = "open f0 creat\n"
				  "fallocate f0 0 1M\n"
				  "pwrite f0 512K 64K direct seed=2\n"
				  "fsync f0\n";
	struct workload seed, w;
	uint64_t rng = 3;
	char why[256];
	int forked = 0;

	(void)state;
	assert_int_equal(wl_parse_text(seq, &seed, why, sizeof(why)), 0);
	for (int i = 0; i < 2000; i++) {
		w = seed;
		if (wl_mutate(&w, &rng, NULL))
			continue;
		assert_false(wl_barrier_deadlock(&w));
		if (w.nthreads != 2 || w.threads[1].nops < 2)
			continue;
		/* thread 1: barrier N, [sleep], fsync f0; thread 0 has N. */
		const struct wl_thread *t1 = &w.threads[1];
		const struct wl_op *last = &t1->ops[t1->nops - 1];

		forked += t1->ops[0].code == WL_BARRIER &&
			  last->code == WL_FSYNC && t0_has(&w, t1->ops[0].arg);
	}
	/* About a tenth of single mutations fork, a quarter of them fsync. */
	assert_true(forked > 20);
}

/* Mutants never deadlock on their barriers, over a long random walk. */
static void mutants_never_deadlock(void **state)
{
	struct workload w, seed;
	uint64_t rng = 11;
	char why[256];

	(void)state;
	assert_int_equal(wl_parse_text(seed_text, &seed, why, sizeof(why)), 0);
	w = seed;
	for (int i = 0; i < 20000; i++) {
		struct workload before = w;

		if (wl_mutate(&w, &rng, &seed))
			assert_true(wl_equal(&w, &before));
		assert_false(wl_barrier_deadlock(&w));
		if (wl_validate(&w, why, sizeof(why)))
			fail_msg("mutant %d invalid: %s", i, why);
		if (i % 50 == 0)
			w = seed;
	}
}

static void few_mutants_per_entry(void **state)
{
	(void)state;
	assert_in_range(afl_custom_fuzz_count(NULL, NULL, 0), 1, 64);
}

/*
 * The deterministic stage flips each flag and forks each durability point
 * 8 ways: napping first, then not; each persisted before (the thread runs
 * it once more before the barrier) first, then not; the barrier one, then
 * two operations back.
 */
static void deterministic_stage(void **state)
{
	static const char keep_size[] = "open f0 creat\n"
					"pwrite f0 0 64K seed=3\n"
					"fallocate f0 0 1M keep_size\n"
					"fsync f0\n"
					"pwrite f0 512K 64K direct seed=2\n";
	struct workload seed, w;
	unsigned int n, mode0 = 0, forks = 0;
	char why[256];

	(void)state;
	assert_int_equal(wl_parse_text(keep_size, &seed, why, sizeof(why)), 0);
	n = wl_det_count(&seed);
	/* open: 5 flags, pwrite: 1, fallocate: 4 modes, pwrite: 1; 1 fsync. */
	assert_int_equal(n, 5 + 1 + 4 + 1 + 8);
	for (unsigned int k = 0; k < n; k++) {
		const struct wl_thread *t0 = &w.threads[0], *t1 = &w.threads[1];

		w = seed;
		assert_int_equal(wl_det_mutant(&w, k), 1);
		assert_false(wl_equal(&w, &seed));
		assert_false(wl_barrier_deadlock(&w));
		if (wl_validate(&w, why, sizeof(why)))
			fail_msg("mutant %u invalid: %s", k, why);
		mode0 += t0->ops[2].code == WL_FALLOCATE && t0->ops[2].flags == 0;
		if (w.nthreads != 2)
			continue;
		forks++;
		assert_true(k < 8);
		assert_int_equal(t1->ops[t1->nops - 1].code, WL_FSYNC);
		/* Napping first. */
		assert_int_equal(t1->ops[1].code == WL_SLEEP, k < 4);
		/* Persisted before first: an fsync right before the barrier. */
		for (unsigned int i = 0; i < t0->nops; i++) {
			if (t0->ops[i].code != WL_BARRIER)
				continue;
			assert_int_equal(i > 0 && t0->ops[i - 1].code == WL_FSYNC,
					 k % 4 < 2);
			/* One operation back, then two (and the write after). */
			assert_int_equal(t0->nops - i - 1, 2 + k % 2);
		}
	}
	assert_int_equal(mode0, 1);
	assert_int_equal(forks, 8);
	w = seed;
	assert_int_equal(wl_det_mutant(&w, n), 0);
	assert_true(wl_equal(&w, &seed));
}

/*
 * A slice of the stage tries every durability point before it tries one
 * a second way (the last fsync of a long seed is forked in the first
 * slice). Checked by mutation: point by point, the first 8 mutants all
 * fork the fsync and this test fails.
 */
static void forks_try_every_durability_point_first(void **state)
{
	static const char two[] = "open f0 creat\n"
				  "pwrite f0 0 4K seed=1\n"
				  "fsync f0\n"
				  "open f1 creat\n"
				  "pwrite f1 0 4K seed=1\n"
				  "fdatasync f1\n";
	struct workload seed, w;
	char why[256];

	(void)state;
	wl_mutate_thread_sites(NULL);
	assert_int_equal(wl_parse_text(two, &seed, why, sizeof(why)), 0);
	for (unsigned int k = 0; k < 16; k++) {
		const struct wl_thread *t1 = &w.threads[1];

		w = seed;
		assert_int_equal(wl_det_mutant(&w, k), 1);
		assert_int_equal(w.nthreads, 2);
		assert_int_equal(t1->ops[t1->nops - 1].code,
				 k % 2 ? WL_FDATASYNC : WL_FSYNC);
	}
}

/*
 * Which races can break a promise: a durability point in one thread
 * while another changes its file, an entry of its directory, or anything
 * for sync, both past their first barrier; a file's own point ranks
 * above sync. Negative controls: a read, a change to another file, a
 * change made before the barrier.
 */
static void races_of_a_promise(void **state)
{
	static const struct {
		const char *text;
		int races;
	} cases[] = {
		{ "open f0 creat\nbarrier 1\npwrite f0 0 4K seed=1\n"
		  "thread\nbarrier 1\nfsync f0\n", PROMISE_FSYNC },
		{ "mkdir d0\nbarrier 1\nopen d0/f1 creat\n"
		  "thread\nbarrier 1\nfsync d0\n", PROMISE_FSYNC },
		{ "open f0 creat\nbarrier 1\nsetxattr f0 x0 10 seed=1\n"
		  "thread\nbarrier 1\nsync\n", PROMISE_SYNC },
		{ "open f0 creat\nbarrier 1\nfallocate f0 0 1M\n"
		  "thread\nfdatasync f0\n", PROMISE_FSYNC },
		{ "open f0 creat\nbarrier 1\npwrite f0 0 4K seed=1\n"
		  "thread\nbarrier 1\nsync\nfsync f0\n", PROMISE_FSYNC },
		{ "open f0 creat\nbarrier 1\npread f0 0 4K\n"
		  "thread\nbarrier 1\nfsync f0\n", 0 },
		{ "open f0 creat\nopen f1 creat\nbarrier 1\n"
		  "pwrite f1 0 4K seed=1\nthread\nbarrier 1\nfsync f0\n",
		  0 },
		{ "open f0 creat\npwrite f0 0 4K seed=1\nbarrier 1\n"
		  "thread\nbarrier 1\nfsync f0\n", 0 },
		{ "open f0 creat\npwrite f0 0 4K seed=1\nfsync f0\n", 0 },
	};
	struct workload w;
	char why[256];

	(void)state;
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(wl_parse_text(cases[i].text, &w, why,
					       sizeof(why)),
				 0);
		if (wl_races_a_promise(&w) != cases[i].races)
			fail_msg("case %u: races_a_promise is not %d", i,
				 cases[i].races);
	}
}

/*
 * AFL++'s view: an entry's deterministic mutants come in order, a slice
 * per visit (at most 16, with 4 random mutants beside it), each once;
 * once they are done a visit is random mutants alone.
 */
static void deterministic_stage_in_slices(void **state)
{
	static const char many_flags[] = "open f0 creat\n"
					 "open f1 creat\n"
					 "open f2 creat\n"
					 "open f3 creat\n"
					 "pwrite f0 0 64K seed=1\n"
					 "fsync f0\n";
	unsigned char in[WL_BIN_MAX], *out;
	struct workload seed, w;
	void *m = afl_custom_init(NULL, 5);
	unsigned int random_only = afl_custom_fuzz_count(NULL, NULL, 0);
	unsigned int det, k = 0, visits = 0;
	char why[256];
	size_t n, len;

	(void)state;
	wl_mutate_thread_sites(NULL);
	assert_int_equal(wl_parse_text(many_flags, &seed, why, sizeof(why)), 0);
	n = wl_encode(&seed, in, sizeof(in));
	det = wl_det_count(&seed);
	assert_true(det > 16);
	while (k < det) {
		unsigned int count = afl_custom_fuzz_count(m, in, n);
		unsigned int slice = det - k < 16 ? det - k : 16;

		assert_int_equal(count, slice + 4);
		for (unsigned int i = 0; i < count; i++) {
			struct workload want = seed;

			len = afl_custom_fuzz(m, in, n, &out, NULL, 0,
					      WL_BIN_MAX);
			assert_int_equal(wl_decode(out, len, &w), 0);
			if (i >= slice)
				continue;
			assert_int_equal(wl_det_mutant(&want, k++), 1);
			assert_true(wl_equal(&w, &want));
		}
		visits++;
	}
	assert_int_equal(visits, (det + 15) / 16);
	assert_int_equal(afl_custom_fuzz_count(m, in, n), random_only);
	afl_custom_deinit(m);
}

/*
 * The delay stage: with two threads that ran btrfs code while racing, each
 * is stopped at each function only it ran, once each, 200 ms at its first
 * entry, right after its barrier. Negative control: when only one thread
 * ran anything there is nothing to race and no delay stage.
 */
static void delay_stage_stops_each_racing_thread_at_its_own_sites(void **state)
{
	static const char race[] = "open f0 creat\n"
				   "fallocate f0 0 1M\n"
				   "barrier 1\n"
				   "pwrite f0 0 64K direct seed=1\n"
				   "thread\n"
				   "barrier 1\n"
				   "fsync f0\n";
	static const uint32_t ids0[] = { 7, 11, 12, 13 }, ids1[] = { 7, 21 };
	struct wl_thread_sites ts[WL_MAX_THREADS] = {
		{ ids0, 4, 1 }, { ids1, 2, 1 }
	};
	unsigned int seen[32] = { 0 }, base, with;
	struct workload seed, w;
	char why[256];

	(void)state;
	assert_int_equal(wl_parse_text(race, &seed, why, sizeof(why)), 0);
	wl_mutate_thread_sites(NULL);
	base = wl_det_count(&seed);
	wl_mutate_thread_sites(ts);
	with = wl_det_count(&seed);
	assert_int_equal(with, base + 3 + 1);
	for (unsigned int k = 0; k < 4; k++) {
		const struct wl_op *op;
		unsigned int t;

		w = seed;
		assert_int_equal(wl_det_mutant(&w, k), 1);
		if (wl_validate(&w, why, sizeof(why)))
			fail_msg("delay mutant %u invalid: %s", k, why);
		/* The threads take turns: 0, 1, 0, 0. */
		t = k == 1;
		assert_int_equal(w.threads[t].nops, seed.threads[t].nops + 1);
		op = &w.threads[t].ops[t ? 1 : 3];
		assert_int_equal(w.threads[t].ops[t ? 0 : 2].code, WL_BARRIER);
		assert_int_equal(op->code, WL_DELAY);
		assert_int_equal(op->len, 200);
		assert_int_equal(op->off, 1);
		seen[op->arg]++;
	}
	/* Each own site once, no race site (7). */
	assert_int_equal(seen[11] + seen[12] + seen[13] + seen[21], 4);
	assert_true(seen[11] && seen[12] && seen[13] && seen[21]);
	assert_int_equal(seen[7], 0);
	/* The rest of the stage is the stage without sites. */
	for (unsigned int k = 4; k < with; k++) {
		struct workload want = seed;

		w = seed;
		wl_mutate_thread_sites(ts);
		assert_int_equal(wl_det_mutant(&w, k), 1);
		wl_mutate_thread_sites(NULL);
		assert_int_equal(wl_det_mutant(&want, k - 4), 1);
		assert_true(wl_equal(&w, &want));
	}
	ts[1].n = 0;
	wl_mutate_thread_sites(ts);
	assert_int_equal(wl_det_count(&seed), base);
	wl_mutate_thread_sites(NULL);
}

/* Leave @text's thread sites as lwfuzz exec would and let AFL++ keep it. */
static void keep_entry(void *mut, const char *dir, const char *text,
		       struct thread_sites *ts, struct workload *w)
{
	unsigned char bin[WL_BIN_MAX];
	char why[256], *tsp = path_join(dir, THREAD_SITES_FILE);
	char *qp = path_join(dir, "id:000002");
	size_t n;

	assert_int_equal(wl_parse_text(text, w, why, sizeof(why)), 0);
	n = wl_encode(w, bin, sizeof(bin));
	ts->hash = thread_sites_key(w);
	assert_int_equal(write_file_atomic(tsp, ts, sizeof(*ts)), 0);
	assert_int_equal(write_file_atomic(qp, bin, n), 0);
	afl_custom_queue_new_entry(mut, (const uint8_t *)qp, NULL);
	unlink(tsp);
	unlink(qp);
	free(tsp);
	free(qp);
}

/*
 * A new entry whose threads raced gets its delay stage at once: the next
 * visit of any entry serves it after that entry's own slice, in order;
 * the entry's own visits then skip it. A new entry kept right after a
 * delay-stage mutant is not followed up (negative control: the same entry
 * kept after a random mutant is), nor one whose threads ran the very
 * functions of a stage queued before.
 */
static void racing_new_entries_get_their_delay_stage_at_once(void **state)
{
	static const char race[] = "open f0 creat\n"
				   "fallocate f0 0 1M\n"
				   "barrier 1\n"
				   "pwrite f0 0 64K direct seed=1\n"
				   "thread\n"
				   "barrier 1\n"
				   "fsync f0\n";
	static const char race2[] = "open f1 creat\n"
				    "barrier 1\n"
				    "pwrite f1 0 64K seed=1\n"
				    "thread\n"
				    "barrier 1\n"
				    "fsync f1\n";
	static const char race3[] = "open f2 creat\n"
				    "barrier 1\n"
				    "pwrite f2 0 64K seed=1\n"
				    "thread\n"
				    "barrier 1\n"
				    "sleep 50ms\n"
				    "fsync f2\n";
	static struct thread_sites ts = {
		.n = { 4, 2 },
		.nshared = { 1, 1 },
		.ids = { { 7, 11, 12, 13 }, { 7, 21 } },
	};
	static struct thread_sites ts2 = {
		.n = { 2, 2 },
		.nshared = { 0, 0 },
		.ids = { { 31, 32 }, { 41, 42 } },
	};
	struct wl_thread_sites view[WL_MAX_THREADS] = {
		{ ts.ids[0], 4, 1 }, { ts.ids[1], 2, 1 }
	};
	char dir[] = "/tmp/lwfuzz-test-follow-XXXXXX", why[256];
	unsigned char in[WL_BIN_MAX], rbin[WL_BIN_MAX], *out;
	struct workload seed, r, r2, r3, w;
	unsigned int det, count, random_only;
	size_t n, rn, len;
	void *m;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("LWFUZZ_VM_DIR", dir, 1);
	unsetenv("LWFUZZ_SITES");
	unsetenv("LWFUZZ_SEED_SITES");
	m = afl_custom_init(NULL, 9);
	assert_int_equal(wl_parse_text("open f0 creat\npwrite f0 0 8K seed=1\n",
				       &seed, why, sizeof(why)),
			 0);
	n = wl_encode(&seed, in, sizeof(in));
	wl_mutate_thread_sites(NULL);
	det = wl_det_count(&seed);
	assert_true(det <= 16);
	keep_entry(m, dir, race, &ts, &r);
	count = afl_custom_fuzz_count(m, in, n);
	assert_int_equal(count, det + 4 + 16);
	for (unsigned int i = 0; i < det; i++)
		afl_custom_fuzz(m, in, n, &out, NULL, 0, WL_BIN_MAX);
	for (unsigned int k = 0; k < 4; k++) {
		struct workload want = r;

		len = afl_custom_fuzz(m, in, n, &out, NULL, 0, WL_BIN_MAX);
		assert_int_equal(wl_decode(out, len, &w), 0);
		wl_mutate_thread_sites(view);
		assert_int_equal(wl_delay_stage_mutant(&want, k), 1);
		assert_true(wl_equal(&w, &want));
	}
	/* Kept right after a delay-stage mutant: not followed up. */
	keep_entry(m, dir, race2, &ts, &r2);
	random_only = afl_custom_fuzz_count(m, in, n);
	assert_int_equal(random_only, afl_custom_fuzz_count(NULL, NULL, 0));
	/* After a random mutant it is, with sites of its own ... */
	afl_custom_fuzz(m, in, n, &out, NULL, 0, WL_BIN_MAX);
	keep_entry(m, dir, race2, &ts2, &r2);
	assert_int_equal(afl_custom_fuzz_count(m, in, n), random_only + 16);
	for (unsigned int k = 0; k < 16; k++)
		afl_custom_fuzz(m, in, n, &out, NULL, 0, WL_BIN_MAX);
	assert_int_equal(afl_custom_fuzz_count(m, in, n), random_only);
	/* ... but not with the sites of a stage queued before. */
	afl_custom_fuzz(m, in, n, &out, NULL, 0, WL_BIN_MAX);
	keep_entry(m, dir, race3, &ts, &r3);
	assert_int_equal(afl_custom_fuzz_count(m, in, n), random_only);
	/* The raced entry's own visit starts past its delay stage. */
	rn = wl_encode(&r, rbin, sizeof(rbin));
	afl_custom_fuzz_count(m, rbin, rn);
	len = afl_custom_fuzz(m, rbin, rn, &out, NULL, 0, WL_BIN_MAX);
	assert_int_equal(wl_decode(out, len, &w), 0);
	{
		struct workload want = r;

		wl_mutate_thread_sites(view);
		assert_int_equal(wl_det_mutant(&want, 4), 1);
		assert_true(wl_equal(&w, &want));
	}
	afl_custom_deinit(m);
	unsetenv("LWFUZZ_VM_DIR");
	rmdir(dir);
}

/*
 * A thread that naps as soon as it races is there to run into the
 * others' middle: the delay stage stops the others first, then it.
 */
static void napping_threads_are_stopped_last(void **state)
{
	static const char race[] = "open f0 creat\n"
				   "barrier 1\n"
				   "pwrite f0 0 64K direct seed=1\n"
				   "thread\n"
				   "barrier 1\n"
				   "sleep 50ms\n"
				   "fsync f0\n";
	static const uint32_t ids0[] = { 7, 10, 11, 12 }, ids1[] = { 7, 21, 22 };
	static const unsigned int thread_of[] = { 0, 0, 0, 1, 1 };
	struct wl_thread_sites ts[WL_MAX_THREADS] = { { ids0, 4, 1 },
						       { ids1, 3, 1 } };
	struct workload seed, w;
	char why[256];

	(void)state;
	assert_int_equal(wl_parse_text(race, &seed, why, sizeof(why)), 0);
	wl_mutate_thread_sites(ts);
	assert_int_equal(wl_delay_stage_count(&seed), 5);
	for (unsigned int k = 0; k < 5; k++) {
		unsigned int t = thread_of[k];

		w = seed;
		assert_int_equal(wl_delay_stage_mutant(&w, k), 1);
		assert_int_equal(w.threads[t].nops, seed.threads[t].nops + 1);
	}
	wl_mutate_thread_sites(NULL);
}

/*
 * Leave thread sites (variant @v) as an execution of @w would have left
 * them, or (!@its_own) another workload's.
 */
static void left_sites(const char *dir, const struct workload *w,
		       unsigned int v, int its_own)
{
	struct thread_sites ts = {
		.n = { 3, 2 },
		.nshared = { 1, 1 },
		.ids = { { 7, 11, 12 }, { 7, 21 } },
	};
	char *tsp = path_join(dir, THREAD_SITES_FILE);

	ts.ids[0][2] += v;
	ts.hash = thread_sites_key(w) + !its_own;
	assert_int_equal(write_file_atomic(tsp, &ts, sizeof(ts)), 0);
	free(tsp);
}

/*
 * A durability point forked so that it newly races a promise gets its
 * delay stage from its one execution though AFL++ does not keep it (it
 * seldom covers anything new before a delay makes it race). Negative
 * controls: the other ways of the fork, and a fork whose execution left
 * no sites of its own, get none.
 */
static void new_races_get_their_stage_kept_or_not(void **state)
{
	static const char *const seeds[] = {
		"open f0 creat\npwrite f0 0 4K seed=1\nfsync f0\n",
		"open f1 creat\npwrite f1 0 4K seed=1\nfsync f1\n",
	};
	static const uint32_t ids0[] = { 7, 11, 12 }, ids1[] = { 7, 21 };
	struct wl_thread_sites view[WL_MAX_THREADS] = { { ids0, 3, 1 },
							{ ids1, 2, 1 } };
	char dir[] = "/tmp/lwfuzz-test-newrace-XXXXXX", why[256];
	unsigned char in[2][WL_BIN_MAX], *out;
	struct workload seed[2], fork[2], w;
	unsigned int det[2];
	size_t n[2], len;
	void *m;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("LWFUZZ_VM_DIR", dir, 1);
	unsetenv("LWFUZZ_SITES");
	unsetenv("LWFUZZ_SEED_SITES");
	m = afl_custom_init(NULL, 5);
	for (unsigned int i = 0; i < 2; i++) {
		assert_int_equal(wl_parse_text(seeds[i], &seed[i], why,
					       sizeof(why)),
				 0);
		n[i] = wl_encode(&seed[i], in[i], WL_BIN_MAX);
		wl_mutate_thread_sites(NULL);
		det[i] = wl_det_count(&seed[i]);
		assert_true(det[i] <= 16);
	}
	for (unsigned int i = 0; i < 2; i++) {
		/* Seed 1's visit: seed 0's fork's stage waits. */
		assert_int_equal(afl_custom_fuzz_count(m, in[i], n[i]),
				 det[i] + 4 + 16 * i);
		for (unsigned int k = 0; k < det[i]; k++) {
			len = afl_custom_fuzz(m, in[i], n[i], &out, NULL, 0,
					      WL_BIN_MAX);
			assert_int_equal(wl_decode(out, len, &w), 0);
			if (k == 0) {
				assert_true(wl_det_new_race(&seed[i], 0, &w));
				fork[i] = w;
			}
			/* Seed 1's fork ran, but left no sites of its own. */
			left_sites(dir, &w, k, k || !i);
		}
	}
	wl_mutate_thread_sites(view);
	assert_int_equal(wl_delay_stage_count(&fork[0]), 3);
	for (unsigned int k = 0; k < 3; k++) {
		struct workload want = fork[0];

		len = afl_custom_fuzz(m, in[1], n[1], &out, NULL, 0,
				      WL_BIN_MAX);
		assert_int_equal(wl_decode(out, len, &w), 0);
		wl_mutate_thread_sites(view);
		assert_int_equal(wl_delay_stage_mutant(&want, k), 1);
		assert_true(wl_equal(&w, &want));
	}
	/* Nothing else waits. */
	afl_custom_fuzz(m, in[1], n[1], &out, NULL, 0, WL_BIN_MAX);
	assert_int_equal(afl_custom_fuzz_count(m, in[0], n[0]),
			 afl_custom_fuzz_count(NULL, NULL, 0));
	afl_custom_deinit(m);
	unsetenv("LWFUZZ_VM_DIR");
	rmdir(dir);
}

/* The mutator's queue of waiting delay stages holds 64 (afl_mutator.c). */
#define FOLLOW_UPS_IN_TEST 64

/*
 * A mutator in a fresh campaign directory @dir (LWFUZZ_VM_DIR) and the
 * one-operation entry it visits (@in, *@n bytes; *@det its own stage).
 */
static void *queue_fixture(char *dir, unsigned int seed_no, unsigned char *in,
			   size_t *n, unsigned int *det)
{
	struct workload seed;
	char why[256];
	void *m;

	assert_non_null(mkdtemp(dir));
	setenv("LWFUZZ_VM_DIR", dir, 1);
	unsetenv("LWFUZZ_SITES");
	unsetenv("LWFUZZ_SEED_SITES");
	m = afl_custom_init(NULL, seed_no);
	assert_int_equal(wl_parse_text("open f2 creat\n", &seed, why,
				       sizeof(why)),
			 0);
	*n = wl_encode(&seed, in, WL_BIN_MAX);
	wl_mutate_thread_sites(NULL);
	*det = wl_det_count(&seed);
	return m;
}

/*
 * Racing entry @i of a queue: thread 0 writes, thread 1 reads, syncs or
 * fsyncs, as @rank (wl_races_a_promise()) says.
 */
static void racing_entry(unsigned int i, int rank, char *text, size_t len,
			 struct thread_sites *ts)
{
	static const char *const other[] = {
		[PROMISE_NONE] = "pread f0 0 4K",
		[PROMISE_SYNC] = "sync",
		[PROMISE_FSYNC] = "fsync f0",
	};

	snprintf(text, len,
		 "open f0 creat\nbarrier 1\npwrite f0 0 4K seed=%u\n"
		 "thread\nbarrier 1\n%s\n",
		 i + 1, other[rank]);
	memset(ts, 0, sizeof(*ts));
	ts->n[0] = 2;
	ts->n[1] = 1;
	ts->ids[0][0] = 1000 + 2 * i;
	ts->ids[0][1] = 1001 + 2 * i;
	ts->ids[1][0] = 5000 + i;
}

/*
 * The next @count mutants are the delay-stage mutants @k.. of entry @e,
 * whose thread sites @ts give each thread @nsites, none shared.
 */
static void expect_stage(void *m, const unsigned char *in, size_t n,
			 const struct workload *e, const struct thread_sites *ts,
			 unsigned int nsites, unsigned int k, unsigned int count)
{
	struct wl_thread_sites view[WL_MAX_THREADS] = {
		{ ts->ids[0], nsites, 0 }, { ts->ids[1], ts->n[1], 0 }
	};
	unsigned char *out;
	struct workload w;
	size_t len;

	for (unsigned int i = k; i < k + count; i++) {
		struct workload want = *e;

		len = afl_custom_fuzz(m, (unsigned char *)in, n, &out, NULL, 0,
				      WL_BIN_MAX);
		assert_int_equal(wl_decode(out, len, &w), 0);
		wl_mutate_thread_sites(view);
		assert_int_equal(wl_delay_stage_mutant(&want, i), 1);
		if (!wl_equal(&w, &want))
			fail_msg("mutant %u is not stage mutant %u", i - k, i);
	}
}

/* The first mutant of @w's own next visit: its deterministic @k-th? */
static int own_visit_starts_at(void *m, const struct workload *w,
			       const struct thread_sites *ts, unsigned int k)
{
	struct wl_thread_sites view[WL_MAX_THREADS] = {
		{ ts->ids[0], ts->n[0], 0 }, { ts->ids[1], ts->n[1], 0 }
	};
	unsigned char bin[WL_BIN_MAX], *out;
	struct workload got, want = *w;
	size_t n = wl_encode(w, bin, sizeof(bin)), len;

	afl_custom_fuzz_count(m, bin, n);
	len = afl_custom_fuzz(m, bin, n, &out, NULL, 0, WL_BIN_MAX);
	assert_int_equal(wl_decode(out, len, &got), 0);
	wl_mutate_thread_sites(view);
	assert_int_equal(wl_det_mutant(&want, k), 1);
	return wl_equal(&got, &want);
}

/*
 * Delay stages of entries that race a promise are served first, then the
 * others in turn. A full queue takes no more stages that do not
 * race a promise (their own visits run them); one that does displaces
 * the one that does not whose turn comes last; its own visits then run it.
 */
static void stages_racing_a_promise_go_first(void **state)
{
	char dir[] = "/tmp/lwfuzz-test-urgent-XXXXXX", text[256];
	unsigned char in[WL_BIN_MAX], *out;
	struct workload e[66];
	struct thread_sites ts[66];
	unsigned int det;
	size_t n;
	void *m;

	(void)state;
	m = queue_fixture(dir, 13, in, &n, &det);
	/* 64 that do not race a promise fill the queue; a 65th stays out. */
	for (unsigned int i = 0; i < 65; i++) {
		racing_entry(i, PROMISE_NONE, text, sizeof(text), &ts[i]);
		keep_entry(m, dir, text, &ts[i], &e[i]);
		assert_false(wl_races_a_promise(&e[i]));
	}
	assert_true(own_visit_starts_at(m, &e[64], &ts[64], 0));
	assert_true(own_visit_starts_at(m, &e[63], &ts[63], 3));
	/* One that races a promise displaces the last in turn, 63. */
	racing_entry(65, PROMISE_FSYNC, text, sizeof(text), &ts[65]);
	keep_entry(m, dir, text, &ts[65], &e[65]);
	assert_true(wl_races_a_promise(&e[65]));
	assert_true(own_visit_starts_at(m, &e[63], &ts[63], 0));
	assert_true(own_visit_starts_at(m, &e[62], &ts[62], 3));
	/* Served: its stage (3 mutants) first, then entry 0's. */
	assert_int_equal(afl_custom_fuzz_count(m, in, n), det + 4 + 16);
	for (unsigned int i = 0; i < det; i++)
		afl_custom_fuzz(m, in, n, &out, NULL, 0, WL_BIN_MAX);
	expect_stage(m, in, n, &e[65], &ts[65], 2, 0, 3);
	expect_stage(m, in, n, &e[0], &ts[0], 2, 0, 3);
	afl_custom_deinit(m);
	unsetenv("LWFUZZ_VM_DIR");
	rmdir(dir);
}

/*
 * The delay stage goes coarse to fine over a thread's sites: 0, 1/2, 1/4,
 * 3/4, 1/8, ... of its list, so a window several functions wide is hit
 * in the first few mutants.
 */
static void delay_stage_goes_coarse_to_fine(void **state)
{
	static const char race[] = "open f0 creat\n"
				   "barrier 1\n"
				   "pwrite f0 0 64K seed=1\n"
				   "thread\n"
				   "barrier 1\n"
				   "fsync f0\n";
	static const uint32_t ids0[] = { 7, 10, 11, 12, 13, 14, 15, 16, 17 };
	static const uint32_t ids1[] = { 7 }, want[] = { 10, 14, 12, 16,
							 11, 15, 13, 17 };
	struct wl_thread_sites ts[WL_MAX_THREADS] = { { ids0, 9, 1 },
						       { ids1, 1, 1 } };
	struct workload seed, w;
	char why[256];

	(void)state;
	assert_int_equal(wl_parse_text(race, &seed, why, sizeof(why)), 0);
	wl_mutate_thread_sites(ts);
	assert_int_equal(wl_delay_stage_count(&seed), 8);
	for (unsigned int k = 0; k < 8; k++) {
		w = seed;
		assert_int_equal(wl_delay_stage_mutant(&w, k), 1);
		assert_int_equal(w.threads[0].ops[2].code, WL_DELAY);
		assert_int_equal(w.threads[0].ops[2].arg, want[k]);
	}
	wl_mutate_thread_sites(NULL);
}

/*
 * Waiting delay stages take turns, 16 mutants each: the second waits for
 * one pass of the first, not for all of it.
 */
/*
 * A stage racing a file's fsync (btrfs's log tree) is served before one
 * racing sync though queued after it, and displaces it from a full
 * queue: the sync one is then its entry's own visits' again.
 */
static void fsync_races_go_before_sync_races(void **state)
{
	char dir[] = "/tmp/lwfuzz-test-rank-XXXXXX", text[256];
	unsigned char in[WL_BIN_MAX], *out;
	struct workload e[FOLLOW_UPS_IN_TEST + 1];
	struct thread_sites ts[FOLLOW_UPS_IN_TEST + 1];
	unsigned int det, last = FOLLOW_UPS_IN_TEST;
	size_t n;
	void *m;

	(void)state;
	m = queue_fixture(dir, 19, in, &n, &det);
	for (unsigned int i = 0; i < last; i++) {
		racing_entry(i, PROMISE_SYNC, text, sizeof(text), &ts[i]);
		keep_entry(m, dir, text, &ts[i], &e[i]);
		assert_int_equal(wl_races_a_promise(&e[i]), PROMISE_SYNC);
	}
	racing_entry(last, PROMISE_FSYNC, text, sizeof(text), &ts[last]);
	keep_entry(m, dir, text, &ts[last], &e[last]);
	/* The sync stage whose turn comes last gave it its place. */
	assert_true(own_visit_starts_at(m, &e[last - 1], &ts[last - 1], 0));
	afl_custom_fuzz_count(m, in, n);
	for (unsigned int i = 0; i < det; i++)
		afl_custom_fuzz(m, in, n, &out, NULL, 0, WL_BIN_MAX);
	expect_stage(m, in, n, &e[last], &ts[last], 2, 0, 3);
	expect_stage(m, in, n, &e[0], &ts[0], 2, 0, 3);
	afl_custom_deinit(m);
	unsetenv("LWFUZZ_VM_DIR");
	rmdir(dir);
}

/*
 * Among stages of one rank, the one with the most mutants left that stop
 * at sites no delay stopped at yet goes first: after A's first pass, B
 * (all new sites) comes before A2, queued before B but stopping its
 * threads at much the same functions as A.
 */
static void stages_probing_new_sites_go_first(void **state)
{
	char dir[] = "/tmp/lwfuzz-test-novel-XXXXXX", text[256];
	unsigned char in[WL_BIN_MAX], *out;
	struct workload e[3];
	struct thread_sites ts[3];
	unsigned int det;
	size_t n;
	void *m;

	(void)state;
	m = queue_fixture(dir, 23, in, &n, &det);
	for (unsigned int i = 0; i < 3; i++) {
		/* A, A2, B: 20 sites each thread, A2 one off A's. */
		unsigned int base = i == 2 ? 500 : 100;

		racing_entry(i, PROMISE_FSYNC, text, sizeof(text), &ts[i]);
		ts[i].n[0] = ts[i].n[1] = 20;
		for (unsigned int j = 0; j < 20; j++) {
			ts[i].ids[0][j] = base + j;
			ts[i].ids[1][j] = base + 100 + j;
		}
		if (i == 1)
			ts[i].ids[0][19] = 99;
		keep_entry(m, dir, text, &ts[i], &e[i]);
	}
	/* Visits serve 16 each: A's first pass, then B's, not A2's. */
	for (unsigned int visit = 0; visit < 2; visit++) {
		afl_custom_fuzz_count(m, in, n);
		for (unsigned int i = 0; i < (visit ? 0 : det); i++)
			afl_custom_fuzz(m, in, n, &out, NULL, 0, WL_BIN_MAX);
		expect_stage(m, in, n, &e[visit ? 2 : 0], &ts[visit ? 2 : 0],
			     20, 0, 16);
	}
	afl_custom_deinit(m);
	unsetenv("LWFUZZ_VM_DIR");
	rmdir(dir);
}

static void waiting_stages_take_turns(void **state)
{
	char dir[] = "/tmp/lwfuzz-test-turns-XXXXXX", text[256];
	unsigned char in[WL_BIN_MAX], *out;
	struct workload e[2];
	struct thread_sites ts[2];
	unsigned int det, next[2] = { 0, 0 };
	size_t n;
	void *m;

	(void)state;
	m = queue_fixture(dir, 17, in, &n, &det);
	for (unsigned int i = 0; i < 2; i++) {
		racing_entry(i, PROMISE_FSYNC, text, sizeof(text), &ts[i]);
		/* 20 sites each thread: a stage of 40. */
		ts[i].n[0] = ts[i].n[1] = 20;
		for (unsigned int j = 0; j < 20; j++) {
			ts[i].ids[0][j] = 100 * (i + 1) + j;
			ts[i].ids[1][j] = 1000 * (i + 1) + j;
		}
		keep_entry(m, dir, text, &ts[i], &e[i]);
	}
	/* Visits serve 16 each: A's first pass, B's, then A's second. */
	for (unsigned int visit = 0; visit < 3; visit++) {
		unsigned int from = visit % 2;

		afl_custom_fuzz_count(m, in, n);
		/* The seed's own slice, on its first visit only. */
		for (unsigned int i = 0; i < (visit ? 0 : det); i++)
			afl_custom_fuzz(m, in, n, &out, NULL, 0, WL_BIN_MAX);
		expect_stage(m, in, n, &e[from], &ts[from], 20, next[from], 16);
		next[from] += 16;
	}
	afl_custom_deinit(m);
	unsetenv("LWFUZZ_VM_DIR");
	rmdir(dir);
}

/*
 * A seed that raced (its sites from the campaign's seed run) gets its
 * delay stage through the ring on its first visit, after its own slice,
 * which no longer holds it. Negative control: without the seed's sites
 * the same visit has no delay stage at all.
 */
static void racing_seeds_get_their_delay_stage_at_once(void **state)
{
	static const char race[] = "open f0 creat\n"
				   "barrier 1\n"
				   "pwrite f0 0 64K direct seed=1\n"
				   "thread\n"
				   "barrier 1\n"
				   "fsync f0\n";
	static struct thread_sites ts = { .n = { 2, 1 },
					  .ids = { { 51, 52 }, { 61 } } };
	struct wl_thread_sites view[WL_MAX_THREADS] = {
		{ ts.ids[0], 2, 0 }, { ts.ids[1], 1, 0 }
	};
	char dir[] = "/tmp/lwfuzz-test-seedstage-XXXXXX", *p, name[32], why[256];
	unsigned char in[WL_BIN_MAX], *out;
	unsigned int base, delays = 0;
	struct workload seed, w;
	size_t n, len;
	void *m;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(wl_parse_text(race, &seed, why, sizeof(why)), 0);
	n = wl_encode(&seed, in, sizeof(in));
	ts.hash = thread_sites_key(&seed);
	snprintf(name, sizeof(name), "%016llx", (unsigned long long)ts.hash);
	p = path_join(dir, name);
	assert_int_equal(write_file_atomic(p, &ts, sizeof(ts)), 0);
	wl_mutate_thread_sites(NULL);
	base = wl_det_count(&seed);
	unsetenv("LWFUZZ_SITES");
	unsetenv("LWFUZZ_VM_DIR");
	for (int with = 1; with >= 0; with--) {
		unsigned int count, slice = base < 16 ? base : 16;

		if (with)
			setenv("LWFUZZ_SEED_SITES", dir, 1);
		else
			unsetenv("LWFUZZ_SEED_SITES");
		m = afl_custom_init(NULL, 11);
		count = afl_custom_fuzz_count(m, in, n);
		assert_int_equal(count, slice + 4 + (with ? 16 : 0));
		for (unsigned int i = 0; i < count; i++) {
			struct workload want = seed;

			len = afl_custom_fuzz(m, in, n, &out, NULL, 0,
					      WL_BIN_MAX);
			assert_int_equal(wl_decode(out, len, &w), 0);
			if (i < slice) {
				/* The slice: the stage past its delays. */
				wl_mutate_thread_sites(with ? view : NULL);
				assert_int_equal(wl_det_mutant(&want, i + (with ? 3 : 0)), 1);
				assert_true(wl_equal(&w, &want));
			} else if (with && i < slice + 3) {
				wl_mutate_thread_sites(view);
				assert_int_equal(wl_delay_stage_mutant(&want, i - slice), 1);
				assert_true(wl_equal(&w, &want));
				delays++;
			}
		}
		afl_custom_deinit(m);
	}
	assert_int_equal(delays, 3);
	unsetenv("LWFUZZ_SEED_SITES");
	unlink(p);
	rmdir(dir);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mutants_are_valid_and_bounded),
		cmocka_unit_test(mutants_reach_every_op_and_new_paths),
		cmocka_unit_test(delays_come_from_the_site_table),
		cmocka_unit_test(kept_inputs_delay_where_each_thread_ran),
		cmocka_unit_test(seeds_delay_where_their_threads_ran),
		cmocka_unit_test(garbage_input_still_gives_a_workload),
		cmocka_unit_test(splice_takes_a_thread),
		cmocka_unit_test(forks_make_operations_concurrent),
		cmocka_unit_test(mutants_never_deadlock),
		cmocka_unit_test(few_mutants_per_entry),
		cmocka_unit_test(deterministic_stage),
		cmocka_unit_test(forks_try_every_durability_point_first),
		cmocka_unit_test(races_of_a_promise),
		cmocka_unit_test(deterministic_stage_in_slices),
		cmocka_unit_test(delay_stage_stops_each_racing_thread_at_its_own_sites),
		cmocka_unit_test(racing_new_entries_get_their_delay_stage_at_once),
		cmocka_unit_test(racing_seeds_get_their_delay_stage_at_once),
		cmocka_unit_test(stages_racing_a_promise_go_first),
		cmocka_unit_test(delay_stage_goes_coarse_to_fine),
		cmocka_unit_test(waiting_stages_take_turns),
		cmocka_unit_test(fsync_races_go_before_sync_races),
		cmocka_unit_test(stages_probing_new_sites_go_first),
		cmocka_unit_test(napping_threads_are_stopped_last),
		cmocka_unit_test(new_races_get_their_stage_kept_or_not),
	};

	return cmocka_run_group_tests_name("mutate", tests, NULL, NULL);
}
