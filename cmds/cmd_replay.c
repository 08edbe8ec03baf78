// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmds/cmds.h"
#include "cmds/options.h"
#include "lib/agent_cmdline.h"
#include "lib/fsutil.h"
#include "setup/layout.h"
#include "lib/msg.h"
#include "vm/replay_vm.h"

static const char replay_usage[] =
	"usage: lwfuzz replay [OPTIONS] LOG [DATA-IMAGE]\n\n"
	"Replay a dm-log-writes log to every crash point in a VM of the chosen\n"
	"kernel, mount each crash state on a throw-away dm-snapshot (the mount\n"
	"replays btrfs's log tree) and check it: missing-csum (a regular extent\n"
	"without data checksums), mount, read (every file reads back), and with\n"
	"--fsck `btrfs check --readonly`. By default checking starts after the\n"
	"mark 'mkfs' when the log has one. DATA-IMAGE is the device's image from\n"
	"before the log started, for logs that do not start with mkfs. Neither\n"
	"file is modified.\n\n"
	"  -k, --kernel V        a variant: {variants} (default stock)\n"
	"  -p, --points LIST     crash points: flush,fua,mark (default) or all\n"
	"  -s, --start-mark M    check only after mark M\n"
	"  -e, --end-mark M      stop at mark M\n"
	"  -f, --fsck            also run btrfs check --readonly on each state\n"
	"      --no-share        mount every crash state, even one whose contents\n"
	"                        equal the previous point's (the cost sharing\n"
	"                        saves; the verdicts are the same)\n"
	"      --jobs N          N VMs at once, each checking a run of 1/N of the\n"
	"                        crash points (one kernel cannot mount two views\n"
	"                        of one btrfs, so more CPUs need more kernels;\n"
	"                        one vCPU and 1024 MB each; default 1, at most 8;\n"
	"                        their progress lines interleave, one report)\n"
	"  -j, --json FILE       write the JSON report to FILE (- for stdout)\n"
	"  -K, --keep DIR        save the image of each failing crash state\n"
	"      --device-size N   bytes of the recorded device (default: from the\n"
	"                        log's btrfs super block, or DATA-IMAGE's size)\n"
	"  -t, --timeout S       give up after S seconds (default 3600)\n"
	"  -h, --help            this text\n\n"
	"Exit status: 0 every crash state passed, 1 a check failed, 2 error.\n";

_Static_assert(AGENT_MAX_PARTS == 8, "replay_usage says at most 8 jobs");

static const char *const cmd = "replay";

struct replay_opts {
	const char *variant, *points, *start, *end, *json, *keep;
	const char *log, *image;
	unsigned long long device_bytes;
	unsigned int timeout, jobs;
	int fsck, no_share;
};

static int parse(int argc, char **argv, struct replay_opts *o)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "points", required_argument, NULL, 'p' },
		{ "start-mark", required_argument, NULL, 's' },
		{ "end-mark", required_argument, NULL, 'e' },
		{ "fsck", no_argument, NULL, 'f' },
		{ "no-share", no_argument, NULL, 'N' },
		{ "jobs", required_argument, NULL, 'J' },
		{ "json", required_argument, NULL, 'j' },
		{ "keep", required_argument, NULL, 'K' },
		{ "device-size", required_argument, NULL, 'D' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->variant = "stock";
	o->timeout = 3600;
	o->jobs = 1;
	opt_begin();
	while ((c = getopt_long(argc, argv, ":k:p:s:e:fj:K:t:h", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'k':
			if (opt_kernel(cmd, optarg, &o->variant))
				return -1;
			break;
		case 'p':
			o->points = optarg;
			break;
		case 's':
			o->start = optarg;
			break;
		case 'e':
			o->end = optarg;
			break;
		case 'f':
			o->fsck = 1;
			break;
		case 'N':
			o->no_share = 1;
			break;
		case 'J':
			if (opt_uint(cmd, "--jobs", optarg, 1, AGENT_MAX_PARTS,
				     "a number of VMs", &o->jobs))
				return -1;
			break;
		case 'j':
			o->json = optarg;
			break;
		case 'K':
			o->keep = optarg;
			break;
		case 'D':
			if (opt_device_size(cmd, optarg, &o->device_bytes))
				return -1;
			break;
		case 't':
			if (opt_timeout(cmd, optarg, &o->timeout))
				return -1;
			break;
		case 'h':
			opt_help(replay_usage);
			return 1;
		default:
			return opt_bad_option(cmd, argv, c);
		}
	}
	if (argc - optind < 1 || argc - optind > 2)
		return opt_usage_error(cmd,
				       "need a LOG and at most a DATA-IMAGE");
	o->log = argv[optind];
	o->image = argc - optind == 2 ? argv[optind + 1] : NULL;
	return 0;
}

/* The report where --json asks for it. */
static int write_json(const char *json, const char *report)
{
	if (!json)
		return 0;
	if (!strcmp(json, "-")) {
		fputs(report, stdout);
		return 0;
	}
	if (write_file_atomic(json, report, strlen(report)) == 0)
		return 0;
	lw_err("cannot write %s: %s%s", json, strerror(errno),
	       errno == EEXIST
		       ? " (not a regular file; '-j -' writes to stdout)"
		       : "");
	return -1;
}

int cmd_replay(int argc, char **argv)
{
	struct replay_opts o;
	struct replay_vm_opts vo;
	struct layout l;
	char *report = NULL;
	int ret = parse(argc, argv, &o);

	if (ret)
		return ret > 0 ? EXIT_CLEAN : EXIT_ERROR;
	if (layout_init(&l))
		return EXIT_ERROR;
	vo = (struct replay_vm_opts){ .variant = o.variant,
				      .log = o.log,
				      .image = o.image,
				      .points = o.points,
				      .start = o.start,
				      .end = o.end,
				      .keep = o.keep,
				      .device_bytes = o.device_bytes,
				      .timeout_s = o.timeout,
				      .fsck = o.fsck,
				      .no_share = o.no_share,
				      .jobs = o.jobs };
	ret = replay_vm(&l, &vo, &report);
	if (report && write_json(o.json, report))
		ret = EXIT_ERROR;
	free(report);
	layout_free(&l);
	return ret;
}
