// SPDX-License-Identifier: GPL-2.0
/*
 * A campaign's findings: filed once per signature as they come, then
 * minimized in the campaign's VM and recorded in a fresh one.
 */
#include <dirent.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "lib/exec_proto.h"
#include "fuzzer/finding_post.h"
#include "fuzzer/finding_store.h"
#include "lib/fsutil.h"
#include "fuzzer/campaign.h"
#include "fuzzer/triage.h"
#include "lib/hash.h"
#include "lib/msg.h"
#include "fuzzer/signature.h"
#include "lib/spawn.h"
#include "vm/accel.h"
#include "vm/vm.h"

/* 1 when @check is one of the failed checks of signature @sig. */
static int has_check(const char *sig, const char *check)
{
	size_t n = strlen(check), end = strcspn(sig, "/");

	for (const char *p = sig; p < sig + end; p += strcspn(p, "+") + 1) {
		if (!strncmp(p, check, n) && (p[n] == '+' || p[n] == '/'))
			return 1;
		if (!p[strcspn(p, "+")])
			break;
	}
	return 0;
}

/*
 * A finding's `kernel` file: the variant, its release, how QEMU ran it (a
 * race found under KVM may need KVM's timing to show again) and, for a
 * user's own kernel, where it came from.
 */
static char *finding_kernel_line(const struct campaign *c)
{
	return xasprintf("%s %s\naccel %s\n%s%s%s", c->o->variant, c->release,
			 vm_accel_name(vm_accel_current()),
			 *c->origin ? "origin " : "", c->origin,
			 *c->origin ? "\n" : "");
}

/* @stored: finding_store()'s verdict; @where its path (freed here). */
static void announce(struct campaign *c, int stored, char *where,
		     const char *sig)
{
	if (stored == 1) {
		printf("fuzz: new finding %s: %s\n", where, sig);
		fflush(stdout);
		c->new_findings++;
		c->stop_hit |= c->o->stop_on && has_check(sig, c->o->stop_on);
		if (c->n_new_dirs <
		    sizeof(c->new_dirs) / sizeof(c->new_dirs[0])) {
			c->new_dirs[c->n_new_dirs++] = where;
			return;
		}
	}
	free(where);
}

/* File a workload whose checks failed, unless its signature is known. */
int fuzz_file_checker_finding(struct campaign *c, const struct workload *w,
			      const char *report)
{
	char sig[512], *where = NULL, *kernel, *summary;
	int stored;

	if (!report || finding_signature(report, w, sig, sizeof(sig)))
		return 0;
	kernel = finding_kernel_line(c);
	summary = finding_summary(report, sig, kernel);
	struct finding_file extra[] = {
		{ "report.json", report, strlen(report) },
		{ "report.txt", summary, summary ? strlen(summary) : 0 },
		{ "kernel", kernel, strlen(kernel) },
	};

	stored = finding_store(c->findings, sig, w, extra, 3, &where);
	announce(c, stored, where, sig);
	free(kernel);
	free(summary);
	if (stored >= 0)
		return 0;
	fuzz_halt(c, "a finding could not be stored (above)");
	return -1;
}

/* File one AFL++ crash: its report was kept by `lwfuzz exec`. */
static void file_crash(struct campaign *c, const char *crash)
{
	unsigned char bin[WL_BIN_MAX];
	struct workload w;
	size_t len, n;
	char *buf = read_file(crash, &len), *rpath, *report;

	if (!buf || wl_decode((unsigned char *)buf, len, &w)) {
		free(buf);
		return;
	}
	free(buf);
	n = wl_encode(&w, bin, sizeof(bin));
	rpath = xasprintf("%s/reports/%016llx.json", c->o->out,
			  (unsigned long long)hash_bytes(HASH_INIT, bin, n));
	report = read_file(rpath, NULL);
	/* No report: the guest died on it, filed with its console. */
	if (report && fuzz_file_checker_finding(c, &w, report))
		fuzz_keep_pending(c, crash, 0);
	free(report);
	free(rpath);
}

void fuzz_file_crashes(struct campaign *c)
{
	for (unsigned int k = 0; k < c->jobs; k++) {
		char *dir = fuzz_instance_path(c, k, "crashes");
		DIR *d = opendir(dir);
		struct dirent *de;

		while (d && (de = readdir(d)) && !c->halt_why) {
			if (strncmp(de->d_name, "id:", 3))
				continue;
			char *p = path_join(dir, de->d_name);

			file_crash(c, p);
			free(p);
		}
		if (d)
			closedir(d);
		free(dir);
	}
}

/*
 * The guest died or hung on the input in current.bin: file it. With OUT
 * full, the failure may be QEMU's (it pauses a guest whose disk cannot
 * grow): the input is kept for --resume to run again instead (-1).
 */
