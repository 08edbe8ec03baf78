/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The subcommands of lwfuzz, in the style of btrfs-progs' cmds/: each takes
 * its argv (argv[0] is the subcommand's name) and returns the exit status.
 */
#ifndef LWFUZZ_CMDS_H
#define LWFUZZ_CMDS_H

#include <stddef.h>

struct vm_run_opts;

int cmd_setup(int argc, char **argv);
int cmd_vm(int argc, char **argv);
int cmd_kernels(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_bisect(int argc, char **argv);
int cmd_triage(int argc, char **argv);
int cmd_repro(int argc, char **argv);
int cmd_minimize(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_fuzz(int argc, char **argv);
int cmd_export(int argc, char **argv);

/*
 * Parse `lwfuzz vm` arguments into @o. Returns 0, 1 when --help was asked
 * (usage printed), or -1 with a message printed. --kernel is taken as
 * given (cmd_vm() checks it): this parser reads no file.
 */
int vm_parse_args(int argc, char **argv, struct vm_run_opts *o);

#endif
