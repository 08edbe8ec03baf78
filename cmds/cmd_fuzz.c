// SPDX-License-Identifier: GPL-2.0
/*
 * `lwfuzz fuzz`: an AFL++ campaign against one persistent VM. The guest
 * serves executions (`lwfuzz-agent run --serve`) on a serial port QEMU
 * exposes as a Unix socket; afl-fuzz runs `lwfuzz exec` per test case with
 * the structure-aware mutator; failing executions become AFL++ crashes and
 * are filed, deduplicated by signature, under OUT/findings. A guest that
 * dies or hangs is restarted and its input filed with its console.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmds.h"
#include "exec_proto.h"
#include "finding_post.h"
#include "finding_store.h"
#include "fsutil.h"
#include "fuzz_vm.h"
#include "hash.h"
#include "layout.h"
#include "msg.h"
#include "signature.h"
#include "spawn.h"
#include "variants.h"
#include "vm_run.h"
#include "workload.h"
#include "workload_run.h"

static const char fuzz_usage[] =
	"usage: lwfuzz fuzz [OPTIONS]\n\n"
	"Run an AFL++ campaign on workloads against one VM of the chosen kernel:\n"
	"every execution records a workload on a fresh btrfs over dm-log-writes\n"
	"and checks every crash state of its log. Findings are filed under\n"
	"OUT/findings/HASH/ (workload.lw, workload.bin, signature, and\n"
	"report.json for a failed check or console.txt for a guest that died or\n"
	"hung), one per signature. A dead or hung guest is restarted.\n\n"
	"  -k, --kernel V        a variant: stock, buggy, fixed, ... (default buggy)\n"
	"  -t, --time D          stop after D (90s, 10m, 1h; default 10m)\n"
	"  -c, --corpus DIR      seed workloads (*.lw; default corpus/seeds)\n"
	"  -o, --out DIR         campaign directory (default fuzz-out)\n"
	"  -d, --delay-ms N      set btrfs.dio_race_delay_ms\n"
	"  -j, --jobs N          N VMs, each fuzzed by an AFL++ instance (-M/-S)\n"
	"                        sharing OUT/afl (default 1; at most 8)\n"
	"  -F, --foreign DIR     also import the test cases in DIR (another\n"
	"                        machine's OUT/afl/main/queue; up to 8 times)\n"
	"  -T, --op-timeout S    a workload still running after S s hangs (60)\n"
	"  -r, --resume          continue the campaign in OUT\n"
	"  -x, --stop-on-finding end at the first finding\n"
	"  -s, --stop-on CHECK   end at the first finding whose failed checks\n"
	"                        include CHECK (missing-csum, data, read, ...)\n"
	"      --no-minimize     keep new findings as found (default: shrink\n"
	"                        each in the campaign's VM, minimized.lw)\n"
	"      --no-record       do not rerun new findings in a fresh VM to keep\n"
	"                        their log image, dmesg and report (record/)\n"
	"  -h, --help            this text\n\n"
	"Ctrl-C ends the campaign cleanly; --resume continues it. Plots of the\n"
	"campaign (afl-plot) are written to OUT/plots at the end.\n\n"
	"Exit status: 1 when there are findings, 0 when none, 2 on error.\n";

struct fuzz_opts {
	const char *variant, *corpus, *out;
	unsigned int seconds;
	int delay_ms;
	int resume, stop_on_finding, no_minimize, no_record;
	unsigned int jobs, nforeign;
	const char *foreign[8]; /* other machines' queues, for -F */
	const char *stop_on;
	unsigned int op_timeout_s;
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
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

