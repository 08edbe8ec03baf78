// SPDX-License-Identifier: GPL-2.0
/*
 * `lwfuzz exec`: the target AFL++ runs for each test case (with
 * AFL_NO_FORKSRV: one process per execution, which costs nothing next to
 * an execution's seconds in the VM). It hands the workload to the serving
 * guest, maps the reply's features into AFL++'s coverage map, and aborts
 * when a check failed, so that AFL++ files the input as a crash.
 */
#include <stdio.h>
#include <string.h>

#include "cmds/cmds.h"
#include "cmds/options.h"
#include "fuzzer/exec_target.h"
#include "lib/msg.h"

/*
 * AFL++ reads an execution's outcome from how the target ends: a clean
 * exit is a pass whatever its status, a signal is a crash.
 */
static const char exec_usage[] =
	"usage: lwfuzz exec --socket PATH WORKLOAD\n\n"
	"One execution of WORKLOAD in the VM that serves on the Unix socket\n"
	"PATH: the target that 'lwfuzz fuzz' has afl-fuzz run for each test\n"
	"case. Not for use by hand.\n\n"
	"  -h, --help   this text\n\n"
	"Exit status: 0 the execution passed (or WORKLOAD is not a workload:\n"
	"nothing to run), 2 bad arguments or an unreadable WORKLOAD; it aborts\n"
	"(SIGABRT, which AFL++ files as a crash) when a check failed or the\n"
	"guest died, hung or did not answer.\n";

int cmd_exec(int argc, char **argv)
{
	if (argc == 2 &&
	    (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(exec_usage, stdout);
		return EXIT_CLEAN;
	}
	/* AFL++ passes exactly this: no getopt, nothing else to accept. */
	if (argc != 4 || strcmp(argv[1], "--socket")) {
		opt_usage_error("exec", "expected --socket PATH WORKLOAD");
		return EXIT_ERROR;
	}
	return exec_target(argv[2], argv[3]);
}
