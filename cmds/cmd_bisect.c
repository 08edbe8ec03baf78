// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds/cmds.h"
#include "cmds/options.h"
#include "lib/fsutil.h"
#include "setup/layout.h"
#include "setup/series.h"
#include "lib/msg.h"
#include "lib/workload_file.h"
#include "setup/setup.h"
#include "setup/variants.h"
#include "fuzzer/bisect.h"
#include "vm/workload_vm.h"

static const char bisect_usage[] =
	"usage: lwfuzz bisect [OPTIONS] FINDING|WORKLOAD\n\n"
	"Find the patch of a kernel series' patch series (kmod-patch/series;\n"
	"6.12's is kmod-patch/6.12/series) that makes a finding appear or\n"
	"disappear: build btrfs.ko with prefixes of the series and run the\n"
	"workload N times on each. FINDING is a directory kept by `lwfuzz run\n"
	"--out` (its workload.lw is used). Without --good/--bad every prefix\n"
	"from 0 (Debian's source) to the whole series is tried; with them, a\n"
	"binary search between the two. A REF is a variant name\n"
	"({variants}) or a number of patches.\n\n"
	"  -s, --series S      the kernel series (6.1 default, 6.12); a REF\n"
	"                      such as 6.12:stock names it too\n"
	"  -g, --good REF      a prefix where the finding does not show\n"
	"  -b, --bad REF       a prefix where it shows\n"
	"  -n, --runs N        runs per prefix (default 3)\n"
	"  -d, --delay-ms N    set btrfs.dio_race_delay_ms where it exists\n"
	"  -h, --help          this text\n\n"
	"A build that fails is skipped and said. Exit status: 0 a patch was\n"
	"named, 2 error, or nothing to bisect (the verdict is the same at every\n"
	"prefix tried).\n";

static const char *const cmd = "bisect";

/* "buggy", "series-4" or "4" -> 4; -1 (said) when none of these. */
static int parse_ref(const struct patch_set *ps, const char *opt,
		     const char *ref)
{
	struct variant v;
	char *end;
	long n;

	if (!variant_lookup(ps, ref, &v) && v.prefix)
		return (int)v.npatches;
	if (!variant_lookup(ps, ref, &v)) {
		lw_err("bad value '%s' for %s, in 'lwfuzz bisect': %s is not a prefix of kmod-patch/series (bisect walks the series); give a series variant or a number of patches from 0 to %zu",
		       ref, opt, ref, ps->nseries);
		return -1;
	}
	n = strtol(ref, &end, 10);
	if (*ref >= '0' && *ref <= '9' && !*end && (size_t)n <= ps->nseries)
		return (int)n;
	lw_err("bad value '%s' for %s, in 'lwfuzz bisect'; give a variant (%s) or a number of patches from 0 to %zu",
	       ref, opt, variant_names(ps), ps->nseries);
	return -1;
}

static int parse(int argc, char **argv, const char **good, const char **bad,
		 const struct kseries **series, struct wl_run_params *p)
{
	static const struct option longopts[] = {
		{ "series", required_argument, NULL, 's' },
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
	while ((c = getopt_long(argc, argv, ":s:g:b:n:d:h", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 's':
			*series = kseries_find(optarg);
			if (!*series) {
				opt_usage_error(cmd,
						"unknown kernel series '%s' for --series; choose one of: %s",
						optarg, kseries_names());
				return -1;
			}
			break;
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
	/* A REF with a series names it: "6.12:stock". */
	if (!*series && *good && strchr(*good, ':'))
		*series = kseries_of(*good);
	if (!*series)
		*series = kseries_default();
	return 0;
}

/* A FINDING directory holds workload.lw; anything else is a workload. */
int cmd_bisect(int argc, char **argv)
{
	const char *good = NULL, *bad = NULL;
	struct wl_run_params p;
	struct patch_set ps;
	struct workload w;
	struct layout l;
	const struct kseries *series = NULL;
	struct kstate ks;
	char *wl;
	int ret = parse(argc, argv, &good, &bad, &series, &p), g = -1, d = -1;

	if (ret)
		return ret > 0 ? EXIT_CLEAN : EXIT_ERROR;
	wl = opt_workload_of(argv[optind], NULL);
	ret = EXIT_ERROR;
	if (wl_load_file(wl, &w) || layout_init(&l))
		goto out_wl;
	if (layout_load_patches(&l, series, &ps))
		goto out_layout;
	if (good && ((g = parse_ref(&ps, "--good", good)) < 0 ||
		     (d = parse_ref(&ps, "--bad", bad)) < 0))
		goto out;
	if (kstate_load(&l, series, &ks)) {
		lw_err("no kernel of series %s set up; run 'lwfuzz setup -s %s' first",
		       series->name, series->name);
		goto out;
	}
	ret = bisect_run(&l, &ks, &ps, &w, &p, g, d);
out:
	variants_free(&ps);
out_layout:
	layout_free(&l);
out_wl:
	free(wl);
	return ret;
}
