// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds/cmds.h"
#include "cmds/options.h"
#include "setup/layout.h"
#include "lib/msg.h"
#include "vm/vm.h"

static const char vm_usage[] =
	"usage: lwfuzz vm [OPTIONS] -- CMD [ARG...]\n\n"
	"Boot a kernel variant in QEMU (software emulation, 2 vCPUs) and run CMD\n"
	"as root in the guest, with dm-mod, dm-log-writes, dm-snapshot and the\n"
	"variant's btrfs.ko loaded. CMD's output is printed; its exit status is\n"
	"lwfuzz's.\n\n"
	"  -k, --kernel V      a variant: {variants} (default stock)\n"
	"  -f, --file PATH     copy a host file to /in/BASENAME (repeatable)\n"
	"  -d, --disk IMAGE    attach an image file as a virtio disk; the guest\n"
	"                      sees it as $LWFUZZ_DISK0, $LWFUZZ_DISK1, ...\n"
	"                      (repeatable; block devices are refused)\n"
	"  -p, --param M.P=V   set a module parameter before CMD runs, e.g.\n"
	"                      btrfs.dio_race_delay_ms=200 (repeatable)\n"
	"  -o, --out DIR       copy what the guest wrote under /out into DIR\n"
	"  -t, --timeout S     kill the guest after S seconds (default 600)\n"
	"  -m, --mem MB        guest memory (default 1024)\n"
	"  -v, --verbose       print the guest's console after the run\n"
	"      --replay-only   the guest only replays logs: load the variant's\n"
	"                      btrfs built without coverage (faster; no delay\n"
	"                      plans, no coverage) where it has one\n"
	"  -h, --help          this text\n\n"
	"Exit status: CMD's, or 123 guest crashed (panic) before reporting,\n"
	"124 guest still running at the timeout, 125 lwfuzz error (bad\n"
	"arguments, not set up).\n";

static const char *const cmd = "vm";

static int add_to(const char **arr, size_t *n, size_t max, const char *opt,
		  const char *v)
{
	if (*n == max)
		return opt_too_many(cmd, opt, max);
	arr[(*n)++] = v;
	return 0;
}

int vm_parse_args(int argc, char **argv, struct vm_run_opts *o)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "file", required_argument, NULL, 'f' },
		{ "disk", required_argument, NULL, 'd' },
		{ "param", required_argument, NULL, 'p' },
		{ "out", required_argument, NULL, 'o' },
		{ "timeout", required_argument, NULL, 't' },
		{ "mem", required_argument, NULL, 'm' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "replay-only", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->variant = "stock";
	o->timeout_s = 600;
	o->mem_mb = 1024;
	opt_begin();
	/* '+': stop at the first non-option, CMD's own options are CMD's. */
	while ((c = getopt_long(argc, argv, "+:k:f:d:p:o:t:m:vh", longopts,
				NULL)) != -1) {
		int bad = 0;

		switch (c) {
		case 'k':
			o->variant = optarg;
			break;
		case 'f':
			bad = add_to(o->files, &o->nfiles, VM_MAX_FILES,
				     "--file", optarg);
			break;
		case 'd':
			bad = add_to(o->disks, &o->ndisks, 15, "--disk",
				     optarg);
			break;
		case 'p':
			bad = add_to(o->params, &o->nparams, VM_MAX_PARAMS,
				     "--param", optarg);
			break;
		case 'o':
			o->out_dir = optarg;
			break;
		case 't':
			bad = opt_timeout(cmd, optarg, &o->timeout_s);
			break;
		case 'm':
			bad = opt_uint(cmd, "--mem", optarg, 256, 16384,
				       "megabytes", &o->mem_mb);
			break;
		case 'R':
			o->replay_only = 1;
			break;
		case 'v':
			o->verbose = 1;
			break;
		case 'h':
			opt_help(vm_usage);
			return 1;
		default:
			return opt_bad_option(cmd, argv, c);
		}
		if (bad)
			return -1;
	}
	if (optind >= argc)
		return opt_usage_error(cmd,
				       "no command to run after the options");
	o->cmd = argv + optind;
	return 0;
}

int cmd_vm(int argc, char **argv)
{
	struct vm_run_opts o;
	struct layout l;
	int ret;

	/* Our own failures are 125: CMD's statuses 0..2 are CMD's. */
	ret = vm_parse_args(argc, argv, &o);
	if (ret > 0)
		return EXIT_CLEAN;
	if (ret < 0 || opt_kernel(cmd, o.variant, &o.variant) ||
	    layout_init(&l))
		return VM_EXIT_ERROR;
	ret = vm_run(&l, &o);
	layout_free(&l);
	return ret;
}
