// SPDX-License-Identifier: GPL-2.0
/*
 * `lwfuzz fuzz`: an AFL++ campaign against one persistent VM. The guest
 * serves executions (`lwfuzz-agent run --serve`) on a serial port QEMU
 * exposes as a Unix socket; afl-fuzz runs `lwfuzz exec` per test case with
 * the structure-aware mutator; failing executions become AFL++ crashes and
 * are filed, deduplicated by signature, under OUT/findings.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmds.h"
#include "exec_proto.h"
#include "fsutil.h"
#include "hash.h"
#include "layout.h"
#include "msg.h"
#include "signature.h"
#include "variants.h"
#include "vm_run.h"
#include "workload.h"
#include "workload_run.h"

static const char fuzz_usage[] =
	"usage: lwfuzz fuzz [OPTIONS]\n\n"
	"Run an AFL++ campaign on workloads against one VM of the chosen kernel:\n"
	"every execution records a workload on a fresh btrfs over dm-log-writes\n"
	"and checks every crash state of its log. Findings (AFL++ crashes) are\n"
	"filed under OUT/findings/SIGNATURE-HASH/ (workload.lw, workload.bin,\n"
	"report.json, signature), one per signature.\n\n"
	"  -k, --kernel V      stock, buggy or fixed (default buggy)\n"
	"  -t, --time D        stop after D (90s, 10m, 1h; default 10m)\n"
	"  -c, --corpus DIR    seed workloads (*.lw; default corpus/seeds)\n"
	"  -o, --out DIR       campaign directory (default fuzz-out)\n"
	"  -d, --delay-ms N    set btrfs.dio_race_delay_ms\n"
	"  -h, --help          this text\n\n"
	"Exit status: 1 when there are findings, 0 when none, 2 on error.\n";

struct fuzz_opts {
	const char *variant, *corpus, *out;
	unsigned int seconds;
	int delay_ms;
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

/* The VM, serving executions, in a child process. */
static pid_t start_vm(const struct layout *l, const struct fuzz_opts *o,
		      char *disks[4], const char *sock, const char *log)
{
	char delay[16];
	char *cmd[16] = {
		"sh",
		"-c",
		"exec lwfuzz-agent run --serve /dev/ttyS2 "
		"--data \"$LWFUZZ_DISK0\" --log \"$LWFUZZ_DISK1\" "
		"--target \"$LWFUZZ_DISK2\" --cow \"$LWFUZZ_DISK3\" \"$@\"",
		"lwfuzz-agent",
		"--timeout",
		"60"
	};
	int n = 6;
	pid_t pid;

	if (o->delay_ms >= 0) {
		snprintf(delay, sizeof(delay), "%d", o->delay_ms);
		cmd[n++] = "--delay-ms";
		cmd[n++] = delay;
	}
	fflush(NULL);
	pid = fork();
	if (pid)
		return pid;
	struct vm_run_opts vo = { .variant = o->variant,
				  .mem_mb = 1024,
				  .cmd = cmd,
				  .quiet_output = 1,
				  .tee_path = log,
				  .ctl_socket = sock,
				  .timeout_s = o->seconds + 900 };

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	for (int i = 0; i < 4; i++)
		vo.disks[vo.ndisks++] = disks[i];
	_exit(vm_run(l, &vo));
}

static pid_t start_afl(const struct layout *l, const struct fuzz_opts *o,
		       const char *sock)
{
	char *in = path_join(o->out, "seeds"), *afl = path_join(o->out, "afl");
	char *mut = layout_src(l, "bin/lwfuzz-mutator.so");
	char *self = layout_src(l, "bin/lwfuzz");
	char *reports = path_join(o->out, "reports");
	char *logf = path_join(o->out, "afl.log");
	char secs[16];
	pid_t pid;

	snprintf(secs, sizeof(secs), "%u", o->seconds);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "afl-fuzz", "-i",	   in,	     "-o",
				 afl,	     "-t",	   "600000", "-V",
				 secs,	     "--",	   self,     "exec",
				 "--socket", (char *)sock, "@@",     NULL };
		FILE *f = freopen(logf, "w", stdout);

		(void)f;
		dup2(1, 2);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		/* Not instrumented: lwfuzz exec fills the map itself, one
		 * process per execution. */
		setenv("AFL_SKIP_BIN_CHECK", "1", 1);
		setenv("AFL_NO_FORKSRV", "1", 1);
		setenv("AFL_MAP_SIZE", "65536", 1);
		setenv("AFL_CUSTOM_MUTATOR_LIBRARY", mut, 1);
		setenv("AFL_CUSTOM_MUTATOR_ONLY", "1", 1);
		setenv("AFL_NO_UI", "1", 1);
		setenv("AFL_FAST_CAL", "1", 1);
		setenv("AFL_SKIP_CPUFREQ", "1", 1);
		setenv("AFL_NO_AFFINITY", "1", 1);
		setenv("AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES", "1", 1);
		setenv("LWFUZZ_REPORTS", reports, 1);
		execvp("afl-fuzz", argv);
		_exit(127);
	}
	free(in);
	free(afl);
	free(mut);
	free(self);
	free(reports);
	free(logf);
	return pid;
}

