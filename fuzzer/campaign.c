// SPDX-License-Identifier: GPL-2.0
/*
 * The campaign loop of `lwfuzz fuzz`: OUT prepared and locked, the seeds
 * run through the serving VMs, then AFL++ instances against them, their
 * VMs tended, findings filed, and the post work (minimize, record).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzzer/campaign.h"
#include "fuzzer/thread_sites.h"
#include "setup/kmod_helper.h"
#include "fuzzer/campaign_vm.h"
#include "fuzzer/finding_post.h"
#include "fuzzer/finding_store.h"
#include "fuzzer/signature.h"
#include "lib/exec_proto.h"
#include "lib/fsutil.h"
#include "lib/hash.h"
#include "lib/msg.h"
#include "lib/spawn.h"
#include "lib/workload.h"
#include "lib/workload_file.h"
#include "setup/layout.h"
#include "vm/accel.h"
#include "vm/vm.h"
#include "vm/workload_vm.h"

volatile sig_atomic_t fuzz_stop;

static void on_signal(int sig)
{
	fuzz_stop = sig;
}

/* The seeds in binary form, AFL++'s input directory. */
static int write_seeds(const char *corpus, const char *dir)
{
	DIR *d = opendir(corpus);
	struct dirent *de;
	int n = 0;

	if (!d || mkdir_p(dir, 0755)) {
		lw_err("cannot read the corpus %s or create %s", corpus, dir);
		if (d)
			closedir(d);
		return -1;
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		unsigned char bin[WL_BIN_MAX];
		struct workload w;

		if (len < 4 || strcmp(de->d_name + len - 3, ".lw"))
			continue;
		char *src = path_join(corpus, de->d_name);
		char *dst = xasprintf("%s/%.*s.bin", dir, (int)(len - 3),
				      de->d_name);

		if (wl_load_file(src, &w) == 0) {
			size_t n_bin = wl_encode(&w, bin, sizeof(bin));

			if (n_bin && !write_file_atomic(dst, bin, n_bin))
				n++;
		}
		free(src);
		free(dst);
	}
	closedir(d);
	if (!n)
		lw_err("no seed workload (*.lw) in %s", corpus);
	return n ? 0 : -1;
}

static int tend_vm(struct campaign *c, struct fuzz_vm *vm);

/* A seed's execution stops waiting on Ctrl-C, or when OUT fills up. */
static int seed_give_up(void *arg)
{
	struct campaign *c = arg;

	return fuzz_stop || fuzz_out_full(c);
}

/* A seed's thread sites, for the mutator (fuzzer/thread_sites.h). */
static void keep_seed_sites(struct campaign *c, const struct workload *w,
			    const struct exec_reply *rep)
{
	static struct thread_sites ts;
	char *dir = path_join(c->o->out, SEED_SITES_DIR), *path;

	thread_sites_fill(&ts, thread_sites_key(w), &rep->features);
	path = xasprintf("%s/%016llx", dir, (unsigned long long)ts.hash);
	if ((mkdir(dir, 0755) && errno != EEXIST) ||
	    write_file_atomic(path, &ts, sizeof(ts)))
		lw_err("cannot keep the seed's thread sites in %s", path);
	free(path);
	free(dir);
}

/*
 * Run one input ourselves: a seed (taken out of AFL++'s seeds unless it
 * passes) or an input kept in OUT/pending (@pending: removed once run).
 */
