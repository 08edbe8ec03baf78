/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One guest boot that runs one command: the engine of `lwfuzz vm`.
 */
#ifndef LWFUZZ_VM_RUN_H
#define LWFUZZ_VM_RUN_H

#include <stddef.h>

#include "setup/layout.h"

/* Exit statuses of our own, beside the command's (like timeout(1)). */
enum {
	VM_EXIT_CRASHED = 123, /* guest died before reporting: panic, ... */
	VM_EXIT_TIMEOUT = 124, /* guest still running at the timeout */
	VM_EXIT_ERROR = 125, /* lwfuzz itself failed: usage, set-up */
};

#define VM_MAX_FILES 64
#define VM_MAX_PARAMS 16

struct vm_run_opts {
	const char *variant;
	const char *files[VM_MAX_FILES]; /* copied to /in/BASENAME */
	size_t nfiles;
	const char *disks[16]; /* image files, LWFUZZ_DISK0.. in the guest */
	int disk_ro[16]; /* attach read-only */
	size_t ndisks;
	const char *params[VM_MAX_PARAMS]; /* "module.param=value" */
	size_t nparams;
	const char *out_dir; /* NULL: the guest's /out is dropped */
	unsigned int timeout_s;
	unsigned int mem_mb;
	unsigned int cpus; /* vCPUs; 0: 2 */
	int verbose; /* echo the guest console to stderr afterwards */
	const char *tee_path; /* also write the command's output here */
	int quiet_output; /* ...and not to stdout */
	int tee_append; /* append to tee_path instead of replacing it */
	const char *ctl_socket; /* the guest's ttyS2 as a Unix socket */
	const char *console_copy; /* keep the guest console here, always */
	int no_console_tail; /* errors without the console's last lines */
	int quiet_stop; /* a signal is the caller's way to stop it: say nothing */
	/*
	 * The guest only replays logs: the variant's btrfs built without
	 * coverage is loaded where it has one (guest/init), no lwfuzz.ko.
	 */
	int replay_only;
	char **cmd; /* argv run in the guest */
};

/*
 * Boot, run, collect. Returns the command's exit status or one of the
 * VM_EXIT_* values; every error is reported on stderr.
 */
int vm_run(const struct layout *l, const struct vm_run_opts *o);

/*
 * The shell line the guest runs for @argv: each word single-quoted.
 * malloc'ed.
 */
char *vm_shell_quote(char *const argv[]);

#endif