static int parse_duration(const char *s, unsigned int *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (end == s)
		return -1;
	if (*end == 'm')
		v *= 60, end++;
	else if (*end == 'h')
		v *= 3600, end++;
	else if (*end == 's')
		end++;
	if (*end || !v || v > 30 * 86400)
		return -1;
	*out = v;
	return 0;
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

		if (workload_load(src, &w) == 0) {
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

/* AFL++'s name of instance @k: the main one, then secondaries. */
static const char *instance(unsigned int k)
{
	static const char *const names[MAX_JOBS] = { "main", "s1", "s2", "s3",
						     "s4",   "s5", "s6", "s7" };

	return names[k];
}

static char *instance_path(const struct campaign *c, unsigned int k,
			   const char *file)
{
	return xasprintf("%s/afl/%s/%s", c->o->out, instance(k), file);
}

static void afl_env(const struct campaign *c, unsigned int k)
{
	char *mut = layout_src(c->l, "bin/lwfuzz-mutator.so");
	char *reports = path_join(c->o->out, "reports");

	/* Not instrumented: lwfuzz exec fills the map itself, one process
	 * per execution. */
	setenv("AFL_SKIP_BIN_CHECK", "1", 1);
	setenv("AFL_NO_FORKSRV", "1", 1);
	setenv("AFL_MAP_SIZE", "65536", 1);
	setenv("AFL_CUSTOM_MUTATOR_LIBRARY", mut, 1);
	setenv("AFL_CUSTOM_MUTATOR_ONLY", "1", 1);
	setenv("AFL_NO_UI", "1", 1);
	/* Trimming would cost executions of seconds each. */
	setenv("AFL_DISABLE_TRIM", "1", 1);
	setenv("AFL_FAST_CAL", "1", 1);
	setenv("AFL_SKIP_CPUFREQ", "1", 1);
	setenv("AFL_NO_AFFINITY", "1", 1);
	setenv("AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES", "1", 1);
	setenv("LWFUZZ_REPORTS", reports, 1);
	setenv("LWFUZZ_VM_DIR", c->vm[k].dir, 1);
	free(mut);
	free(reports);
}

/* AFL++ instance @k (-M main or -S sK) against VM @k, in the background. */
static pid_t start_afl(const struct campaign *c, unsigned int k)
{
	const struct fuzz_opts *o = c->o;
	char *mine = instance_path(c, k, "fuzzer_setup");
	/* Resume an instance that ran before; a new one starts from seeds. */
	char *in = o->resume && path_exists(mine) ? xasprintf("-")
						  : path_join(o->out, "seeds");
	char *afl = path_join(o->out, "afl");
	char *self = layout_src(c->l, "bin/lwfuzz");
	char *logf = xasprintf("%s/afl-%s.log", o->out, instance(k));
	char secs[16];
	pid_t pid;

	snprintf(secs, sizeof(secs), "%u", o->seconds);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		char *argv[48] = { "afl-fuzz",
				   k ? "-S" : "-M",
				   (char *)instance(k),
				   "-i",
				   in,
				   "-o",
				   afl,
				   "-t",
				   "600000",
				   "-V",
				   secs };
		int n = 11;

		/* Other machines' queues: the main instance imports them. */
		for (unsigned int i = 0; !k && i < o->nforeign; i++) {
			argv[n++] = "-F";
			argv[n++] = (char *)o->foreign[i];
		}
		argv[n++] = "--";
		argv[n++] = self;
		argv[n++] = "exec";
		argv[n++] = "--socket";
		argv[n++] = c->vm[k].sock;
		argv[n++] = "@@";
		FILE *f = freopen(logf, o->resume ? "a" : "w", stdout);

		(void)f;
		dup2(1, 2);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		afl_env(c, k);
		execvp("afl-fuzz", argv);
		_exit(127);
	}
	free(mine);
	free(in);
	free(afl);
	free(self);
	free(logf);
	return pid;
}

/* "corpus_count : 12" from AFL++'s fuzzer_stats (written every minute). */
static unsigned long stat_of(const char *stats, const char *key)
{
	const char *p = stats ? strstr(stats, key) : NULL;

	p = p ? strchr(p, ':') : NULL;
	return p ? strtoul(p + 1, NULL, 10) : 0;
}

/* Executions and crash states checked, from `lwfuzz exec`'s lines. */
static void count_vm_executions(const struct fuzz_vm *vm, unsigned long *execs,
				unsigned long *points)
{
	char *path = path_join(vm->dir, "executions");
	char *text = read_file(path, NULL), *p = text;

	while (p && *p) {
		char *nl = strchr(p, '\n');
		unsigned long pts = 0;

		if (!nl)
			break;
		if (sscanf(p, "%*d %lu", &pts) == 1) {
			(*execs)++;
			*points += pts;
		}
		p = nl + 1;
	}
	free(text);
	free(path);
}

static void count_executions(const struct campaign *c, unsigned long *execs,
			     unsigned long *points, unsigned int *restarts)
{
	*execs = *points = *restarts = 0;
	for (unsigned int k = 0; k < c->jobs; k++) {
		count_vm_executions(&c->vm[k], execs, points);
		*restarts += c->vm[k].restarts;
	}
}

static void status_line(const struct campaign *c)
{
	char *path = instance_path(c, 0, "fuzzer_stats");
	char *stats = read_file(path, NULL);
	double el = lw_now() - c->t0;
	unsigned long execs, points;
	unsigned int restarts;

	count_executions(c, &execs, &points, &restarts);
	printf("fuzz: %02u:%02u elapsed, %lu executions (%.2f/s), %lu crash states (%.1f/s), corpus %lu, findings %u, restarts %u\n",
	       (unsigned int)el / 60, (unsigned int)el % 60, execs,
	       el > 0 ? execs / el : 0.0, points, el > 0 ? points / el : 0.0,
	       stat_of(stats, "corpus_count"), finding_count(c->findings),
	       restarts);
	fflush(stdout);
	free(stats);
	free(path);
}

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
static void file_checker_finding(struct campaign *c, const struct workload *w,
				 const char *report)
{
	char sig[512], *where = NULL, *kernel, *summary;
	int stored;

	if (!report || finding_signature(report, w, sig, sizeof(sig)))
		return;
	kernel = xasprintf("%s %s\n", c->o->variant, c->release);
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
	if (report)
		file_checker_finding(c, &w, report);
	free(report);
	free(rpath);
}

static void file_crashes(struct campaign *c)
{
	for (unsigned int k = 0; k < c->jobs; k++) {
		char *dir = instance_path(c, k, "crashes");
		DIR *d = opendir(dir);
		struct dirent *de;

		while (d && (de = readdir(d))) {
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

/* The guest died or hung on the input in current.bin: file it. */
static void file_vm_finding(struct campaign *c, struct fuzz_vm *vm)
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
	char *kernel = xasprintf("%s %s\n", c->o->variant, c->release);
	struct workload w;
	struct finding_file extra[] = {
		{ "console.txt", console, console ? strlen(console) : 0 },
		{ "output.txt", tail, tail ? strlen(tail) : 0 },
		{ "kernel", kernel, strlen(kernel) },
	};

	if (!buf || !len) {
		free(buf);
		buf = read_file(cur, &len);
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
	}
	unlink(cur);
	free(kernel);
	free(buf);
	free(cur);
	free(lost);
	free(console);
	free(output);
}

static int tend_vm(struct campaign *c, struct fuzz_vm *vm);

/* Run one seed; a guest that dies or hangs on it is filed and restarted. */
static int run_seed(struct campaign *c, const char *name, const char *path)
{
	struct exec_reply rep = { 0 };
	struct workload w;
	char *cur = path_join(c->vm[0].dir, "current.bin");
	char *lost = path_join(c->vm[0].dir, "lost");
	size_t len;
	char *buf = read_file(path, &len);
	int fd = -1, ret = -1;

	if (!buf || wl_decode((unsigned char *)buf, len, &w) ||
	    write_file_atomic(cur, buf, len))
		goto out;
	fd = exec_connect(c->vm[0].sock, 30);
	if (fd < 0 || exec_request(fd, (unsigned char *)buf, len, &rep, 600) ||
	    rep.status == EXEC_STUCK) {
		printf("fuzz: seed %s: the guest failed on it\n", name);
		write_file_atomic(lost, buf, len);
		ret = tend_vm(c, &c->vm[0]);
		if (ret)
			goto out;
		goto fail;
	}
	printf("fuzz: seed %s: %s\n", name,
	       rep.status == 1	 ? "FINDING"
	       : rep.status == 0 ? "clean"
				 : "error");
	if (rep.status == 1)
		file_checker_finding(c, &w, rep.report);
	ret = 0;
	if (rep.status == 0)
		goto out;
fail:
	/* AFL++ gets only seeds that pass: it would rerun the others. */
	c->failed_seeds++;
	if (unlink(path))
		lw_err("cannot take %s out of AFL++'s seeds", path);
out:
	if (fd >= 0)
		close(fd);
	free(rep.report);
	free(buf);
	free(cur);
	free(lost);
	return ret;
}

/*
 * AFL++ skips seeds that crash, so run the seeds once ourselves: a seed
 * that fails a check is a finding (and AFL++ mutates the others).
 */
static int run_seeds(struct campaign *c)
{
	char *dir = path_join(c->o->out, "seeds");
	DIR *d = opendir(dir);
	struct dirent *de;
	int ret = 0;

	while (d && (de = readdir(d)) && !stop && !ret) {
		if (de->d_name[0] == '.')
			continue;
		char *p = path_join(dir, de->d_name);

		ret = run_seed(c, de->d_name, p);
		c->seeds++;
		free(p);
	}
	if (d)
		closedir(d);
	free(dir);
	if (!ret && c->seeds == c->failed_seeds) {
		printf("fuzz: every seed fails; nothing left for AFL++ to mutate\n");
		return 1;
	}
	return ret;
}

static int parse(int argc, char **argv, struct fuzz_opts *o)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "time", required_argument, NULL, 't' },
		{ "corpus", required_argument, NULL, 'c' },
		{ "out", required_argument, NULL, 'o' },
		{ "delay-ms", required_argument, NULL, 'd' },
		{ "op-timeout", required_argument, NULL, 'T' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "foreign", required_argument, NULL, 'F' },
		{ "resume", no_argument, NULL, 'r' },
		{ "stop-on-finding", no_argument, NULL, 'x' },
		{ "stop-on", required_argument, NULL, 's' },
		{ "no-minimize", no_argument, NULL, 'm' },
		{ "no-record", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	*o = (struct fuzz_opts){ .variant = "buggy",
				 .out = "fuzz-out",
				 .seconds = 600,
				 .op_timeout_s = 60,
				 .jobs = 1,
				 .delay_ms = -1 };
	optind = 0;
	while ((c = getopt_long(argc, argv, "k:t:c:o:d:T:j:F:rxs:h", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'k':
			o->variant = optarg;
			break;
		case 't':
			if (parse_duration(optarg, &o->seconds))
				return -1;
			break;
		case 'c':
			o->corpus = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'd':
			o->delay_ms = strtol(optarg, &end, 10);
			if (*end || o->delay_ms < 0)
				return -1;
			break;
		case 'T':
			o->op_timeout_s = strtoul(optarg, &end, 10);
			if (*end || !o->op_timeout_s || o->op_timeout_s > 3600)
				return -1;
			break;
		case 'j':
			o->jobs = strtoul(optarg, &end, 10);
			if (*end || !o->jobs || o->jobs > MAX_JOBS)
				return -1;
			break;
		case 'F':
			if (o->nforeign == 8)
				return -1;
			o->foreign[o->nforeign++] = optarg;
			break;
		case 'r':
			o->resume = 1;
			break;
		case 'x':
			o->stop_on_finding = 1;
			break;
		case 's':
			o->stop_on = optarg;
			break;
		case 'm':
			o->no_minimize = 1;
			break;
		case 'R':
			o->no_record = 1;
			break;
		case 'h':
			fputs(fuzz_usage, stdout);
			return 1;
		default:
			return -1;
		}
	}
	return optind == argc ? 0 : -1;
}

/* One tick of the loop: a failed guest is filed and restarted. */
static int tend_vm(struct campaign *c, struct fuzz_vm *vm)
{
	if (!fuzz_vm_failed(vm))
		return 0;
	file_vm_finding(c, vm);
	if (vm->restarts >= 50) {
		lw_err("the guest failed 50 times; stopping the campaign (see %s)",
		       vm->console);
		return -1;
	}
	return fuzz_vm_restart(vm);
}

/* Run afl-fuzz until the time is up, Ctrl-C or the first finding (-x). */
static int campaign(struct campaign *c)
{
	double next = lw_now() + 10;
	pid_t afl[MAX_JOBS] = { 0 };
	int st = 0, afl_done = 0, ret = 0;
	unsigned int k;

	for (k = 0; k < c->jobs; k++)
		afl[k] = start_afl(c, k);
	while (!afl_done && !stop && !ret) {
		usleep(200 * 1000);
		/* One instance ending (its time is up) ends them all. */
		for (k = 0; k < c->jobs && !afl_done; k++)
			afl_done = waitpid(afl[k], &st, WNOHANG) == afl[k];
		for (unsigned int v = 0; v < c->jobs && !ret; v++)
			ret = tend_vm(c, &c->vm[v]);
		if (lw_now() < next)
			continue;
		file_crashes(c);
		status_line(c);
		next += 10;
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
		lw_err("afl-fuzz failed; see %s/afl-%s.log", c->o->out,
		       instance(k - 1));
		ret = -1;
	}
	file_crashes(c);
	status_line(c);
	return ret;
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

static int prepare_out(const struct fuzz_opts *o, const struct layout *l)
{
	char *afl = xasprintf("%s/afl/main/fuzzer_setup", o->out);
	char *corpus = o->corpus ? xasprintf("%s", o->corpus)
				 : layout_src(l, "corpus/seeds");
	char *seeds = path_join(o->out, "seeds");
	char *reports = path_join(o->out, "reports");
	int ret = -1;

	if (o->resume && !path_exists(afl))
		lw_err("nothing to resume in %s (no %s); start a campaign without --resume",
		       o->out, afl);
	else if (!o->resume && path_exists(o->out))
		lw_err("%s exists; give a new --out directory, or --resume to continue that campaign",
		       o->out);
	else if (o->resume)
		ret = 0;
	else
		ret = mkdir_p(reports, 0755) || write_seeds(corpus, seeds) ? -1
									   : 0;
	free(afl);
	free(corpus);
	free(seeds);
	free(reports);
	return ret;
}

/* afl-plot's PNGs of the campaign into OUT/plots (needs gnuplot). */
static void plot(const struct fuzz_opts *o)
{
	char *src = xasprintf("%s/afl/main", o->out);
	char *dst = path_join(o->out, "plots");
	char *log = path_join(o->out, "plot.log");
	char *argv[] = { "afl-plot", src, dst, NULL };

	if (spawn_run(argv, NULL, log) == 0)
		printf("fuzz: plots in %s/index.html\n", dst);
	else
		lw_info("no plots: afl-plot failed (see %s)", log);
	free(src);
	free(dst);
	free(log);
}

/* Shrink the new checker findings while the campaign's VM still serves. */
static void minimize_new(struct campaign *c)
{
	for (unsigned int i = 0; i < c->n_new_dirs && !stop; i++) {
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
static void record_new(struct campaign *c)
{
	char *self = layout_src(c->l, "bin/lwfuzz"), delay[16];

	snprintf(delay, sizeof(delay), "%d",
		 c->o->delay_ms < 0 ? 0 : c->o->delay_ms);
	for (unsigned int i = 0; i < c->n_new_dirs && !stop; i++) {
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
		if (wl != min)
			free(wl);
		free(min);
		free(report);
		free(out);
		free(log);
	}
	free(self);
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

static int run_campaign(struct campaign *c)
{
	const struct fuzz_opts *o = c->o;
	int ret = 2;

	c->jobs = o->jobs;
	c->findings = path_join(o->out, "findings");
	struct kstate ks;

	snprintf(c->release, sizeof(c->release), "%s",
		 kstate_load(c->l, &ks) ? "?" : ks.release);
	if (mkdir_p(c->findings, 0755) || start_vms(c))
		goto out;
	printf("fuzz: %u VM(s) ready (%s); afl-fuzz for %u s%s\n", c->jobs,
	       o->variant, o->seconds, o->resume ? ", resuming" : "");
	fflush(stdout);
	c->t0 = lw_now();
	ret = o->resume ? 0 : run_seeds(c);
	if (ret == 0 && !stop)
		ret = campaign(c) ? 2 : 0;
	else
		ret = ret > 0 && !stop ? 0 : 2;
	if (ret == 0 && !o->no_minimize)
		minimize_new(c);
out:
	for (unsigned int k = 0; k < c->jobs; k++)
		fuzz_vm_shutdown(&c->vm[k]);
	if (ret == 0 && !o->no_record)
		record_new(c);
	for (unsigned int i = 0; i < c->n_new_dirs; i++)
		free(c->new_dirs[i]);
	if (ret == 0) {
		unsigned int n = finding_count(c->findings);

		plot(o);
		printf("fuzz: %u unique finding(s) in %s (%u new)%s\n", n,
		       c->findings, c->new_findings,
		       stop ? "; stopped by a signal, --resume continues" : "");
		ret = n ? 1 : 0;
	}
	free(c->findings);
	return ret;
}

int cmd_fuzz(int argc, char **argv)
{
	struct fuzz_opts o;
	struct patch_set ps;
	struct layout l;
	struct campaign c = { .o = &o, .l = &l };
	struct sigaction sa = { .sa_handler = on_signal };
	int ret = parse(argc, argv, &o), lock = -1;

	if (ret)
		return ret > 0 ? 0
			       : (lw_err("bad arguments; see 'lwfuzz fuzz --help'"),
				  2);
	if (layout_init(&l))
		return 2;
	ret = 2;
	if (layout_load_patches(&l, &ps))
		goto out_layout;
	if (!variant_find(&ps, o.variant)) {
		lw_err("unknown kernel variant '%s'; choose one of: %s",
		       o.variant, variant_names(&ps));
		goto out;
	}
	if (prepare_out(&o, &l) || (lock = lock_out(o.out)) < 0)
		goto out;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = run_campaign(&c);
	close(lock);
out:
	variants_free(&ps);
out_layout:
	layout_free(&l);
	return ret;
}
