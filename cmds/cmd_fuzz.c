// SPDX-License-Identifier: GPL-2.0
/*
 * `lwfuzz fuzz`: an AFL++ campaign against one persistent VM. The guest
 * serves executions (`lwfuzz-agent run --serve`) on a serial port QEMU
 * exposes as a Unix socket; afl-fuzz runs `lwfuzz exec` per test case with
 * the structure-aware mutator; failing executions become AFL++ crashes and
 * are filed, deduplicated by signature, under OUT/findings. A guest that
 * dies or hangs is restarted and its input filed with its console.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmds/cmds.h"
#include "cmds/options.h"
#include "fuzzer/campaign.h"
#include "lib/exec_proto.h"
#include "fuzzer/finding_post.h"
#include "fuzzer/finding_store.h"
#include "lib/fsutil.h"
#include "fuzzer/campaign_vm.h"
#include "lib/hash.h"
#include "setup/layout.h"
#include "lib/msg.h"
#include "lib/workload_file.h"
#include "fuzzer/signature.h"
#include "lib/spawn.h"
#include "setup/variants.h"
#include "vm/vm.h"
#include "lib/workload.h"
#include "vm/workload_vm.h"

static const char fuzz_usage[] =
	"usage: lwfuzz fuzz [OPTIONS]\n\n"
	"Run an AFL++ campaign on workloads against one VM of the chosen kernel:\n"
	"every execution records a workload on a fresh btrfs over dm-log-writes\n"
	"and checks every crash state of its log. Findings are filed under\n"
	"OUT/findings/HASH/ (workload.lw, workload.bin, signature, and\n"
	"report.json for a failed check or console.txt for a guest that died or\n"
	"hung), one per signature. A dead or hung guest is restarted.\n\n"
	"  -k, --kernel V        a variant: {variants} (default buggy)\n"
	"  -t, --time D          stop after D (90s, 10m, 1h; default 10m)\n"
	"  -c, --corpus DIR      seed workloads (*.lw; default corpus/seeds)\n"
	"  -o, --out DIR         campaign directory (default fuzz-out)\n"
	"  -d, --delay-ms N      set btrfs.dio_race_delay_ms\n"
	"  -j, --jobs N          N VMs, each fuzzed by an AFL++ instance (-M/-S)\n"
	"                        sharing OUT/afl (default 1; at most 8)\n"
	"  -F, --foreign DIR     also import the test cases in DIR (another\n"
	"                        machine's OUT/afl/main/queue; up to 8 times)\n"
	"  -T, --op-timeout S    a workload still running after S s hangs (60)\n"
	"  -r, --resume          continue the campaign in OUT\n"
	"  -x, --stop-on-finding end at the first finding\n"
	"  -s, --stop-on CHECK   end at the first finding whose failed checks\n"
	"                        include CHECK (missing-csum, data, read, ...)\n"
	"      --no-minimize     keep new findings as found (default: shrink\n"
	"                        each in the campaign's VM, minimized.lw)\n"
	"      --no-record       do not rerun new findings in a fresh VM to keep\n"
	"                        their log image, dmesg and report (record/)\n"
	"      --triage N        at the end, run each new finding N times on its\n"
	"                        variant and on the variants of its known fixes\n"
	"                        (`lwfuzz triage`); the summary counts unexplained\n"
	"                        and known findings apart\n"
	"  -h, --help            this text\n\n"
	"Ctrl-C (or SIGTERM) ends the campaign cleanly; --resume continues it.\n"
	"When the file system holding OUT runs out of space the campaign stops\n"
	"and keeps the input in flight in OUT/pending, which --resume runs\n"
	"first. Plots of the campaign (afl-plot) are written to OUT/plots at\n"
	"the end.\n\n"
	"Exit status: 1 when there are findings, 0 when none, 2 on error.\n";

static const char *const cmd = "fuzz";

static int parse(int argc, char **argv, struct fuzz_opts *o)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "time", required_argument, NULL, 't' },
		{ "corpus", required_argument, NULL, 'c' },
		{ "out", required_argument, NULL, 'o' },
		{ "delay-ms", required_argument, NULL, 'd' },
		{ "op-timeout", required_argument, NULL, 'T' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "foreign", required_argument, NULL, 'F' },
		{ "resume", no_argument, NULL, 'r' },
		{ "stop-on-finding", no_argument, NULL, 'x' },
		{ "stop-on", required_argument, NULL, 's' },
		{ "no-minimize", no_argument, NULL, 'm' },
		{ "no-record", no_argument, NULL, 'R' },
		{ "triage", required_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct fuzz_opts){ .variant = "buggy",
				 .out = "fuzz-out",
				 .seconds = 600,
				 .op_timeout_s = 60,
				 .jobs = 1,
				 .delay_ms = -1 };
	opt_begin();
	while ((c = getopt_long(argc, argv, ":k:t:c:o:d:T:j:F:rxs:h", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'k':
			if (opt_kernel(cmd, optarg, &o->variant))
				return -1;
			break;
		case 't':
			if (opt_time(cmd, optarg, &o->seconds))
				return -1;
			break;
		case 'c':
			o->corpus = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'd':
			if (opt_delay_ms(cmd, optarg, &o->delay_ms))
				return -1;
			break;
		case 'T':
			if (opt_op_timeout(cmd, optarg, &o->op_timeout_s))
				return -1;
			break;
		case 'j':
			if (opt_uint(cmd, "--jobs", optarg, 1, MAX_JOBS,
				     "a number of VMs", &o->jobs))
				return -1;
			break;
		case 'F':
			if (o->nforeign == 8)
				return opt_too_many(cmd, "--foreign", 8);
			o->foreign[o->nforeign++] = optarg;
			break;
		case 'r':
			o->resume = 1;
			break;
		case 'x':
			o->stop_on_finding = 1;
			break;
		case 's':
			o->stop_on = optarg;
			break;
		case 'm':
			o->no_minimize = 1;
			break;
		case 'R':
			o->no_record = 1;
			break;
		case 'A':
			if (opt_uint(cmd, "--triage", optarg, 1, OPT_RUNS_MAX,
				     "a number of runs", &o->triage_runs))
				return -1;
			break;
		case 'h':
			opt_help(fuzz_usage);
			return 1;
		default:
			return opt_bad_option(cmd, argv, c);
		}
	}
	if (optind != argc)
		return opt_usage_error(cmd, "unexpected argument '%s'",
				       argv[optind]);
	return 0;
}

int cmd_fuzz(int argc, char **argv)
{
	struct fuzz_opts o;
	struct layout l;
	int ret;

	/* Progress and errors interleave in order when both go to a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = parse(argc, argv, &o);
	if (ret)
		return ret > 0 ? EXIT_CLEAN : EXIT_ERROR;
	if (layout_init(&l))
		return EXIT_ERROR;
	ret = campaign_run(&o, &l);
	layout_free(&l);
	return ret;
}
