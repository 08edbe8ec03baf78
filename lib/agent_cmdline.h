/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command lines of the guest agent (`lwfuzz-agent run` and
 * `lwfuzz-agent replay`): the one builder the host uses and the one parser
 * the agent uses, so that the two ends cannot drift apart.
 *
 * The host does not know the guest's device names, only the order in
 * which it attached its disk images: it names a device AGENT_DISK(n) and
 * the guest's shell turns that into $LWFUZZ_DISKn.
 */
#ifndef LWFUZZ_AGENT_CMDLINE_H
#define LWFUZZ_AGENT_CMDLINE_H

#include <stddef.h>

#define AGENT_DISK(n) "$LWFUZZ_DISK" #n

/* `lwfuzz-agent run`: record, replay and check a workload N times. */
struct agent_run_args {
	const char *workload; /* a workload file; NULL when serving */
	const char *serve; /* the port to serve executions on, or NULL */
	const char *data, *log, *target, *cow; /* the four devices */
	const char *out; /* where results go (default /out) */
	unsigned int runs; /* >= 1 */
	unsigned int timeout_s; /* a workload thread's bound, >= 1 */
	int delay_ms; /* btrfs.dio_race_delay_ms; -1 leaves it alone */
	int fsck;
	int no_cov; /* do not collect btrfs coverage */
	int no_share; /* every crash state on a mount of its own (benchmarks) */
	int no_template; /* mkfs every run (benchmarks; guest/fs_template.h) */
	const char *test_fault; /* tests only: "panic:ID" or "hang:ID" */
};

/* `lwfuzz-agent replay`: replay a log and check every crash state. */
struct agent_replay_args {
	const char *log, *target, *cow; /* the three devices */
	const char *mnt; /* where crash states are mounted */
	const char *points, *start_mark, *end_mark; /* NULL: the defaults */
	const char *report; /* the JSON report's path, or NULL */
	int fsck;
	int no_share; /* every crash state on a mount of its own (benchmarks) */
	/* Check part @part (from 0) of @parts of the crash points (0: all). */
	unsigned int part, parts;
};

#define AGENT_MAX_PARTS 8

/*
 * The four devices on the VM's disks in the order vm/workload_vm.h's
 * workload_disks() makes them: data, log, target, cow.
 */
void agent_run_on_disks(struct agent_run_args *a);

/* The defaults both ends assume. */
void agent_run_defaults(struct agent_run_args *a);
void agent_replay_defaults(struct agent_replay_args *a);

/*
 * The guest command (argv for vm_run_opts.cmd) that runs the agent with
 * @a: malloc'ed, NULL-terminated, freed with agent_cmd_free().
 */
char **agent_run_cmd(const struct agent_run_args *a);
char **agent_replay_cmd(const struct agent_replay_args *a);
void agent_cmd_free(char **cmd);

/*
 * Parse the agent's arguments after its verb (argv[0] is the verb). 0, or
 * -1 with what is wrong in @why.
 */
int agent_run_parse(int argc, char **argv, struct agent_run_args *a, char *why,
		    size_t whylen);
int agent_replay_parse(int argc, char **argv, struct agent_replay_args *a,
		       char *why, size_t whylen);

#endif