int fuzz_file_vm_finding(struct campaign *c, struct fuzz_vm *vm)
{
	const char *kind =
		vm->exit_status == VM_EXIT_CRASHED ? "kernel-crash" : "hang";
	char *lost = path_join(vm->dir, "lost");
	char *cur = path_join(vm->dir, "current.bin");
	char *console = read_file(vm->console, NULL);
	char *output = read_file(vm->output, NULL);
	size_t len, olen = output ? strlen(output) : 0;
	/* The input `lwfuzz exec` got no answer for, else the last one sent. */
	char *buf = read_file(lost, &len), sig[512], *where = NULL;
	const char *tail = olen > 4096 ? output + olen - 4096 : output;
	const char *input = lost;
	char *kernel = finding_kernel_line(c);
	struct workload w;
	struct finding_file extra[] = {
		{ "console.txt", console, console ? strlen(console) : 0 },
		{ "output.txt", tail, tail ? strlen(tail) : 0 },
		{ "kernel", kernel, strlen(kernel) },
	};
	int ret = 0;

	if (!buf || !len) {
		free(buf);
		buf = read_file(cur, &len);
		input = cur;
	}
	if (fuzz_out_full(c)) {
		fuzz_keep_pending(c, input, 1);
		ret = -1;
		goto out;
	}
	printf("fuzz: the guest %s (VM exit status %d); restarting it\n",
	       vm->exit_status == VM_EXIT_CRASHED ? "died" : "hung",
	       vm->exit_status);
	if (!buf || wl_decode((unsigned char *)buf, len, &w) ||
	    kernel_signature(kind, *kind == 'h' ? tail : console, &w, sig,
			     sizeof(sig)))
		lw_err("the guest failed, but no input was in flight (%s)",
		       cur);
	else if (*kind == 'k' && strstr(sig, ": no message/"))
		/* QEMU killed from outside, out of memory, ...: not btrfs. */
		printf("fuzz: the VM ended without a kernel message (QEMU killed?); not a finding\n");
	else {
		int stored =
			finding_store(c->findings, sig, &w, extra, 3, &where);

		announce(c, stored, where, sig);
		if (stored < 0) {
			fuzz_keep_pending(c, input, 1);
			fuzz_halt(c, "a finding could not be stored (above)");
			ret = -1;
		}
	}
out:
	unlink(cur);
	free(kernel);
	free(buf);
	free(cur);
	free(lost);
	free(console);
	free(output);
	return ret;
}

/* Shrink the new checker findings while the campaign's VM still serves. */
void fuzz_minimize_new(struct campaign *c)
{
	for (unsigned int i = 0; i < c->n_new_dirs && !fuzz_stop; i++) {
		char *report = path_join(c->new_dirs[i], "report.json");

		if (path_exists(report))
			finding_minimize_live(c->new_dirs[i], c->vm[0].sock,
					      MINIMIZE_TRIALS);
		free(report);
	}
}

/* gzip the recorded runs' log images (mostly mkfs's zeroes). */
static void pack_logs(const char *record)
{
	char *pattern = path_join(record, "run-*/log.img");
	glob_t g;

	if (glob(pattern, 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			char *argv[] = { "gzip", "-9",		"-n",
					 "-f",	 g.gl_pathv[i], NULL };

			if (spawn_run(argv, NULL, NULL))
				lw_info("cannot compress %s; kept as it is",
					g.gl_pathv[i]);
		}
		globfree(&g);
	}
	free(pattern);
}

/*
 * Run each new checker finding again in a fresh VM (`lwfuzz run --out
 * FINDING/record`): the failing runs' log images, dmesg and reports, which
 * `lwfuzz repro` replays without the race.
 */
void fuzz_record_new(struct campaign *c)
{
	char *self = layout_src(c->l, "bin/lwfuzz"), delay[16];

	snprintf(delay, sizeof(delay), "%d",
		 c->o->delay_ms < 0 ? 0 : c->o->delay_ms);
	for (unsigned int i = 0; i < c->n_new_dirs && !fuzz_stop; i++) {
		char *d = c->new_dirs[i];
		char *report = path_join(d, "report.json");
		char *min = path_join(d, "minimized.lw");
		char *wl = path_exists(min) ? min : path_join(d, "workload.lw");
		char *out = path_join(d, "record"),
		     *log = path_join(d, "record.txt");
		char *argv[] = {
			self,	      "run", "-k",     (char *)c->o->variant,
			"--delay-ms", delay, "--runs", "3",
			"--out",      out,   wl,       NULL
		};
		int rc = path_exists(report) ? spawn_run(argv, NULL, log) : -1;

		if (rc == 1)
			pack_logs(out);
		if (rc >= 0)
			printf("fuzz: recorded %s: %s (%s)\n", d,
			       rc == 1	 ? "fails again, log kept"
			       : rc == 0 ? "clean in 3 runs: a rare race"
					 : "error",
			       log);
		fflush(stdout);
		if (wl != min)
			free(wl);
		free(min);
		free(report);
		free(out);
		free(log);
	}
	free(self);
}

/*
 * Sort the new findings by the known fix that makes each disappear, in
 * fresh VMs of the fix variants (fuzzer/triage.h).
 */
void fuzz_triage_new(struct campaign *c)
{
	struct wl_run_params p = { .runs = c->o->triage_runs,
				   .op_timeout = c->o->op_timeout_s,
				   .delay_ms = c->o->delay_ms,
				   .quiet = 1 };
	struct triage_verdict *v = calloc(c->n_new_dirs, sizeof(*v));
	unsigned int n = 0;

	if (!v)
		abort();
	for (; n < c->n_new_dirs && !fuzz_stop; n++)
		triage_finding(c->l, c->new_dirs[n], c->o->variant, &p, &v[n]);
	triage_print_groups(c->new_dirs, v, n);
	c->triage_counts = strdup(triage_counts(v, n));
	free(v);
}