/* "execs_done : 12" from AFL++'s fuzzer_stats. */
static unsigned long stat_of(const char *stats, const char *key)
{
	const char *p = stats ? strstr(stats, key) : NULL;

	p = p ? strchr(p, ':') : NULL;
	return p ? strtoul(p + 1, NULL, 10) : 0;
}

static void status_line(const struct fuzz_opts *o, double t0)
{
	char *path = xasprintf("%s/afl/default/fuzzer_stats", o->out);
	char *stats = read_file(path, NULL);
	double el = lw_now() - t0;
	unsigned long execs = stat_of(stats, "execs_done");

	printf("fuzz: %02u:%02u elapsed, %lu executions (%.2f/s), corpus %lu, crashes %lu\n",
	       (unsigned int)el / 60, (unsigned int)el % 60, execs,
	       el > 0 ? execs / el : 0.0, stat_of(stats, "corpus_count"),
	       stat_of(stats, "saved_crashes"));
	fflush(stdout);
	free(stats);
	free(path);
}

/* File a failing workload as a finding, unless its signature is known. */
static int file_finding(const struct fuzz_opts *o, const struct workload *wl,
			const char *report)
{
	unsigned char bin[WL_BIN_MAX];
	struct workload w = *wl;
	size_t n = wl_encode(&w, bin, sizeof(bin));
	char sig[512];
	int added = 0;

	if (report && !finding_signature(report, &w, sig, sizeof(sig))) {
		char *dir =
			xasprintf("%s/findings/%016llx", o->out,
				  (unsigned long long)hash_str(HASH_INIT, sig));

		if (!path_exists(dir) && !mkdir_p(dir, 0755)) {
			char *text = wl_format_text(&w);
			char *p1 = path_join(dir, "workload.lw");
			char *p2 = path_join(dir, "workload.bin");
			char *p3 = path_join(dir, "report.json");
			char *p4 = path_join(dir, "signature");
			char *s = xasprintf("%s\n", sig);

			added = !write_file_atomic(p1, text, strlen(text)) &&
				!write_file_atomic(p2, bin, n) &&
				!write_file_atomic(p3, report,
						   strlen(report)) &&
				!write_file_atomic(p4, s, strlen(s));
			printf("fuzz: new finding %s: %s\n", dir, sig);
			free(text);
			free(p1);
			free(p2);
			free(p3);
			free(p4);
			free(s);
		}
		free(dir);
	}
	return added;
}

/* File one AFL++ crash: its report was kept by `lwfuzz exec`. */
static int file_crash(const struct fuzz_opts *o, const char *crash)
{
	unsigned char bin[WL_BIN_MAX];
	struct workload w;
	size_t len, n;
	char *buf = read_file(crash, &len), *rpath, *report;
	int added;

	if (!buf || wl_decode((unsigned char *)buf, len, &w)) {
		free(buf);
		return 0;
	}
	free(buf);
	n = wl_encode(&w, bin, sizeof(bin));
	rpath = xasprintf("%s/reports/%016llx.json", o->out,
			  (unsigned long long)hash_bytes(HASH_INIT, bin, n));
	report = read_file(rpath, NULL);
	added = file_finding(o, &w, report);
	free(report);
	free(rpath);
	return added;
}

/*
 * AFL++ skips seeds that crash, so run the seeds once ourselves: a seed
 * that fails a check is a finding (and AFL++ mutates the others).
 */
static int run_seeds(const struct fuzz_opts *o, const char *sock)
{
	char *dir = path_join(o->out, "seeds");
	DIR *d = opendir(dir);
	struct dirent *de;

	while (d && (de = readdir(d)) && !stop) {
		struct exec_reply rep;
		struct workload w;
		size_t len;
		char *p, *buf;
		int fd;

		if (de->d_name[0] == '.')
			continue;
		p = path_join(dir, de->d_name);
		buf = read_file(p, &len);
		fd = buf ? exec_connect(sock, 30) : -1;
		if (fd < 0 ||
		    exec_request(fd, (unsigned char *)buf, len, &rep, 600)) {
			lw_err("seed %s: no answer from the VM", p);
			if (fd >= 0)
				close(fd);
			free(buf);
			free(p);
			closedir(d);
			free(dir);
			return -1;
		}
		close(fd);
		printf("fuzz: seed %s: %s\n", de->d_name,
		       rep.status == 1	 ? "FINDING"
		       : rep.status == 0 ? "clean"
					 : "error");
		if (rep.status == 1 &&
		    !wl_decode((unsigned char *)buf, len, &w))
			file_finding(o, &w, rep.report);
		free(rep.report);
		free(buf);
		free(p);
	}
	if (d)
		closedir(d);
	free(dir);
	return 0;
}

