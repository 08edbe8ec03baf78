/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `lwfuzz fuzz` inside: the campaign's state, shared by campaign.c (the
 * loop), campaign_afl.c (the AFL++ instances, status, plots),
 * campaign_findings.c (filing, minimizing and recording findings) and
 * campaign_pending.c (a full OUT, inputs kept for --resume).
 */
#ifndef LWFUZZ_CAMPAIGN_H
#define LWFUZZ_CAMPAIGN_H

#include <signal.h>
#include <sys/types.h>

#include "fuzzer/campaign_vm.h"
#include "setup/layout.h"
#include "lib/workload.h"

struct fuzz_opts {
	const char *variant, *corpus, *out;
	unsigned int seconds;
	int delay_ms;
	int resume, stop_on_finding, no_minimize, no_record;
	unsigned int jobs, nforeign;
	const char *foreign[8]; /* other machines' queues, for -F */
	const char *stop_on;
	unsigned int op_timeout_s;
	unsigned int triage_runs; /* --triage N: 0 off */
};

#define MAX_JOBS 8

/* Trials to shrink one finding in the campaign's VM (about 2 s each). */
#define MINIMIZE_TRIALS 40

/* What the campaign loop keeps track of. */
struct campaign {
	const struct fuzz_opts *o;
	const struct layout *l;
	unsigned int jobs;
	struct fuzz_vm vm[MAX_JOBS]; /* one per AFL++ instance */
	char *findings; /* OUT/findings */
	double t0;
	unsigned int new_findings;
	int stop_hit; /* a finding --stop-on names */
	unsigned int seeds, failed_seeds;
	char *new_dirs[256]; /* findings of this campaign, for the post work */
	unsigned int n_new_dirs;
	char release[64]; /* the guest kernel's */
	char origin[512]; /* a user's own kernel: its image and modules */
	int afl_started; /* the seeds are done; inputs in flight are AFL++'s */
	char *halt_why; /* set when OUT can take no more: the campaign stops */
	unsigned int kept_pending; /* inputs kept in OUT/pending */
	char *triage_counts; /* the new findings' triage, for the summary */
};

/*
 * The whole campaign on @o, in a VM of @l's variant @o->variant (checked
 * by the caller). 0 no finding, 1 findings, 2 error or halted.
 */
int campaign_run(const struct fuzz_opts *o, const struct layout *l);

/* Set by SIGINT/SIGTERM: end the campaign cleanly. */
extern volatile sig_atomic_t fuzz_stop;

/* AFL++'s name of instance @k ("main", "s1", ...) and a file of its dir. */
const char *fuzz_instance(unsigned int k);
char *fuzz_instance_path(const struct campaign *c, unsigned int k,
			 const char *file);
/* AFL++ instance @k against VM @k, in the background. */
pid_t fuzz_start_afl(const struct campaign *c, unsigned int k);
void fuzz_status_line(const struct campaign *c);
/* afl-plot's PNGs into OUT/plots. */
void fuzz_plot(const struct fuzz_opts *o);

/*
 * File findings: a failed check's, AFL++'s crashes, a failed guest's.
 * A finding that cannot be stored halts the campaign (-1).
 */
int fuzz_file_checker_finding(struct campaign *c, const struct workload *w,
			      const char *report);
void fuzz_file_crashes(struct campaign *c);
int fuzz_file_vm_finding(struct campaign *c, struct fuzz_vm *vm);
/* After the campaign: shrink new findings in VM 0, record them anew. */
void fuzz_minimize_new(struct campaign *c);
void fuzz_record_new(struct campaign *c);
/* Triage the new findings (--triage N); sets c->triage_counts. */
void fuzz_triage_new(struct campaign *c);

/* Free space below which a campaign stops rather than lose findings. */
#define FUZZ_MIN_FREE (16ULL << 20)
/* Space a VM's disk images take (the poisoned target, the logs). */
#define FUZZ_VM_SPACE (384ULL << 20)

/* Bytes the file system of @path has free for us (~0 when unknown). */
unsigned long long fuzz_free_bytes(const char *path);
/* 1 (and the campaign halted) when OUT's file system is nearly full. */
int fuzz_out_full(struct campaign *c);
/* Halt the campaign for reason @why (kept for fuzz_halt_report). */
void fuzz_halt(struct campaign *c, const char *why);
/*
 * Keep the input in @path for --resume in OUT/pending (a hard link, or a
 * rename when @move); nothing before AFL++ starts (seeds stay seeds).
 */
void fuzz_keep_pending(struct campaign *c, const char *path, int move);
/* The one line that says why the campaign halted and how to go on. */
void fuzz_halt_report(const struct campaign *c);

#endif
