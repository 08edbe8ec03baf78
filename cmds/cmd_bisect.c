// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmds/cmds.h"
#include "cmds/options.h"
#include "lib/fsutil.h"
#include "setup/layout.h"
#include "lib/msg.h"
#include "lib/workload_file.h"
#include "setup/setup.h"
#include "setup/variants.h"
#include "vm/workload_vm.h"

static const char bisect_usage[] =
	"usage: lwfuzz bisect [OPTIONS] FINDING|WORKLOAD\n\n"
	"Find the patch of kmod-patch/series that makes a finding appear or\n"
	"disappear: build btrfs.ko with prefixes of the series and run the\n"
	"workload N times on each. FINDING is a directory kept by `lwfuzz run\n"
	"--out` (its workload.lw is used). Without --good/--bad every prefix\n"
	"from 0 (Debian's source) to the whole series is tried; with them, a\n"
	"binary search between the two. A REF is a variant name\n"
	"({variants}) or a number of patches.\n\n"
	"  -g, --good REF      a prefix where the finding does not show\n"
	"  -b, --bad REF       a prefix where it shows\n"
	"  -n, --runs N        runs per prefix (default 3)\n"
	"  -d, --delay-ms N    set btrfs.dio_race_delay_ms where it exists\n"
	"  -h, --help          this text\n\n"
	"A build that fails is skipped and said. Exit status: 0 a patch was\n"
	"named, 2 error, or nothing to bisect (the verdict is the same at every\n"
	"prefix tried).\n";

static const char *const cmd = "bisect";

struct bisect {
	struct layout l;
	struct kstate ks;
	struct patch_set ps;
	struct workload w;
	struct wl_run_params p;
	char work[256];
	int verdict[PATCH_MAX + 1]; /* -1 untested, -2 build failed, 0/1 */
	unsigned int found[PATCH_MAX + 1];
};

/* "buggy", "series-4" or "4" -> 4; -1 (said) when none of these. */
static int parse_ref(const struct patch_set *ps, const char *opt,
		     const char *ref)
{
	struct variant v;
	char *end;
	long n;

	if (!variant_lookup(ps, ref, &v))
		return (int)v.npatches;
	n = strtol(ref, &end, 10);
	if (*ref >= '0' && *ref <= '9' && !*end && (size_t)n <= ps->nseries)
		return (int)n;
	lw_err("bad value '%s' for %s, in 'lwfuzz bisect'; give a variant (%s) or a number of patches from 0 to %zu",
	       ref, opt, variant_names(ps), ps->nseries);
	return -1;
}

/* Build prefix @k if needed and run the workload on it. */
static int test_prefix(struct bisect *b, size_t k)
{
	struct variant v;
	char *out;
	int built, ret;

	if (b->verdict[k] != -1)
		return b->verdict[k];
	variant_of_prefix(&b->ps, k, &v);
	if (kmod_build(&b->l, &b->ks, &b->ps, &v, &built) ||
	    initramfs_build_base(&b->l, &b->ks, &v, &built)) {
		printf("bisect: %zu patches (%s): build failed, skipped\n", k,
		       v.name);
		return b->verdict[k] = -2;
	}
	b->p.variant = v.name;
	out = xasprintf("%s/prefix-%zu", b->work, k);
	ret = workload_run(&b->l, &b->p, &b->w, out, &b->found[k]);
	free(out);
	if (ret == EXIT_ERROR) {
		printf("bisect: %zu patches (%s): the run failed, skipped\n", k,
		       v.name);
		return b->verdict[k] = -2;
	}
	b->verdict[k] = b->found[k] > 0;
	printf("bisect: %zu patches (%s%s%s): finding in %u of %u runs\n", k,
	       v.name, k ? ", up to " : "", k ? b->ps.series[k - 1] : "",
	       b->found[k], b->p.runs);
	fflush(stdout);
	return b->verdict[k];
}

static void say_change(const struct bisect *b, size_t from, size_t to)
{
	printf("bisect: %s makes the finding %s (%zu patches: %u of %u runs, %zu patches: %u of %u runs)\n",
	       b->ps.series[to - 1], b->verdict[to] ? "appear" : "disappear",
	       from, b->found[from], b->p.runs, to, b->found[to], b->p.runs);
}

/* Every prefix, every change between neighbours that built. */
static int scan(struct bisect *b)
{
	long prev = -1;
	unsigned int ran = 0;
	int named = 0;

	for (size_t k = 0; k <= b->ps.nseries; k++) {
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

static int parse(int argc, char **argv, const char **good, const char **bad,
		 struct wl_run_params *p)
{
	static const struct option longopts[] = {
		{ "good", required_argument, NULL, 'g' },
		{ "bad", required_argument, NULL, 'b' },
		{ "runs", required_argument, NULL, 'n' },
		{ "delay-ms", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*p = (struct wl_run_params){
		.runs = 3, .op_timeout = 60, .delay_ms = -1, .quiet = 1
	};
	opt_begin();
	while ((c = getopt_long(argc, argv, ":g:b:n:d:h", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'g':
			*good = optarg;
			break;
		case 'b':
			*bad = optarg;
			break;
		case 'n':
			if (opt_runs(cmd, optarg, &p->runs))
				return -1;
			break;
		case 'd':
			if (opt_delay_ms(cmd, optarg, &p->delay_ms))
				return -1;
			break;
		case 'h':
			opt_help(bisect_usage);
			return 1;
		default:
			opt_bad_option(cmd, argv, c);
			return -1;
		}
	}
	if (optind != argc - 1) {
		opt_usage_error(cmd, "need exactly one FINDING or WORKLOAD");
		return -1;
	}
	if (!*good != !*bad) {
		opt_usage_error(cmd, "--good and --bad go together");
		return -1;
	}
	return 0;
}

/* A FINDING directory holds workload.lw; anything else is a workload. */
static char *workload_path(const char *arg)
{
	struct stat st;

	if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode))
		return path_join(arg, "workload.lw");
	return xasprintf("%s", arg);
}

int cmd_bisect(int argc, char **argv)
{
	static struct bisect b;
	const char *good = NULL, *bad = NULL;
	char *wl;
	int ret = parse(argc, argv, &good, &bad, &b.p), g = -1, d = -1;

	if (ret)
		return ret > 0 ? EXIT_CLEAN : EXIT_ERROR;
	wl = workload_path(argv[optind]);
	ret = EXIT_ERROR;
	if (wl_load_file(wl, &b.w) || layout_init(&b.l))
		goto out_wl;
	if (layout_load_patches(&b.l, &b.ps))
		goto out_layout;
	if (good && ((g = parse_ref(&b.ps, "--good", good)) < 0 ||
		     (d = parse_ref(&b.ps, "--bad", bad)) < 0))
		goto out;
	if (kstate_load(&b.l, &b.ks)) {
		lw_err("no kernel set up; run 'lwfuzz setup' first");
		goto out;
	}
	memset(b.verdict, -1, sizeof(b.verdict));
	snprintf(b.work, sizeof(b.work), "%s/lwfuzz-bisect.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(b.work)) {
		lw_err("cannot create a scratch directory");
		goto out;
	}
	ret = good ? search(&b, d, g) : scan(&b);
	rm_rf(b.work);
out:
	variants_free(&b.ps);
out_layout:
	layout_free(&b.l);
out_wl:
	free(wl);
	return ret;
}
