// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds/cmds.h"
#include "lib/fsutil.h"
#include "setup/layout.h"
#include "lib/msg.h"
#include "lib/workload_file.h"
#include "lib/poison.h"
#include "setup/variants.h"
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
	"  -k, --kernel V      stock, buggy or fixed (default stock)\n"
	"  -d, --delay-ms N    set btrfs.dio_race_delay_ms (variants that have it)\n"
	"  -n, --runs N        run the workload N times in one VM (default 1)\n"
	"  -o, --out DIR       keep the artifacts: workload.lw, output.txt (the\n"
	"                      text report), dmesg.txt, run-K/report.json and\n"
	"                      run-K/log.img of each failing run\n"
	"  -f, --fsck          also run btrfs check --readonly on each crash state\n"
	"  -T, --op-timeout S  a workload still running after S s hangs (default 60)\n"
	"  -h, --help          this text\n\n"
	"Exit status: 0 clean in every run, 1 a check failed, 2 error or hang.\n";

struct run_opts {
	const char *variant, *out, *workload;
	unsigned int runs, op_timeout;
	int delay_ms, fsck;
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	*o = (struct run_opts){
		.variant = "stock", .runs = 1, .op_timeout = 60, .delay_ms = -1
	};
	optind = 0;
	while ((c = getopt_long(argc, argv, "k:d:n:o:fT:h", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'k':
			o->variant = optarg;
			break;
		case 'd':
			o->delay_ms = strtol(optarg, &end, 10);
			if (*end || o->delay_ms < 0 || o->delay_ms > 10000)
				return -1;
			break;
		case 'n':
			o->runs = strtoul(optarg, &end, 10);
			if (*end || !o->runs || o->runs > 1000)
				return -1;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'f':
			o->fsck = 1;
			break;
		case 'T':
			o->op_timeout = strtoul(optarg, &end, 10);
			if (*end || !o->op_timeout)
				return -1;
			break;
		case 'h':
			fputs(run_usage, stdout);
			return 1;
		default:
			return -1;
		}
	}
	if (optind != argc - 1)
		return -1;
	o->workload = argv[optind];
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o;
	struct workload w;
	struct patch_set ps;
	struct layout l;
	char *outdir;
	int ret = parse(argc, argv, &o);

	if (ret > 0)
		return 0;
	if (ret < 0) {
		lw_err("bad arguments; see 'lwfuzz run --help'");
		return 2;
	}
	if (wl_load_file(o.workload, &w) || layout_init(&l))
		return 2;
	ret = 2;
	if (layout_load_patches(&l, &ps))
		goto out_layout;
	if (!variant_find(&ps, o.variant)) {
		lw_err("unknown kernel variant '%s'; choose one of: %s",
		       o.variant, variant_names(&ps));
		goto out;
	}
	struct wl_run_params p = { .variant = o.variant,
				   .runs = o.runs,
				   .op_timeout = o.op_timeout,
				   .delay_ms = o.delay_ms,
				   .fsck = o.fsck };
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
	if (tmp[0])
		rm_rf(tmp);
	free(outdir);
out:
	variants_free(&ps);
out_layout:
	layout_free(&l);
	return ret;
}
