// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/agent_cmdline.h"
#include "lib/fsutil.h"
#include "lib/log_apply.h"
#include "lib/log_scan.h"
#include "lib/msg.h"
#include "lib/poison.h"
#include "lib/report.h"
#include "lib/spawn.h"
#include "vm/image_probe.h"
#include "vm/replay_vm.h"
#include "vm/vm.h"

/* Checks on the host before a VM is booted; fills in the device size. */
static int check_inputs(struct replay_vm_opts *o, struct log_scan *scan)
{
	char why[512], type[64];
	struct stat st;

	if (require_regular_file(o->log, "log", why, sizeof(why)))
		goto bad;
	if (o->image) {
		if (probe_fs_type(o->image, type, sizeof(type), why,
				  sizeof(why)))
			goto bad;
		if (type[0] && strcmp(type, "btrfs")) {
			snprintf(
				why, sizeof(why),
				"%s holds %s, not btrfs; give the image the log was recorded on",
				o->image, type);
			goto bad;
		}
		if (stat(o->image, &st) == 0 && !o->device_bytes)
			o->device_bytes = st.st_size;
	}
	if (log_scan(o->log, o->device_bytes, scan, why, sizeof(why)))
		goto bad;
	if (!o->device_bytes)
		o->device_bytes = log_scan_device_bytes(scan);
	if (!o->device_bytes) {
		snprintf(
			why, sizeof(why),
			"%s writes nothing: no device size to replay onto; pass --device-size",
			o->log);
		goto bad;
	}
	return 0;
bad:
	lw_err("%s", why);
	return -1;
}

static int make_image(const char *path, const char *from,
		      unsigned long long bytes)
{
	int fd;

	if (from) {
		char *argv[] = { "cp", "--sparse=always", (char *)from,
				 (char *)path, NULL };

		if (spawn_run(argv, NULL, NULL))
			return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, bytes) < 0) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* Where the log never writes, the target reads as poison (poison.h). */
static int poison_image(const char *path, unsigned long long bytes)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = poison_range(fd, 0, bytes);
	return close(fd) || ret ? -1 : 0;
}

/* Replay @o->log in one VM, checking part @part of @parts (0: all). */
static int run_guest(const struct layout *l, const struct replay_vm_opts *o,
		     const char *work, const char *outdir, unsigned int part,
		     unsigned int parts)
{
	char *target = path_join(work, "target.img");
	char *cow = path_join(work, "cow.img");
	struct agent_replay_args a;
	struct vm_run_opts vo = { .variant = o->variant,
				  .timeout_s = o->timeout_s,
				  .mem_mb = 1024,
				  .cpus = o->cpus,
				  .out_dir = outdir,
				  .replay_only = 1 };
	int ret = 2;

	agent_replay_defaults(&a);
	a.log = AGENT_DISK(0);
	a.target = AGENT_DISK(1);
	a.cow = AGENT_DISK(2);
	a.report = "/out/report.json";
	a.points = o->points;
	a.start_mark = o->start;
	a.end_mark = o->end;
	a.fsck = o->fsck;
	a.no_share = o->no_share;
	a.part = part;
	a.parts = parts;
	vo.cmd = agent_replay_cmd(&a);
	if (!vo.cmd)
		goto out;
	if (make_image(target, o->image, o->device_bytes) ||
	    make_image(cow, NULL, o->device_bytes) ||
	    (!o->image && poison_image(target, o->device_bytes))) {
		lw_err("cannot create the replay images in %s: %s", work,
		       strerror(errno));
		goto out;
	}
	vo.disks[0] = o->log;
	vo.disk_ro[0] = 1;
	vo.disks[1] = target;
	vo.disks[2] = cow;
	vo.ndisks = 3;
	ret = vm_run(l, &vo);
	if (ret > 2) {
		lw_err("the replay VM failed (status %d)", ret);
		ret = 2;
	}
out:
	agent_cmd_free(vo.cmd);
	free(cow);
	free(target);
	return ret;
}

/*
 * The entry indexes of the failing crash points, from the report; -1
 * (said) when the report does not read.
 */
