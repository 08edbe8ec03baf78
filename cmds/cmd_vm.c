// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds/cmds.h"
#include "setup/layout.h"
#include "lib/msg.h"
#include "setup/variants.h"
#include "vm/vm.h"

static const char vm_usage[] =
	"usage: lwfuzz vm [OPTIONS] -- CMD [ARG...]\n\n"
	"Boot a kernel variant in QEMU (software emulation, 2 vCPUs) and run CMD\n"
	"as root in the guest, with dm-mod, dm-log-writes, dm-snapshot and the\n"
	"variant's btrfs.ko loaded. CMD's output is printed; its exit status is\n"
	"lwfuzz's.\n\n"
	"  -k, --kernel V      variant: stock, buggy or fixed (default stock)\n"
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
	"  -h, --help          this text\n\n"
	"Exit status: CMD's, or 123 guest crashed (panic) before reporting,\n"
	"124 guest still running at the timeout, 125 lwfuzz error.\n";

static int parse_uint(const char *s, unsigned int min, unsigned int max,
		      unsigned int *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int add_to(const char **arr, size_t *n, size_t max, const char *v)
{
	if (*n == max)
		return -1;
	arr[(*n)++] = v;
	return 0;
}

int vm_parse_args(int argc, char **argv, struct vm_run_opts *o, char *why,
		  size_t whylen)
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	o->variant = "stock";
	o->timeout_s = 600;
	o->mem_mb = 1024;
	optind = 0;
	opterr = 0;
	/* '+': stop at the first non-option, CMD's own options are CMD's. */
	while ((c = getopt_long(argc, argv, "+k:f:d:p:o:t:m:vh", longopts,
				NULL)) != -1) {
		int bad = 0;

		switch (c) {
		case 'k':
			o->variant = optarg;
			break;
		case 'f':
			bad = add_to(o->files, &o->nfiles, VM_MAX_FILES,
				     optarg);
			break;
		case 'd':
			bad = add_to(o->disks, &o->ndisks, 15, optarg);
			break;
		case 'p':
			bad = add_to(o->params, &o->nparams, VM_MAX_PARAMS,
				     optarg);
			break;
		case 'o':
			o->out_dir = optarg;
			break;
		case 't':
			bad = parse_uint(optarg, 1, 86400, &o->timeout_s);
			break;
		case 'm':
			bad = parse_uint(optarg, 256, 16384, &o->mem_mb);
			break;
		case 'v':
			o->verbose = 1;
			break;
		case 'h':
			fputs(vm_usage, stdout);
			return 1;
		default:
			snprintf(
				why, whylen,
				"unknown or incomplete option '%s'; see 'lwfuzz vm --help'",
				argv[optind - 1]);
			return -1;
		}
		if (bad) {
			snprintf(
				why, whylen,
				"bad value '%s' for -%c (too many, or out of range); see 'lwfuzz vm --help'",
				optarg, c);
			return -1;
		}
	}
	if (optind >= argc) {
		snprintf(
			why, whylen,
			"no command to run; usage: lwfuzz vm [OPTIONS] -- CMD [ARG...]");
		return -1;
	}
	o->cmd = argv + optind;
	return 0;
}

int cmd_vm(int argc, char **argv)
{
	struct vm_run_opts o;
	struct patch_set ps;
	struct layout l;
	char why[512];
	int ret;

	ret = vm_parse_args(argc, argv, &o, why, sizeof(why));
	if (ret > 0)
		return 0;
	if (ret < 0) {
		lw_err("%s", why);
		return VM_EXIT_ERROR;
	}
	if (layout_init(&l))
		return VM_EXIT_ERROR;
	ret = VM_EXIT_ERROR;
	if (layout_load_patches(&l, &ps))
		goto out;
	if (!variant_find(&ps, o.variant))
		lw_err("unknown kernel variant '%s'; choose one of: %s",
		       o.variant, variant_names(&ps));
	else
		ret = vm_run(&l, &o);
	variants_free(&ps);
out:
	layout_free(&l);
	return ret;
}
