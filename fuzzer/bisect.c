// SPDX-License-Identifier: GPL-2.0
/*
 * `lwfuzz bisect` inside: prefixes of kmod-patch/series built (cached like
 * the variants) and a workload run N times on each, every prefix or a
 * binary search between a good and a bad one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzer/bisect.h"
#include "lib/fsutil.h"
#include "lib/msg.h"
#include "setup/setup.h"
#include "vm/workload_vm.h"

struct bisect {
	const struct layout *l;
	const struct kstate *ks;
	const struct patch_set *ps;
	const struct workload *w;
	struct wl_run_params p;
	char work[256];
	int verdict[PATCH_MAX + 1]; /* -1 untested, -2 build failed, 0/1 */
	unsigned int found[PATCH_MAX + 1];
};

/* Build prefix @k if needed and run the workload on it. */
static int test_prefix(struct bisect *b, size_t k)
{
	struct variant v;
	char *out;
	int built, ret;

	if (b->verdict[k] != -1)
		return b->verdict[k];
	variant_of_prefix(b->ps, k, &v);
	if (kmod_build(b->l, b->ks, b->ps, &v, 0, &built) ||
	    initramfs_build_base(b->l, b->ks, &v, &built)) {
		printf("bisect: %zu patches (%s): build failed, skipped\n", k,
		       v.name);
		return b->verdict[k] = -2;
	}
	b->p.variant = v.name;
	out = xasprintf("%s/prefix-%zu", b->work, k);
	ret = workload_run(b->l, &b->p, b->w, out, &b->found[k]);
	free(out);
	if (ret == EXIT_ERROR) {
		printf("bisect: %zu patches (%s): the run failed, skipped\n", k,
		       v.name);
		return b->verdict[k] = -2;
	}
	b->verdict[k] = b->found[k] > 0;
	printf("bisect: %zu patches (%s%s%s): finding in %u of %u runs\n", k,
	       v.name, k ? ", up to " : "", k ? b->ps->series[k - 1] : "",
	       b->found[k], b->p.runs);
	fflush(stdout);
	return b->verdict[k];
}

static void say_change(const struct bisect *b, size_t from, size_t to)
{
	printf("bisect: %s makes the finding %s (%zu patches: %u of %u runs, %zu patches: %u of %u runs)\n",
	       b->ps->series[to - 1], b->verdict[to] ? "appear" : "disappear",
	       from, b->found[from], b->p.runs, to, b->found[to], b->p.runs);
}

/* Every prefix, every change between neighbours that built. */
static int scan(struct bisect *b)
{
	long prev = -1;
	unsigned int ran = 0;
	int named = 0;

	for (size_t k = 0; k <= b->ps->nseries; k++) {
		if (test_prefix(b, k) < 0)
			continue;
		if (prev >= 0 && b->verdict[prev] != b->verdict[k]) {
			say_change(b, prev, k);
			named = 1;
		}
		prev = k;
		ran++;
	}
	if (named)
		return EXIT_CLEAN;
	if (!ran)
		lw_err("no prefix of kmod-patch/series built and ran, in 'lwfuzz bisect'; see the lines above");
	else
		lw_err("nothing to bisect: the finding shows in %s of the %u prefixes that ran, in 'lwfuzz bisect'; check the workload, --runs and --delay-ms",
		       b->verdict[prev] ? "all" : "none", ran);
	return EXIT_ERROR;
}

/* Binary search between a bad and a good prefix. */
static int search(struct bisect *b, int bad, int good)
{
	int lo = bad < good ? bad : good, hi = bad < good ? good : bad;

	if (test_prefix(b, bad) != 1 || test_prefix(b, good) != 0) {
		lw_err("the finding must show on the bad prefix (%d patches) and not on the good one (%d patches), in 'lwfuzz bisect'; check --good and --bad",
		       bad, good);
		return EXIT_ERROR;
	}
	while (hi - lo > 1) {
		int mid = lo + (hi - lo) / 2, v = -2;

		/* A prefix that does not build: try its neighbours. */
		for (int m = mid; m < hi && v < 0; m++)
			v = test_prefix(b, mid = m);
		if (v < 0) {
			lw_err("every prefix between %d and %d patches failed to build or run, in 'lwfuzz bisect'; the change is in that range",
			       lo, hi);
			return EXIT_ERROR;
		}
		if (v == b->verdict[lo])
			lo = mid;
		else
			hi = mid;
	}
	say_change(b, lo, hi);
	return EXIT_CLEAN;
}

int bisect_run(const struct layout *l, const struct kstate *ks,
	       const struct patch_set *ps, const struct workload *w,
	       const struct wl_run_params *p, int good, int bad)
{
	static struct bisect b;
	int ret;

	b = (struct bisect){ .l = l, .ks = ks, .ps = ps, .w = w, .p = *p };
	memset(b.verdict, -1, sizeof(b.verdict));
	snprintf(b.work, sizeof(b.work), "%s/lwfuzz-bisect.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(b.work)) {
		lw_err("cannot create a scratch directory in %s: %s",
		       getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		       strerror(errno));
		return EXIT_ERROR;
	}
	ret = good >= 0 ? search(&b, bad, good) : scan(&b);
	rm_rf(b.work);
	return ret;
}