static int run_seed(struct campaign *c, const char *name, const char *path,
		    int pending)
{
	struct exec_reply rep = { 0 };
	struct workload w;
	char *cur = path_join(c->vm[0].dir, "current.bin");
	const char *what = pending ? "pending" : "seed";
	size_t len;
	char *buf = read_file(path, &len);
	int fd = -1, ret = -1;

	if (!buf || wl_decode((unsigned char *)buf, len, &w) ||
	    write_file_atomic(cur, buf, len))
		goto out;
	fd = exec_connect(c->vm[0].sock, 30);
	if (fd < 0 ||
	    exec_request_until(fd, (unsigned char *)buf, len, &rep, 600,
			       seed_give_up, c) ||
	    rep.status == EXEC_STUCK) {
		/* Ctrl-C or a full OUT cut the wait short: not the guest. */
		if (fuzz_stop || c->halt_why)
			goto out;
		printf("fuzz: %s %s: the guest failed on it\n", what, name);
		/* current.bin holds the input: no "lost" file to write. */
		c->vm[0].lost = 1;
		ret = tend_vm(c, &c->vm[0]);
		if (ret)
			goto out;
		goto fail;
	}
	if (!pending && rep.status == 0)
		keep_seed_sites(c, &w, &rep);
	printf("fuzz: %s %s: %s\n", what, name,
	       rep.status == 1	 ? "FINDING"
	       : rep.status == 0 ? "clean"
				 : "error");
	if (rep.status == 1 && fuzz_file_checker_finding(c, &w, rep.report))
		goto out;
	ret = 0;
	if (rep.status == 0 && !pending)
		goto out;
fail:
	/* AFL++ gets only seeds that pass: it would rerun the others. */
	c->failed_seeds += !pending;
	if (unlink(path))
		lw_err("cannot take %s out of %s", path,
		       pending ? "OUT/pending" : "AFL++'s seeds");
out:
	if (fd >= 0)
		close(fd);
	free(rep.report);
	free(buf);
	free(cur);
	return ret;
}

/* Run every input in OUT/@sub ourselves (see run_seed). */
static int run_dir(struct campaign *c, const char *sub, int pending)
{
	char *dir = path_join(c->o->out, sub);
	DIR *d = opendir(dir);
	struct dirent *de;
	int ret = 0;

	while (d && (de = readdir(d)) && !fuzz_stop && !ret) {
		if (de->d_name[0] == '.')
			continue;
		char *p = path_join(dir, de->d_name);

		ret = run_seed(c, de->d_name, p, pending);
		c->seeds += !pending;
		free(p);
	}
	if (d)
		closedir(d);
	free(dir);
	return ret;
}

/*
 * AFL++ skips seeds that crash, so run the seeds once ourselves: a seed
 * that fails a check is a finding (and AFL++ mutates the others).
 */
static int run_seeds(struct campaign *c)
{
	int ret = run_dir(c, "seeds", 0);

	if (!ret && c->seeds == c->failed_seeds) {
		printf("fuzz: every seed fails; nothing left for AFL++ to mutate\n");
		return 1;
	}
	return ret;
}

/* One tick of the loop: a failed guest is filed and restarted. */
static int tend_vm(struct campaign *c, struct fuzz_vm *vm)
{
	if (!fuzz_vm_failed(vm))
		return 0;
	if (fuzz_file_vm_finding(c, vm))
		return -1;
	if (vm->restarts >= 50) {
		lw_err("the guest failed 50 times; stopping the campaign (see %s)",
		       vm->console);
		return -1;
	}
	return fuzz_vm_restart(vm);
}

/* The inputs the VMs were running when the campaign halted. */
static void keep_in_flight(struct campaign *c)
{
	for (unsigned int k = 0; k < c->jobs; k++) {
		char *cur = path_join(c->vm[k].dir, "current.bin");

		fuzz_keep_pending(c, cur, 1);
		free(cur);
	}
}

