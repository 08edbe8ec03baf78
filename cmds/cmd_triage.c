// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds/cmds.h"
#include "cmds/options.h"
#include "fuzzer/triage.h"
#include "lib/fsutil.h"
#include "lib/msg.h"
#include "setup/layout.h"

static const char triage_usage[] =
	"usage: lwfuzz triage [OPTIONS] FINDING...\n\n"
	"Sort findings by root cause. Each FINDING (a directory a campaign or\n"
	"`lwfuzz run --out` kept) is run N times on its own variant, then N\n"
	"times on each variant that carries a known fix for it\n"
	"(kmod-patch/fixes). A finding that shows on its variant and in no run\n"
	"on a fix variant is labelled with that fix; when every fix variant\n"
	"still shows it, their own fixes are asked in turn. The runs are kept in\n"
	"FINDING/triage/, the verdict in FINDING/triage.json. At the end the\n"
	"findings are printed by group: unexplained first, then not\n"
	"reproduced, then each known fix.\n\n"
	"  -k, --kernel V      the findings' variant: {variants}\n"
	"                      (default: the one FINDING/kernel names)\n"
	"  -n, --runs N        runs per variant (default 3)\n"
	"  -d, --delay-ms N    set btrfs.dio_race_delay_ms where it exists\n"
	"  -h, --help          this text\n\n"
	"A race that shows in a fraction of runs can look gone in N runs by\n"
	"chance: the counts are printed with each verdict; raise N to be surer.\n\n"
	"Exit status: 0 every finding is known, 1 some are unexplained or not\n"
	"reproduced, 2 error.\n";

static const char *const cmd = "triage";

static int parse(int argc, char **argv, const char **variant,
		 struct wl_run_params *p)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
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
	while ((c = getopt_long(argc, argv, ":k:n:d:h", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'k':
			if (opt_kernel(cmd, optarg, variant))
				return -1;
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
			opt_help(triage_usage);
			return 1;
		default:
			opt_bad_option(cmd, argv, c);
			return -1;
		}
	}
	if (optind == argc) {
		opt_usage_error(cmd, "need at least one FINDING");
		return -1;
	}
	for (int i = optind; i < argc; i++) {
		char *wl = path_join(argv[i], "workload.lw");
		int ok = path_exists(wl);

		free(wl);
		if (!ok) {
			lw_err("%s is not a finding (no workload.lw in it), in 'lwfuzz triage'; give directories a campaign or 'lwfuzz run --out' kept",
			       argv[i]);
			return -1;
		}
	}
	return 0;
}

int cmd_triage(int argc, char **argv)
{
	const char *variant = NULL;
	struct triage_verdict *v;
	struct wl_run_params p;
	struct layout l;
	size_t n, done = 0;
	int ret = parse(argc, argv, &variant, &p);

	if (ret)
		return ret > 0 ? EXIT_CLEAN : EXIT_ERROR;
	n = (size_t)(argc - optind);
	if (layout_init(&l))
		return EXIT_ERROR;
	v = calloc(n, sizeof(*v));
	if (!v)
		abort();
	ret = EXIT_CLEAN;
	for (size_t i = 0; i < n; i++) {
		if (triage_finding(&l, argv[optind + i], variant, &p, &v[i]))
			ret = EXIT_ERROR;
		done++;
	}
	triage_print_groups(argv + optind, v, done);
	for (size_t i = 0; i < done && ret != EXIT_ERROR; i++)
		if (v[i].class == TRIAGE_ERROR)
			ret = EXIT_ERROR;
		else if (v[i].class != TRIAGE_KNOWN)
			ret = EXIT_FINDING;
	free(v);
	layout_free(&l);
	return ret;
}
