// SPDX-License-Identifier: GPL-2.0
/*
 * lwfuzz: a crash-consistency fuzzer for Linux file systems built on
 * dm-log-writes. This is the command dispatcher.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds/cmds.h"
#include "lib/msg.h"
#include "vm/accel.h"

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	int boots; /* boots guests: the accelerator is decided first */
};

static const struct cmd cmds[] = {
	{ "setup", cmd_setup,
	  "install packages, fetch the kernel, build the btrfs variants and initramfs", 1 },
	{ "vm", cmd_vm,
	  "boot a kernel variant in QEMU and run a command in it", 1 },
	{ "run", cmd_run,
	  "run a workload in a VM, then replay and check every crash state", 1 },
	{ "fuzz", cmd_fuzz,
	  "an AFL++ campaign of workloads against one persistent VM", 1 },
	{ "exec", cmd_exec, "one execution in a serving VM (AFL++'s target)", 1 },
	{ "repro", cmd_repro,
	  "reproduce a finding: replay its log, rerun its workload N times", 1 },
	{ "minimize", cmd_minimize,
	  "shrink a workload while it still shows its finding", 1 },
	{ "bisect", cmd_bisect,
	  "find the patch that makes a finding appear or disappear", 1 },
	{ "triage", cmd_triage,
	  "sort findings by the known fix that makes each disappear", 1 },
	{ "export-fstests", cmd_export,
	  "write a finding as a standalone fstests test (dmlogwrites + xfs_io)", 0 },
	{ "log", cmd_log, "print a dm-log-writes log: entries, flags, marks", 0 },
	{ "replay", cmd_replay,
	  "replay a log to every crash point and check each crash state", 1 },
	{ "kernels", cmd_kernels,
	  "list the kernel variants, their patches and whether they are built", 0 },
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: lwfuzz [--accel auto|kvm|tcg] COMMAND [ARGS]\n\n"
		"lwfuzz records every write of a file system with dm-log-writes, replays\n"
		"the log to every crash point and checks each crash state in the kernel\n"
		"under test.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(*cmds); i++)
		fprintf(f, "  %-9s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "  %-9s %s\n", "help", "this text, or 'help COMMAND'");
	fprintf(f,
		"\n--accel: how QEMU runs the guests: kvm where /dev/kvm can boot a\n"
		"stock kernel (hardware-backed KVM), tcg (software emulation)\n"
		"elsewhere; auto (the default, or $LWFUZZ_ACCEL) probes.\n"
		"\nRun 'lwfuzz COMMAND --help' for a command's options.\n");
}

static const struct cmd *find(const char *name)
{
	for (size_t i = 0; i < sizeof(cmds) / sizeof(*cmds); i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

/* --accel MODE before the command, else $LWFUZZ_ACCEL, else auto. */
static int accel_option(int *argc, char ***argv, enum vm_accel *want)
{
	const char *s = getenv("LWFUZZ_ACCEL"), *from = "LWFUZZ_ACCEL";

	if (*argc >= 2 && !strncmp((*argv)[1], "--accel", 7)) {
		from = "--accel";
		if ((*argv)[1][7] == '=') {
			s = (*argv)[1] + 8;
			*argc -= 1;
			(*argv)[1] = (*argv)[0];
			*argv += 1;
		} else if (!(*argv)[1][7] && *argc >= 3) {
			s = (*argv)[2];
			*argc -= 2;
			(*argv)[2] = (*argv)[0];
			*argv += 2;
		} else {
			lw_err("--accel needs a value: auto, kvm or tcg");
			return -1;
		}
	}
	*want = VM_ACCEL_AUTO;
	if (s && *s && vm_accel_parse(s, want)) {
		lw_err("%s '%s': not auto, kvm or tcg", from, s);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const struct cmd *c;
	enum vm_accel want;

	if (accel_option(&argc, &argv, &want))
		return EXIT_ERROR;
	if (argc < 2) {
		usage(stderr);
		return EXIT_ERROR;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		if (argc == 2) {
			usage(stdout);
			return EXIT_CLEAN;
		}
		c = find(argv[2]);
		if (!c) {
			lw_err("unknown command '%s', in 'lwfuzz %s %s'; run 'lwfuzz help' for the list",
			       argv[2], argv[1], argv[2]);
			return EXIT_ERROR;
		}
		char *hv[] = { (char *)c->name, "--help", NULL };

		return c->fn(2, hv);
	}
	c = find(argv[1]);
	if (!c) {
		lw_err("unknown command '%s'; run 'lwfuzz help' for the list",
		       argv[1]);
		return EXIT_ERROR;
	}
	if (c->boots && vm_accel_settle(want))
		return EXIT_ERROR;
	return c->fn(argc - 1, argv + 1);
}
