// SPDX-License-Identifier: GPL-2.0
/*
 * lwfuzz: a crash-consistency fuzzer for Linux file systems built on
 * dm-log-writes. This is the command dispatcher.
 */
#include <stdio.h>
#include <string.h>

#include "cmds/cmds.h"
#include "lib/msg.h"

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct cmd cmds[] = {
	{ "setup", cmd_setup,
	  "install packages, fetch the kernel, build the btrfs variants and initramfs" },
	{ "vm", cmd_vm,
	  "boot a kernel variant in QEMU and run a command in it" },
	{ "run", cmd_run,
	  "run a workload in a VM, then replay and check every crash state" },
	{ "fuzz", cmd_fuzz,
	  "an AFL++ campaign of workloads against one persistent VM" },
	{ "exec", cmd_exec, "one execution in a serving VM (AFL++'s target)" },
	{ "repro", cmd_repro,
	  "reproduce a finding: replay its log, rerun its workload N times" },
	{ "minimize", cmd_minimize,
	  "shrink a workload while it still shows its finding" },
	{ "bisect", cmd_bisect,
	  "find the patch that makes a finding appear or disappear" },
	{ "export-fstests", cmd_export,
	  "write a finding as a standalone fstests test (dmlogwrites + xfs_io)" },
	{ "log", cmd_log, "print a dm-log-writes log: entries, flags, marks" },
	{ "replay", cmd_replay,
	  "replay a log to every crash point and check each crash state" },
	{ "kernels", cmd_kernels,
	  "list the kernel variants, their patches and whether they are built" },
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: lwfuzz COMMAND [ARGS]\n\n"
		"lwfuzz records every write of a file system with dm-log-writes, replays\n"
		"the log to every crash point and checks each crash state in the kernel\n"
		"under test.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(*cmds); i++)
		fprintf(f, "  %-9s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "  %-9s %s\n", "help", "this text, or 'help COMMAND'");
	fprintf(f, "\nRun 'lwfuzz COMMAND --help' for a command's options.\n");
}

static const struct cmd *find(const char *name)
{
	for (size_t i = 0; i < sizeof(cmds) / sizeof(*cmds); i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const struct cmd *c;

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
	return c->fn(argc - 1, argv + 1);
}
