// SPDX-License-Identifier: GPL-2.0
/* The AFL++ instances of a campaign, its status line and its plots. */
#include <dirent.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "lib/cov_map.h"
#include "lib/exec_proto.h"
#include "fuzzer/finding_post.h"
#include "fuzzer/finding_store.h"
#include "lib/fsutil.h"
#include "fuzzer/campaign.h"
#include "fuzzer/thread_sites.h"
#include "lib/hash.h"
#include "lib/msg.h"
#include "fuzzer/signature.h"
#include "lib/spawn.h"
#include "vm/accel.h"
#include "vm/vm.h"

/* AFL++'s name of instance @k: the main one, then secondaries. */
const char *fuzz_instance(unsigned int k)
{
	static const char *const names[MAX_JOBS] = { "main", "s1", "s2", "s3",
						     "s4",   "s5", "s6", "s7" };

	return names[k];
}

char *fuzz_instance_path(const struct campaign *c, unsigned int k,
			 const char *file)
{
	return xasprintf("%s/afl/%s/%s", c->o->out, fuzz_instance(k), file);
}

static void afl_env(const struct campaign *c, unsigned int k)
{
	char *mut = layout_src(c->l, "bin/lwfuzz-mutator.so");
	char *reports = path_join(c->o->out, "reports");
	char *vdir = layout_variant_dir(c->l, c->o->variant);
	char *sites = path_join(vdir, "sites");
	char *seed_sites = path_join(c->o->out, SEED_SITES_DIR);
	char *stages = fuzz_instance_path(c, k, "delay-stages.txt");

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
	setenv("LWFUZZ_SITES", sites, 1);
	setenv("LWFUZZ_SEED_SITES", seed_sites, 1);
	/* What the mutator did with each delay stage (afl_mutator.c). */
	setenv("LWFUZZ_MUTATOR_TRACE", stages, 1);
	free(stages);
	free(seed_sites);
	free(sites);
	free(vdir);
	free(mut);
	free(reports);
}

/* AFL++ instance @k (-M main or -S sK) against VM @k, in the background. */
pid_t fuzz_start_afl(const struct campaign *c, unsigned int k)
{
	const struct fuzz_opts *o = c->o;
	char *mine = fuzz_instance_path(c, k, "fuzzer_setup");
	/* Resume an instance that ran before; a new one starts from seeds. */
	char *in = o->resume && path_exists(mine) ? xasprintf("-")
						  : path_join(o->out, "seeds");
	char *afl = path_join(o->out, "afl");
	char *self = layout_src(c->l, "bin/lwfuzz");
	char *logf = xasprintf("%s/afl-%s.log", o->out, fuzz_instance(k));
	char secs[16];
	pid_t pid;

	snprintf(secs, sizeof(secs), "%u", o->seconds);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		char *argv[48] = { "afl-fuzz",
				   k ? "-S" : "-M",
				   (char *)fuzz_instance(k),
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

/*
 * OUT/coverage.tsv: "seconds executions btrfs_edges" at each status line,
 * for fuzz_plot's picture of coverage over time.
 */
static void coverage_point(const struct campaign *c, double el,
			   unsigned long execs, unsigned int edges)
{
	char *path = path_join(c->o->out, "coverage.tsv");
	FILE *f = fopen(path, "a");

	if (f) {
		fprintf(f, "%.0f\t%lu\t%u\n", el, execs, edges);
		fclose(f);
	}
	free(path);
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

/* The btrfs edges all VMs reached (each VM's OR of its executions). */
static unsigned int btrfs_edges(const struct campaign *c)
{
	uint8_t total[COV_BYTES] = { 0 };

	for (unsigned int k = 0; k < c->jobs; k++) {
		char *path = path_join(c->vm[k].dir, "coverage");
		size_t len = 0;
		uint8_t *bits = (uint8_t *)read_file(path, &len);

		if (bits && len == COV_BYTES)
			cov_merge(total, bits);
		free(bits);
		free(path);
	}
	return cov_count(total);
}

void fuzz_status_line(const struct campaign *c)
{
	char *path = fuzz_instance_path(c, 0, "fuzzer_stats");
	char *stats = read_file(path, NULL);
	double el = lw_now() - c->t0;
	unsigned long execs, points;
	unsigned int restarts, edges = btrfs_edges(c);

	count_executions(c, &execs, &points, &restarts);
	printf("fuzz: %02u:%02u elapsed, %lu executions (%.2f/s), %lu crash states (%.1f/s), btrfs edges %u, corpus %lu, findings %u, restarts %u, %s\n",
	       (unsigned int)el / 60, (unsigned int)el % 60, execs,
	       el > 0 ? execs / el : 0.0, points, el > 0 ? points / el : 0.0,
	       edges, stat_of(stats, "corpus_count"),
	       finding_count(c->findings), restarts,
	       vm_accel_name(vm_accel_current()));
	fflush(stdout);
	coverage_point(c, el, execs, edges);
	free(stats);
	free(path);
}

/* OUT/plots/btrfs-edges.png from OUT/coverage.tsv (gnuplot). */
static void plot_coverage(const struct fuzz_opts *o, const char *dst,
			  const char *log)
{
	char *tsv = path_join(o->out, "coverage.tsv");
	char *png = path_join(dst, "btrfs-edges.png");
	char *script = xasprintf(
		"set terminal png size 1000,300\n"
		"set output '%s'\n"
		"set xlabel 'seconds'\n"
		"set ylabel 'btrfs edges'\n"
		"set grid\n"
		"plot '%s' using 1:3 with lines title 'btrfs edges covered'\n",
		png, tsv);
	char *argv[] = { "gnuplot", "-e", script, NULL };

	if (path_exists(tsv) && mkdir_p(dst, 0755) == 0 &&
	    spawn_run(argv, NULL, log) == 0)
		printf("fuzz: btrfs coverage over time in %s\n", png);
	free(script);
	free(png);
	free(tsv);
}

/* afl-plot's PNGs of the campaign into OUT/plots (needs gnuplot). */
void fuzz_plot(const struct fuzz_opts *o)
{
	char *src = xasprintf("%s/afl/main", o->out);
	char *dst = path_join(o->out, "plots");
	char *log = path_join(o->out, "plot.log");
	char *argv[] = { "afl-plot", src, dst, NULL };

	if (spawn_run(argv, NULL, log) == 0)
		printf("fuzz: plots in %s/index.html\n", dst);
	else
		lw_info("no plots: afl-plot failed (see %s)", log);
	plot_coverage(o, dst, log);
	free(src);
	free(dst);
	free(log);
}