static ssize_t failing_entries(const char *report, unsigned long long *idx,
			       size_t max)
{
	struct report r;
	char why[256];
	size_t n;

	if (report_parse(report, strlen(report), &r, why, sizeof(why))) {
		lw_err("the guest's report: %s", why);
		return -1;
	}
	for (n = 0; n < r.nfailures && n < max; n++)
		idx[n] = r.failures[n].entry;
	report_free(&r);
	return n;
}

/* Rebuild the failing crash states on the host, one image each. */
static int keep_states(const struct replay_vm_opts *o, const char *report)
{
	unsigned long long idx[64];
	ssize_t n = failing_entries(report, idx, 64);
	size_t next = 0;
	char *tmp = xasprintf("%s/.lwfuzz-state.img", o->keep), why[512];
	struct log_reader *r = NULL;
	struct log_entry *e = malloc(sizeof(*e));
	int fd = -1, ret = -1;

	if (n <= 0 || !e) {
		ret = n ? -1 : 0;
		goto out;
	}
	if (mkdir_p(o->keep, 0755) ||
	    make_image(tmp, o->image, o->device_bytes))
		goto out;
	fd = open(tmp, O_RDWR | O_CLOEXEC);
	r = log_open(o->log, 0, why, sizeof(why));
	while (fd >= 0 && r && next < (size_t)n &&
	       log_next(r, e, why, sizeof(why)) == 1) {
		if (log_apply(r, e, fd))
			goto out;
		if (e->index != idx[next])
			continue;
		char *dst = xasprintf("%s/crash-entry-%llu.img", o->keep,
				      idx[next]);
		char *argv[] = { "cp", "--sparse=always", tmp, dst, NULL };

		if (!path_exists(dst) && spawn_run(argv, NULL, NULL) == 0)
			lw_info("kept crash state %s", dst);
		free(dst);
		next++;
	}
	ret = next == (size_t)n ? 0 : -1;
out:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	log_close(r);
	free(e);
	free(tmp);
	return ret;
}

static pid_t part_pids[AGENT_MAX_PARTS];
static unsigned int nparts;
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP }; /* vm.c's */
#define NSTOP (sizeof(stop_signals) / sizeof(*stop_signals))

/* Each part's process gets @sig (its vm_run stops its QEMU). */
static void stop_parts(int sig)
{
	int saved = errno;

	for (unsigned int k = 0; k < nparts; k++)
		if (part_pids[k] > 0)
			kill(part_pids[k], sig);
	errno = saved;
}

/*
 * One report from the parts' reports in @work/part-K/out; a missing one
 * is said unless @quiet (a part already failed and said why).
 */
static int merge_parts(const char *work, unsigned int parts, int quiet,
		       char **report)
{
	struct report whole = { 0 }, r;
	char why[256], *buf = NULL;
	size_t len = 0;
	FILE *f;
	int ret = -1;

	for (unsigned int k = 0; k < parts; k++) {
		char *path = xasprintf("%s/part-%u/out/report.json", work, k);
		char *text = read_file(path, NULL);
		int bad = !text || report_parse(text, strlen(text), &r, why,
						 sizeof(why));

		if (!text && !quiet)
			lw_err("the guest of part %u left no report", k + 1);
		else if (text && bad)
			lw_err("the report of part %u: %s", k + 1, why);
		free(text);
		free(path);
		if (bad)
			goto out;
		if (report_absorb(&whole, &r)) {
			report_free(&r);
			goto out;
		}
	}
	f = open_memstream(&buf, &len);
	if (!f)
		goto out;
	ret = report_write(f, &whole);
	if (fclose(f))
		ret = -1;
	if (!ret)
		*report = buf;
	else
		free(buf);
out:
	report_free(&whole);
	return ret;
}