/* Run afl-fuzz until the time is up, Ctrl-C or the first finding (-x). */
static int campaign(struct campaign *c)
{
	double next = lw_now() + 10;
	pid_t afl[MAX_JOBS] = { 0 };
	int st = 0, afl_done = 0, ret = 0;
	unsigned int k;

	c->afl_started = 1;
	for (k = 0; k < c->jobs; k++)
		afl[k] = fuzz_start_afl(c, k);
	while (!afl_done && !fuzz_stop && !ret) {
		usleep(200 * 1000);
		if (fuzz_out_full(c)) {
			keep_in_flight(c);
			ret = -1;
			break;
		}
		/* One instance ending (its time is up) ends them all. */
		for (k = 0; k < c->jobs && !afl_done; k++)
			afl_done = waitpid(afl[k], &st, WNOHANG) == afl[k];
		for (unsigned int v = 0; v < c->jobs && !ret; v++)
			ret = tend_vm(c, &c->vm[v]);
		if (lw_now() < next)
			continue;
		fuzz_file_crashes(c);
		fuzz_status_line(c);
		next += 10;
		if (c->halt_why)
			ret = -1;
		if ((c->o->stop_on_finding && c->new_findings) || c->stop_hit)
			break;
	}
	for (unsigned int j = 0; j < c->jobs; j++) {
		if (afl_done && j == k - 1)
			continue;
		kill(afl[j], SIGINT);
		waitpid(afl[j], j == 0 && !afl_done ? &st : NULL, 0);
	}
	if (!ret && afl_done && (!WIFEXITED(st) || WEXITSTATUS(st))) {
		/* AFL++ dies of a full disk before we see it. */
		if (fuzz_out_full(c))
			keep_in_flight(c);
		else
			lw_err("afl-fuzz failed; see %s/afl-%s.log", c->o->out,
			       fuzz_instance(k - 1));
		ret = -1;
	}
	if (!c->halt_why)
		fuzz_file_crashes(c);
	fuzz_status_line(c);
	return c->halt_why ? -1 : ret;
}

/*
 * One campaign per directory: a lock held for the campaign's life (the
 * kernel drops it when the process dies, so a stale lock cannot block).
 */
static int lock_out(const char *out)
{
	char *path = path_join(out, "lock"), pid[32];
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB)) {
		lw_err("%s is in use by another campaign (lock %s); wait for it or choose another --out",
		       out, path);
		if (fd >= 0)
			close(fd);
		free(path);
		return -1;
	}
	snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) || write(fd, pid, strlen(pid)) < 0)
		lw_info("cannot write the pid into %s", path);
	free(path);
	return fd;
}

/* Room for the VMs' disk images on OUT's file system (or its parent's). */
static int enough_space(const struct fuzz_opts *o)
{
	char *dir = xasprintf("%s", o->out), *slash = strrchr(dir, '/');
	unsigned long long need = o->jobs * FUZZ_VM_SPACE + FUZZ_MIN_FREE;
	unsigned long long free_b;

	if (!path_exists(dir) && slash)
		*slash = 0;
	free_b = fuzz_free_bytes(path_exists(dir) && *dir ? dir : ".");

	free(dir);
	if (free_b >= need)
		return 1;
	lw_err("%s: its file system has %llu MiB free; a campaign of %u VM(s) needs %llu MiB (their disk images); free space or choose another --out",
	       o->out, free_b >> 20, o->jobs, need >> 20);
	return 0;
}

static int prepare_out(const struct fuzz_opts *o, const struct layout *l)
{
	char *corpus = o->corpus ? xasprintf("%s", o->corpus)
				 : layout_src(l, "corpus/seeds");
	char *seeds = path_join(o->out, "seeds");
	char *reports = path_join(o->out, "reports");
	char *pending = path_join(o->out, "pending");
	int ret = -1, out_existed = path_exists(o->out);

	/* A campaign stopped before AFL++ started has only its seeds. */
	if (o->resume && !is_dir(seeds))
		lw_err("nothing to resume in %s (no %s); start a campaign without --resume",
		       o->out, seeds);
	else if (!o->resume && path_exists(o->out))
		lw_err("%s exists; give a new --out directory, or --resume to continue that campaign",
		       o->out);
	else if (!enough_space(o))
		;
	else if (o->resume)
		ret = mkdir_p(pending, 0755);
	else if (mkdir_p(reports, 0755) || mkdir_p(pending, 0755))
		lw_err("cannot create %s: %s", o->out, strerror(errno));
	else if (!write_seeds(corpus, seeds))
		ret = 0;
	/* A new OUT that could not be set up: nothing of the user's in it. */
	if (ret && !o->resume && !out_existed)
		rm_rf(o->out);
	free(corpus);
	free(seeds);
	free(reports);
	free(pending);
	return ret;
}

