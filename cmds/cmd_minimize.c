// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds/cmds.h"
#include "cmds/options.h"
#include "lib/fsutil.h"
#include "setup/layout.h"
#include "fuzzer/minimize_vm.h"
#include "lib/msg.h"
#include "lib/workload_file.h"
#include "vm/workload_vm.h"

static const char minimize_usage[] =
	"usage: lwfuzz minimize [OPTIONS] FINDING|WORKLOAD\n\n"
	"Shrink a workload that shows a finding while it still shows it: drop\n"
	"threads, drop operations, halve lengths. Each trial is a run in a VM of\n"
	"the chosen kernel (a trial counts as failing when any of its runs\n"
	"fails a check). The smallest workload goes to stdout, or to FILE.\n\n"
	"  -k, --kernel V      a variant: {variants} (default buggy)\n"
	"  -n, --runs N        runs per trial (default 1)\n"
	"  -d, --delay-ms N    set btrfs.dio_race_delay_ms\n"
	"  -o, --out FILE      write the minimized workload here\n"
	"  -h, --help          this text\n\n"
	"Exit status: 1 a minimized finding was written (or printed), 0 the\n"
	"workload shows no finding to begin with (nothing to minimize), 2 error.\n";

static const char *const cmd = "minimize";

int cmd_minimize(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "runs", required_argument, NULL, 'n' },
		{ "delay-ms", required_argument, NULL, 'd' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct wl_run_params p = { .variant = "buggy",
				   .runs = 1,
				   .op_timeout = 60,
				   .delay_ms = -1,
				   .quiet = 1 };
	struct workload w;
	struct layout l;
	const char *outfile = NULL;
	char *wl, *text = NULL;
	int c, ret = EXIT_ERROR, failing;

	opt_begin();
	while ((c = getopt_long(argc, argv, ":k:n:d:o:h", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'k':
			if (opt_kernel(cmd, optarg, &p.variant))
				return EXIT_ERROR;
			break;
		case 'n':
			if (opt_runs(cmd, optarg, &p.runs))
				return EXIT_ERROR;
			break;
		case 'd':
			if (opt_delay_ms(cmd, optarg, &p.delay_ms))
				return EXIT_ERROR;
			break;
		case 'o':
			outfile = optarg;
			break;
		case 'h':
			opt_help(minimize_usage);
			return EXIT_CLEAN;
		default:
			opt_bad_option(cmd, argv, c);
			return EXIT_ERROR;
		}
	}
	if (optind != argc - 1) {
		opt_usage_error(cmd, "need exactly one FINDING or WORKLOAD");
		return EXIT_ERROR;
	}
	/* Before minutes of trials: the result could not be written there. */
	if (outfile && !file_replaceable(outfile)) {
		lw_err("--out %s: not a regular file; name a new file",
		       outfile);
		return EXIT_ERROR;
	}
	wl = opt_workload_of(argv[optind], NULL);
	if (wl_load_file(wl, &w) || layout_init(&l)) {
		free(wl);
		return EXIT_ERROR;
	}
	ret = minimize_in_vm(&l, &p, wl, &w, &failing);
	/* After an error while shrinking, the smallest so far still helps. */
	if (!failing)
		goto out;
	text = wl_format_text(&w);
	if (outfile && write_file_atomic(outfile, text, strlen(text))) {
		lw_err("cannot write %s: %s", outfile, strerror(errno));
		ret = EXIT_ERROR;
	} else if (!outfile) {
		fputs(text, stdout);
	}
	free(text);
out:
	layout_free(&l);
	free(wl);
	return ret;
}