/* Start part @k's process; its pid, or -1 (said). */
static pid_t start_part(const struct layout *l, const struct replay_vm_opts *po,
			const char *work, unsigned int k, const sigset_t *old)
{
	char *sub = xasprintf("%s/part-%u", work, k);
	char *out = path_join(sub, "out");
	pid_t pid;

	fflush(NULL);
	pid = mkdir_p(sub, 0700) ? -1 : fork();
	if (pid == 0) {
		for (size_t i = 0; i < NSTOP; i++)
			signal(stop_signals[i], SIG_DFL);
		sigprocmask(SIG_SETMASK, old, NULL);
		_exit(run_guest(l, po, sub, out, k, po->jobs));
	}
	if (pid < 0)
		lw_err("cannot start part %u of the replay: %s", k + 1,
		       strerror(errno));
	free(out);
	free(sub);
	return pid;
}

/*
 * @o->jobs VMs at once, each checking its part of the crash points in its
 * own process (vm_run is one guest per process), then one report. The
 * first part that fails stops the others: their results could not make a
 * whole report.
 */
static int run_parts(const struct layout *l, const struct replay_vm_opts *o,
		     const char *work, char **report)
{
	struct sigaction sa = { .sa_handler = stop_parts },
			 old_sa[NSTOP];
	/*
	 * One vCPU each: two 2-vCPU guests on a 2-core host replayed the
	 * bench log in 51 s against 22 s for one guest alone; two 1-vCPU
	 * guests took 14 s (docs/replay.md, Performance).
	 */
	struct replay_vm_opts po = *o;
	sigset_t stop, old;
	unsigned int left = 0;
	int ret = 0, st;
	pid_t pid;

	po.cpus = 1;
	sigemptyset(&stop);
	for (size_t i = 0; i < NSTOP; i++) {
		sigaddset(&stop, stop_signals[i]);
		sigaction(stop_signals[i], &sa, &old_sa[i]);
	}
	/* No stop signal between a fork and its pid in part_pids. */
	sigprocmask(SIG_BLOCK, &stop, &old);
	nparts = o->jobs;
	for (unsigned int k = 0; k < nparts && !ret; k++) {
		part_pids[k] = start_part(l, &po, work, k, &old);
		if (part_pids[k] < 0)
			ret = 2;
		else
			left++;
	}
	if (ret)
		stop_parts(SIGTERM);
	sigprocmask(SIG_SETMASK, &old, NULL);
	while (left) {
		pid = waitpid(-1, &st, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (unsigned int k = 0; k < nparts; k++)
			if (part_pids[k] == pid) {
				part_pids[k] = 0;
				left--;
			}
		st = WIFEXITED(st) ? WEXITSTATUS(st) : 2;
		if (st >= 2 && ret < 2)
			stop_parts(SIGTERM);
		if (st > ret)
			ret = st;
	}
	for (size_t i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &old_sa[i], NULL);
	nparts = 0;
	memset(part_pids, 0, sizeof(part_pids));
	/* A failed replay's report says so (verdict error), as with one VM. */
	if (merge_parts(work, o->jobs, ret >= 2, report))
		ret = 2;
	return ret;
}

int replay_vm(const struct layout *l, struct replay_vm_opts *o, char **report)
{
	struct log_scan scan;
	char work[256], *outdir, *rpath;
	int ret;

	*report = NULL;
	if (check_inputs(o, &scan))
		return 2;
	lw_info("log %s: %llu entries, device %llu bytes%s", o->log,
		(unsigned long long)scan.entries, o->device_bytes,
		scan.has_mkfs_mark ? ", starts with mkfs" : "");
	snprintf(work, sizeof(work), "%s/lwfuzz-replay.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(work)) {
		lw_err("cannot create a scratch directory: %s",
		       strerror(errno));
		return 2;
	}
	outdir = path_join(work, "out");
	rpath = path_join(outdir, "report.json");
	if (o->jobs > 1) {
		ret = run_parts(l, o, work, report);
	} else {
		ret = run_guest(l, o, work, outdir, 0, 0);
		*report = read_file(rpath, NULL);
	}
	if (!*report) {
		if (ret < 2)
			lw_err("the guest left no report");
		ret = 2;
	} else if (o->keep && ret == 1 && keep_states(o, *report)) {
		lw_err("cannot save the failing crash states into %s", o->keep);
		ret = 2;
	}
	free(rpath);
	free(outdir);
	rm_rf(work);
	return ret;
}