/* Boot the campaign's VMs: .vm-K and vm-K.txt for instance K. */
static int start_vms(struct campaign *c)
{
	const struct fuzz_opts *o = c->o;

	for (unsigned int k = 0; k < c->jobs; k++) {
		struct fuzz_vm *vm = &c->vm[k];
		char *dir = xasprintf("%s/.vm-%u", o->out, k);
		char *log = xasprintf("%s/vm-%u.txt", o->out, k);
		int ret;

		vm->variant = o->variant;
		vm->delay_ms = o->delay_ms;
		vm->test_fault = getenv("LWFUZZ_TEST_FAULT");
		vm->timeout_s = o->seconds + 3600;
		vm->op_timeout_s = o->op_timeout_s;
		ret = fuzz_vm_init(vm, c->l, dir, log);
		free(dir);
		free(log);
		if (ret)
			return -1;
	}
	return 0;
}

static int afl_resumable(const struct campaign *c)
{
	char *setup = fuzz_instance_path(c, 0, "fuzzer_setup");
	int ret = c->o->resume && path_exists(setup);

	free(setup);
	return ret;
}

static int run_campaign(struct campaign *c)
{
	const struct fuzz_opts *o = c->o;
	int ret = 2;

	c->jobs = o->jobs;
	c->findings = path_join(o->out, "findings");
	struct kstate ks;

	if (kstate_load_for(c->l, o->variant, &ks))
		snprintf(ks.release, sizeof(ks.release), "?");
	snprintf(c->release, sizeof(c->release), "%s", ks.release);
	memcpy(c->origin, ks.origin, sizeof(c->origin));
	/* Findings are written as text: their delays by name. */
	kmod_sites_know(c->l, o->variant);
	if (mkdir_p(c->findings, 0755) || start_vms(c))
		goto out;
	printf("fuzz: %u VM(s) ready (%s, %s); afl-fuzz for %u s%s\n",
	       c->jobs, o->variant, vm_accel_name(vm_accel_current()),
	       o->seconds, o->resume ? ", resuming" : "");
	fflush(stdout);
	c->t0 = lw_now();
	ret = run_dir(c, "pending", 1);
	/* AFL++ resumes its own queue; a campaign it never saw starts anew. */
	if (!ret && !afl_resumable(c))
		ret = run_seeds(c);
	if (ret == 0 && !fuzz_stop)
		ret = campaign(c) ? 2 : 0;
	else if (fuzz_stop && !c->halt_why)
		ret = 0; /* a signal: a clean stop, --resume runs the rest */
	else
		ret = ret > 0 ? 0 : 2;
	if (ret == 0 && !o->no_minimize)
		fuzz_minimize_new(c);
out:
	for (unsigned int k = 0; k < c->jobs; k++)
		fuzz_vm_shutdown(&c->vm[k]);
	if (ret == 0 && !o->no_record)
		fuzz_record_new(c);
	if (ret == 0 && o->triage_runs && c->n_new_dirs && !fuzz_stop)
		fuzz_triage_new(c);
	for (unsigned int i = 0; i < c->n_new_dirs; i++)
		free(c->new_dirs[i]);
	if (c->halt_why)
		fuzz_halt_report(c);
	free(c->halt_why);
	if (ret == 0) {
		unsigned int n = finding_count(c->findings);

		fuzz_plot(o);
		printf("fuzz: %u unique finding(s) in %s (%u new%s%s)%s\n", n,
		       c->findings, c->new_findings,
		       c->triage_counts ? ": " : "",
		       c->triage_counts ? c->triage_counts : "",
		       fuzz_stop ? "; stopped by a signal, --resume continues"
				 : "");
		ret = n ? 1 : 0;
	}
	free(c->triage_counts);
	free(c->findings);
	return ret;
}

int campaign_run(const struct fuzz_opts *o, const struct layout *l)
{
	struct campaign c = { .o = o, .l = l };
	struct sigaction sa = { .sa_handler = on_signal };
	int ret, lock = -1;

	if (prepare_out(o, l) || (lock = lock_out(o->out)) < 0)
		return 2;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = run_campaign(&c);
	close(lock);
	return ret;
}