static unsigned int file_findings(const struct fuzz_opts *o)
{
	char *dir = xasprintf("%s/afl/default/crashes", o->out);
	char *fdir = path_join(o->out, "findings");
	DIR *d = opendir(dir);
	struct dirent *de;
	unsigned int total = 0;

	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, "id:", 3))
			continue;
		char *p = path_join(dir, de->d_name);

		file_crash(o, p);
		free(p);
	}
	if (d)
		closedir(d);
	d = opendir(fdir);
	while (d && (de = readdir(d)))
		total += de->d_name[0] != '.';
	if (d)
		closedir(d);
	free(fdir);
	free(dir);
	return total;
}

static int parse(int argc, char **argv, struct fuzz_opts *o)
{
	static const struct option longopts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "time", required_argument, NULL, 't' },
		{ "corpus", required_argument, NULL, 'c' },
		{ "out", required_argument, NULL, 'o' },
		{ "delay-ms", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	*o = (struct fuzz_opts){ .variant = "buggy",
				 .out = "fuzz-out",
				 .seconds = 600,
				 .delay_ms = -1 };
	optind = 0;
	while ((c = getopt_long(argc, argv, "k:t:c:o:d:h", longopts, NULL)) !=
	       -1) {
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
		case 'h':
			fputs(fuzz_usage, stdout);
			return 1;
		default:
			return -1;
		}
	}
	return optind == argc ? 0 : -1;
}

/* Run the campaign; the VM is up and serving. */
static int campaign(const struct layout *l, const struct fuzz_opts *o,
		    const char *sock, pid_t vm)
{
	double t0 = lw_now(), next = t0 + 10;
	pid_t afl = start_afl(l, o, sock);
	int st, afl_done = 0;

	while (!afl_done && !stop) {
		usleep(200 * 1000);
		afl_done = waitpid(afl, &st, WNOHANG) == afl;
		if (waitpid(vm, NULL, WNOHANG) == vm) {
			lw_err("the VM stopped during the campaign; see %s/vm.txt",
			       o->out);
			kill(afl, SIGINT);
			waitpid(afl, NULL, 0);
			return -1;
		}
		if (lw_now() >= next) {
			status_line(o, t0);
			next += 10;
		}
	}
	if (!afl_done) {
		kill(afl, SIGINT);
		waitpid(afl, &st, 0);
	}
	status_line(o, t0);
	return 0;
}

int cmd_fuzz(int argc, char **argv)
{
	struct fuzz_opts o;
	struct patch_set ps;
	struct layout l;
	char *disks[4] = { 0 }, *seeds, *sock, *vmlog, *work, *corpus;
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned int found;
	int ret = parse(argc, argv, &o), fd;
	pid_t vm;

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
	corpus = o.corpus ? xasprintf("%s", o.corpus)
			  : layout_src(&l, "corpus/seeds");
	seeds = path_join(o.out, "seeds");
	work = path_join(o.out, ".vm");
	sock = path_join(work, "ctl.sock");
	vmlog = path_join(o.out, "vm.txt");
	char *reports = path_join(o.out, "reports");

	if (path_exists(o.out)) {
		lw_err("%s exists; give a new --out directory", o.out);
		goto out_paths;
	}
	if (write_seeds(corpus, seeds) || mkdir_p(work, 0755) ||
	    mkdir_p(reports, 0755) || workload_disks(work, disks))
		goto out_paths;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	vm = start_vm(&l, &o, disks, sock, vmlog);
	fd = exec_connect(sock, 60);
	if (fd < 0 || exec_wait_ready(fd, 180)) {
		lw_err("the VM did not start serving; see %s", vmlog);
		kill(vm, SIGTERM);
		waitpid(vm, NULL, 0);
		goto out_paths;
	}
	close(fd);
	printf("fuzz: VM ready (%s); afl-fuzz for %u s\n", o.variant,
	       o.seconds);
	fflush(stdout);
	if (run_seeds(&o, sock) == 0 && campaign(&l, &o, sock, vm) == 0) {
		fd = exec_connect(sock, 10);
		if (fd >= 0) {
			exec_quit(fd);
			close(fd);
		}
		waitpid(vm, NULL, 0);
		found = file_findings(&o);
		printf("fuzz: %u unique finding(s) in %s/findings\n", found,
		       o.out);
		ret = found ? 1 : 0;
	} else {
		kill(vm, SIGTERM);
		waitpid(vm, NULL, 0);
	}
	for (int i = 0; i < 4; i++)
		if (disks[i])
			unlink(disks[i]);
out_paths:
	for (int i = 0; i < 4; i++)
		free(disks[i]);
	free(reports);
	free(corpus);
	free(seeds);
	free(work);
	free(sock);
	free(vmlog);
out:
	variants_free(&ps);
out_layout:
	layout_free(&l);
	return ret;
}
