// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmds/cmds.h"
#include "lib/fsutil.h"
#include "setup/layout.h"
#include "fuzzer/minimize.h"
#include "lib/msg.h"
#include "lib/workload_file.h"
#include "setup/variants.h"
#include "vm/workload_vm.h"

static const char minimize_usage[] =
	"usage: lwfuzz minimize [OPTIONS] FINDING|WORKLOAD\n\n"
	"Shrink a workload that shows a finding while it still shows it: drop\n"
	"threads, drop operations, halve lengths. Each trial is a run in a VM of\n"
	"the chosen kernel (a trial counts as failing when any of its runs\n"
	"fails a check). The smallest workload goes to stdout, or to FILE.\n\n"
	"  -k, --kernel V      stock, buggy or fixed (default buggy)\n"
	"  -n, --runs N        runs per trial (default 1)\n"
	"  -d, --delay-ms N    set btrfs.dio_race_delay_ms\n"
	"  -o, --out FILE      write the minimized workload here\n"
	"  -h, --help          this text\n\n"
	"Exit status: 0 minimized, 1 the workload shows no finding to begin\n"
	"with, 2 error.\n";

struct oracle {
	struct layout *l;
	struct wl_run_params p;
	char work[256];
	unsigned int trial;
};

static int still_fails(const struct workload *w, void *arg)
{
	struct oracle *o = arg;
	char *out = xasprintf("%s/trial-%u", o->work, ++o->trial);
	unsigned int found = 0;
	int ret = workload_run(o->l, &o->p, w, out, &found);

	rm_rf(out);
	free(out);
	if (ret == 2)
		return -1;
	unsigned int ops = 0;

	for (unsigned int t = 0; t < w->nthreads; t++)
		ops += w->threads[t].nops;
	printf("minimize: trial %u (%u threads, %u ops): %s\n", o->trial,
	       w->nthreads, ops, found ? "still fails" : "clean");
	fflush(stdout);
	return found > 0;
}

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
	struct oracle o = { .p = { .variant = "buggy",
				   .runs = 1,
				   .op_timeout = 60,
				   .delay_ms = -1,
				   .quiet = 1 } };
	struct minimize_stats st;
	struct workload w;
	struct patch_set ps;
	struct layout l;
	struct stat sb;
	const char *outfile = NULL;
	char *wl, *end, *text = NULL;
	int c, ret = 2;

	optind = 0;
	while ((c = getopt_long(argc, argv, "k:n:d:o:h", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'k':
			o.p.variant = optarg;
			break;
		case 'n':
			o.p.runs = strtoul(optarg, &end, 10);
			if (*end || !o.p.runs)
				goto usage;
			break;
		case 'd':
			o.p.delay_ms = strtol(optarg, &end, 10);
			if (*end || o.p.delay_ms < 0)
				goto usage;
			break;
		case 'o':
			outfile = optarg;
			break;
		case 'h':
			fputs(minimize_usage, stdout);
			return 0;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1)
		goto usage;
	/* Before minutes of trials: the result could not be written there. */
	if (outfile && !file_replaceable(outfile)) {
		lw_err("--out %s: not a regular file; name a new file",
		       outfile);
		return 2;
	}
	wl = stat(argv[optind], &sb) == 0 && S_ISDIR(sb.st_mode)
		     ? path_join(argv[optind], "workload.lw")
		     : xasprintf("%s", argv[optind]);
	if (wl_load_file(wl, &w) || layout_init(&l)) {
		free(wl);
		return 2;
	}
	o.l = &l;
	if (layout_load_patches(&l, &ps))
		goto out_layout;
	if (!variant_find(&ps, o.p.variant)) {
		lw_err("unknown kernel variant '%s'; choose one of: %s",
		       o.p.variant, variant_names(&ps));
		goto out;
	}
	snprintf(o.work, sizeof(o.work), "%s/lwfuzz-minimize.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(o.work))
		goto out;
	c = still_fails(&w, &o);
	if (c != 1) {
		if (!c)
			lw_err("%s shows no finding on %s; nothing to minimize",
			       wl, o.p.variant);
		ret = c ? 2 : 1;
		goto out_work;
	}
	ret = wl_minimize(&w, still_fails, &o, &st) ? 2 : 0;
	text = wl_format_text(&w);
	lw_info("%u trials, %u accepted", st.trials, st.accepted);
	if (outfile && write_file_atomic(outfile, text, strlen(text))) {
		lw_err("cannot write %s: %s", outfile, strerror(errno));
		ret = 2;
	} else if (!outfile) {
		fputs(text, stdout);
	}
	free(text);
out_work:
	rm_rf(o.work);
out:
	variants_free(&ps);
out_layout:
	layout_free(&l);
	free(wl);
	return ret;
usage:
	lw_err("bad arguments; see 'lwfuzz minimize --help'");
	return 2;
}
