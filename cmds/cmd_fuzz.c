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
	"  -k, --kernel V        a variant: stock, buggy, fixed, ... (default buggy)\n"
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
	"  -h, --help            this text\n\n"
	"Ctrl-C (or SIGTERM) ends the campaign cleanly; --resume continues it.\n"
	"When the file system holding OUT runs out of space the campaign stops\n"
	"and keeps the input in flight in OUT/pending, which --resume runs\n"
	"first. Plots of the campaign (afl-plot) are written to OUT/plots at\n"
	"the end.\n\n"
	"Exit status: 1 when there are findings, 0 when none, 2 on error.\n";

static int parse_duration(const char *s, unsigned int *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (end == s)
		return -1;
	if (*end == 'm')
		v *= 60, end++;
	else if (*end == 'h')
		v *= 3600, end++;
	else if (*end == 's')
		end++;
	if (*end || !v || v > 30 * 86400)
		return -1;
	*out = v;
	return 0;
}

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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	*o = (struct fuzz_opts){ .variant = "buggy",
				 .out = "fuzz-out",
				 .seconds = 600,
				 .op_timeout_s = 60,
				 .jobs = 1,
				 .delay_ms = -1 };
	optind = 0;
	while ((c = getopt_long(argc, argv, "k:t:c:o:d:T:j:F:rxs:h", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'k':
			o->variant = optarg;
			break;
		case 't':
			if (parse_duration(optarg, &o->seconds))
				return -1;
			break;
		case 'c':
			o->corpus = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'd':
			o->delay_ms = strtol(optarg, &end, 10);
			if (*end || o->delay_ms < 0)
				return -1;
			break;
		case 'T':
			o->op_timeout_s = strtoul(optarg, &end, 10);
			if (*end || !o->op_timeout_s || o->op_timeout_s > 3600)
				return -1;
			break;
		case 'j':
			o->jobs = strtoul(optarg, &end, 10);
			if (*end || !o->jobs || o->jobs > MAX_JOBS)
				return -1;
			break;
		case 'F':
			if (o->nforeign == 8)
				return -1;
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
		case 'h':
			fputs(fuzz_usage, stdout);
			return 1;
		default:
			return -1;
		}
	}
	return optind == argc ? 0 : -1;
}

/* One tick of the loop: a failed guest is filed and restarted. */
int cmd_fuzz(int argc, char **argv)
{
	struct fuzz_opts o;
	struct patch_set ps;
	struct layout l;
	int ret;

	/* Progress and errors interleave in order when both go to a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	ret = parse(argc, argv, &o);
	if (ret)
		return ret > 0 ? 0
			       : (lw_err("bad arguments; see 'lwfuzz fuzz --help'"),
				  2);
	if (layout_init(&l))
		return 2;
	ret = 2;
	if (layout_load_patches(&l, &ps))
		goto out_layout;
	if (!variant_find(&ps, o.variant)) {
		lw_err("unknown kernel variant '%s'; choose one of: %s",
		       o.variant, variant_names(&ps));
		goto out;
	}
	ret = campaign_run(&o, &l);
out:
	variants_free(&ps);
out_layout:
	layout_free(&l);
	return ret;
}
