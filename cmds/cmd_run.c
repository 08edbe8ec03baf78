// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds/cmds.h"
#include "cmds/options.h"
#include "lib/fsutil.h"
#include "setup/layout.h"
#include "lib/msg.h"
#include "lib/workload_file.h"
#include "lib/poison.h"
#include "vm/vm.h"
#include "lib/workload.h"
#include "vm/workload_vm.h"

static const char run_usage[] =
	"usage: lwfuzz run [OPTIONS] WORKLOAD\n\n"
	"Run a workload (text or binary form; see docs/workloads.md) on btrfs over\n"
	"dm-log-writes in a VM of the chosen kernel, then replay the log to every\n"
	"crash point and check each crash state (as `lwfuzz replay`). The driver\n"
	"marks every fsync in the log and what it promised, so the data check\n"
	"holds the crash states to it.\n\n"
	"  -k, --kernel V      a variant: {variants} (default stock)\n"
	"  -d, --delay-ms N    set btrfs.dio_race_delay_ms (variants that have it)\n"
	"  -n, --runs N        run the workload N times in one VM (default 1)\n"
	"  -o, --out DIR       keep the artifacts: workload.lw, output.txt (the\n"
	"                      text report), dmesg.txt, result.json, run-K/cov.bin\n"
	"                      (the run's btrfs edges), run-K/report.json and\n"
	"                      run-K/log.img of each failing run\n"
	"  -f, --fsck          also run btrfs check --readonly on each crash state\n"
	"  -T, --op-timeout S  a workload still running after S s hangs (default 60)\n"
	"  -C, --no-cov        do not collect btrfs coverage (to measure its cost)\n"
	"      --no-share      mount every crash state, even one whose contents\n"
	"                      equal the previous point's (to measure what\n"
	"                      sharing that mount saves; same verdicts)\n"
	"      --no-template   run mkfs.btrfs through dm-log-writes every run and\n"
	"                      make the crash-state devices anew (the set-up\n"
	"                      before templates; to measure what they save)\n"
	"  -h, --help          this text\n\n"
	"Exit status: 0 clean in every run, 1 a check failed, 2 error or hang.\n";

static const char *const cmd = "run";

struct run_opts {
	const char *variant, *out, *workload;
	unsigned int runs, op_timeout;
	int delay_ms, fsck, no_cov, no_share, no_template;
};

static int parse(int argc, char **argv, struct run_opts *o)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "delay-ms", required_argument, NULL, 'd' },
		{ "runs", required_argument, NULL, 'n' },
		{ "out", required_argument, NULL, 'o' },
		{ "fsck", no_argument, NULL, 'f' },
		{ "op-timeout", required_argument, NULL, 'T' },
		{ "no-cov", no_argument, NULL, 'C' },
		{ "no-share", no_argument, NULL, 'N' },
		{ "no-template", no_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct run_opts){
		.variant = "stock", .runs = 1, .op_timeout = 60, .delay_ms = -1
	};
	opt_begin();
	while ((c = getopt_long(argc, argv, ":k:d:n:o:fT:Ch", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'k':
			if (opt_kernel(cmd, optarg, &o->variant))
				return -1;
			break;
		case 'd':
			if (opt_delay_ms(cmd, optarg, &o->delay_ms))
				return -1;
			break;
		case 'n':
			if (opt_runs(cmd, optarg, &o->runs))
				return -1;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'f':
			o->fsck = 1;
			break;
		case 'C':
			o->no_cov = 1;
			break;
		case 'N':
			o->no_share = 1;
			break;
		case 'M':
			o->no_template = 1;
			break;
		case 'T':
			if (opt_op_timeout(cmd, optarg, &o->op_timeout))
				return -1;
			break;
		case 'h':
			opt_help(run_usage);
			return 1;
		default:
			return opt_bad_option(cmd, argv, c);
		}
	}
	if (optind != argc - 1)
		return opt_usage_error(cmd, "need exactly one WORKLOAD");
	o->workload = argv[optind];
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o;
	struct workload w;
	struct layout l;
	char *outdir;
	int ret = parse(argc, argv, &o);

	if (ret)
		return ret > 0 ? EXIT_CLEAN : EXIT_ERROR;
	if (wl_load_file(o.workload, &w) || layout_init(&l))
		return EXIT_ERROR;
	ret = EXIT_ERROR;
	struct wl_run_params p = { .variant = o.variant,
				   .runs = o.runs,
				   .op_timeout = o.op_timeout,
				   .delay_ms = o.delay_ms,
				   .fsck = o.fsck,
				   .no_cov = o.no_cov,
				   .no_share = o.no_share,
				   .no_template = o.no_template };
	char tmp[256] = "";

	if (o.out && !dir_is_new_or_empty(o.out)) {
		lw_err("--out %s: exists and is not an empty directory; give a new one (lwfuzz writes only over what it created)",
		       o.out);
		goto out;
	}
	if (o.out) {
		outdir = xasprintf("%s", o.out);
	} else {
		snprintf(tmp, sizeof(tmp), "%s/lwfuzz-out.XXXXXX",
			 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		outdir = mkdtemp(tmp) ? xasprintf("%s", tmp) : NULL;
	}
	if (outdir)
		ret = workload_run(&l, &p, &w, outdir, NULL);
	else
		lw_err("cannot create a scratch directory in %s: %s",
		       getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		       strerror(errno));
	if (tmp[0])
		rm_rf(tmp);
	free(outdir);
out:
	layout_free(&l);
	return ret;
}
