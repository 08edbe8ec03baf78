// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <termios.h>
#include <unistd.h>

#include "guest/agent_cov.h"
#include "guest/driver.h"
#include "guest/fs_template.h"
#include "lib/delay_site.h"
#include "lib/exec_proto.h"
#include "lib/fsutil.h"
#include "lib/log_reader.h"
#include "lib/msg.h"
#include "lib/poison.h"
#include "guest/recorder.h"
#include "replay/replayer.h"
#include "guest/agent_run.h"
#include "lib/run_result.h"
#include "lib/workload.h"
#include "lib/workload_file.h"
#include "lib/agent_cmdline.h"

#define KNOB "/sys/module/btrfs/parameters/dio_race_delay_ms"

struct run_opts {
	struct agent_run_args a;
	struct driver_fault fault; /* tests only */
};

static int set_knob(int ms)
{
	FILE *f;

	if (ms < 0)
		return 0;
	if (access(KNOB, F_OK)) {
		if (ms)
			lw_info("this btrfs has no dio_race_delay_ms; --delay-ms ignored");
		return 0;
	}
	f = fopen(KNOB, "w");
	if (!f || fprintf(f, "%d\n", ms) < 0 || fclose(f)) {
		lw_err("cannot set %s to %d: %s", KNOB, ms, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Bytes of the log up to its last entry, for saving it; 0 when the log
 * does not end with the kernel's end mark: dm-log-writes stops logging
 * silently when its device is full, and such a log is not the run's.
 */
static uint64_t log_bytes(const char *dev)
{
	struct log_entry *e = malloc(sizeof(*e));
	struct log_reader *r;
	char why[512];
	uint64_t end = 0;
	int ended = 0;

	r = e ? log_open(dev, 0, why, sizeof(why)) : NULL;
	while (r && log_next(r, e, why, sizeof(why)) == 1) {
		end = e->data_offset + e->data_bytes;
		ended = (e->flags & LOG_MARK) && !strcmp(e->mark, LOG_END_MARK);
	}
	log_close(r);
	free(e);
	return ended ? end : 0;
}

/*
 * The file systems mkfs made so far in this agent's life, by mkfs
 * arguments, and which one the replay target holds over its poison (NULL:
 * poison alone, as the host made it).
 */
#define TEMPLATES 8
static struct fs_template templates[TEMPLATES];
static size_t ntemplates;
static const struct fs_template *target_base;

static const struct fs_template *template_of(const char *key)
{
	for (size_t i = 0; i < ntemplates; i++)
		if (!strcmp(templates[i].key, key))
			return &templates[i];
	return NULL;
}

/* Keep what the log's mkfs wrote, for the next runs with @key. */
static void template_keep(const char *key, const char *log)
{
	char why[256];

	if (ntemplates == TEMPLATES)
		return;
	if (fs_template_capture(&templates[ntemplates], key, log, why,
				sizeof(why))) {
		lw_err("no file system template for '%s': %s", key, why);
		return;
	}
	ntemplates++;
}

/* Make the target hold @want over its poison (see target_base). */
static int target_set_base(const char *target, const struct fs_template *want)
{
	if (target_base == want)
		return 0;
	if (fs_template_switch(target, target_base, want)) {
		target_base = NULL;
		return -1;
	}
	target_base = want;
	return 0;
}

/* The kernel's whole message buffer, for the artifacts. */
static void save_dmesg(const char *dst)
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf = len > 0 ? malloc(len) : NULL;

	if (!buf)
		return;
	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len);
	if (len > 0)
		write_file_atomic(dst, buf, len);
	free(buf);
}

/* What one execution saw: the fuzzer's feedback. */
struct exec_result {
	struct driver_result dr;
	struct replay_stats rs;
	struct agent_cov cov;
};

/*
 * The run's btrfs coverage: into the execution's reply when serving, else
 * into run-N/cov.bin (lib/cov_map.h) with lines saying how much, how many
 * functions each thread ran and which ones another thread ran too.
 */
static void save_cov(const struct run_opts *o, unsigned int n,
		     struct exec_result *er, const char *dir)
{
	static struct agent_cov mine;
	struct agent_cov *c = er ? &er->cov : &mine;
	char buf[SITE_NAME_MAX + 1];

	agent_cov_end(c);
	if (er)
		return;
	if (c->edges < 0) {
		lw_err("run %u: cannot read the btrfs coverage", n);
		return;
	}
	char *path = path_join(dir, "cov.bin");

	if (write_file_atomic(path, c->bits, sizeof(c->bits)))
		lw_err("run %u: cannot write %s", n, path);
	printf("run %u/%u: btrfs coverage: %d edges\n", n, o->a.runs, c->edges);
	for (unsigned int t = 0; t < EXEC_THREADS; t++) {
		if (!c->ran[t])
			continue;
		printf("run %u/%u: thread %u ran %u btrfs functions, %u of them in another thread too",
		       n, o->a.runs, t, c->ran[t], c->shared[t]);
		for (unsigned int i = 0; i < c->nshared[t] && i < 4; i++)
			printf("%s%s", i ? ", " : " (",
			       site_text(c->sites[t][i], buf));
		printf("%s\n", c->nshared[t] > 4 ? ", ...)" :
				c->nshared[t]   ? ")" :
						  "");
	}
	free(path);
}

/*
 * One run: record, replay, check. 0 clean, 1 finding, 2 error/hang. Its
 * delay counts go into @res when there is one (not when serving).
 */
static int one_run(const struct run_opts *o, const struct workload *w,
		   unsigned int n, struct exec_result *er,
		   struct run_result *res)
{
	struct recorder rc = { .data = o->a.data,
			       .log = o->a.log,
			       .mnt = "/mnt/work",
			       .fs = &w->fs };
	char key[256];
	struct driver_cfg dc = { .mnt = rc.mnt,
				 .dm_name = RECORDER_DM_NAME,
				 .timeout_s = o->a.timeout_s,
				 .fault = o->fault };
	struct driver_result dr;
	char *dir = xasprintf("%s/run-%u", o->a.out, n);
	char *report = path_join(dir, "report.json"), why[512];
	struct replay_cfg rcfg = { .log_path = o->a.log,
				   .target_path = o->a.target,
				   .cow_path = o->a.cow,
				   .mnt = "/mnt/crash",
				   .points =
					   POINT_FLUSH | POINT_FUA | POINT_MARK,
				   .fsck = o->a.fsck,
				   .no_share = o->a.no_share,
				   /* The next run's replay reuses them. */
				   .keep_views = !o->a.no_template,
				   .report_path = report,
				   .quiet = 1,
				   .stats = er ? &er->rs : NULL };
	double t0 = lw_now(), t1, t2;
	int ret = 2, cov_on = 0;

	if (er) {
		memset(er, 0, sizeof(*er));
		er->cov.edges = -1;
	}
	mkdir_p(dir, 0755);
	recorder_mkfs_key(&w->fs, key, sizeof(key));
	rc.tpl = o->a.no_template ? NULL : template_of(key);
	if (rc.tpl) {
		rcfg.from_first = 1;
		rcfg.index_base = rc.tpl->nr_entries;
	}
	if (rc.tpl && !er)
		printf("run %u/%u: no mkfs: the file system mkfs made for an earlier run (%llu log entries)\n",
		       n, o->a.runs, (unsigned long long)rc.tpl->nr_entries);
	if (recorder_start(&rc, why, sizeof(why))) {
		lw_err("run %u: %s", n, why);
		goto out;
	}
	t1 = lw_now();
	cov_on = !o->a.no_cov && !agent_cov_begin(w->nthreads);
	if (driver_run(w, &dc, &dr)) {
		printf("run %u/%u: HANG: %s\n", n, o->a.runs, dr.why);
		fflush(stdout);
		if (dr.stuck && !er)
			_exit(2);
		if (dr.stuck) {
			/* Stuck in the kernel: no clean-up can work; the
			 * caller answers and gives up the VM. */
			er->dr = dr;
			free(dir);
			free(report);
			return 2;
		}
		goto out;
	}
	if (recorder_stop(&rc, why, sizeof(why))) {
		lw_err("run %u: %s", n, why);
		goto out;
	}
	if (!log_bytes(o->a.log)) {
		lw_err("run %u: the log does not end with its end mark: the log device filled up or logging stopped; use a bigger log disk",
		       n);
		goto out;
	}
	t2 = lw_now();
	/*
	 * The workload's coverage only: replaying its crash states runs
	 * btrfs's mount and log replay tens of times, which under TCG made
	 * collection cost more than the replay itself.
	 */
	if (cov_on)
		save_cov(o, n, er, dir);
	if (er)
		er->dr = dr;
	printf("run %u/%u: workload done: %lu ops (%lu failed), %lu marks, %lu promises\n",
	       n, o->a.runs, dr.ops, dr.op_errors, dr.marks, dr.expectations);
	if (dr.delays || dr.delays_failed)
		printf("run %u/%u: delays: %u armed, %u fired, %u not armed%s%s%s\n",
		       n, o->a.runs, dr.delays, dr.delays_fired,
		       dr.delays_failed, dr.delay_why[0] ? " (" : "",
		       dr.delay_why, dr.delay_why[0] ? ")" : "");
	if (res) {
		res->delays += dr.delays;
		res->delays_fired += dr.delays_fired;
	}
	fflush(stdout);
	if (target_set_base(o->a.target, rc.tpl)) {
		lw_err("run %u: cannot prepare the replay target %s", n,
		       o->a.target);
		goto out;
	}
	ret = replay_run(&rcfg);
	printf("run %u/%u: %s (set-up %.2f s, workload %.2f s, replay+check %.2f s)\n",
	       n, o->a.runs,
	       ret == 0	  ? "CLEAN"
	       : ret == 1 ? "CORRUPT"
			  : "ERROR",
	       t1 - t0, t2 - t1, lw_now() - t2);
	t2 = lw_now();
	if (ret != 2 && fs_template_restore(target_base, o->a.log, o->a.target)) {
		lw_err("run %u: cannot restore the poison on %s", n,
		       o->a.target);
		ret = 2;
	}
	if (!er)
		printf("run %u/%u: the target's poison restored in %.2f s\n", n,
		       o->a.runs, lw_now() - t2);
	if (ret == 1) {
		char *img = path_join(dir, "log.img");
		if (fs_template_save_log(rc.tpl, o->a.log,
					 log_bytes(o->a.log), img))
			lw_err("run %u: cannot save the log into %s", n, img);
		free(img);
	}
	if (ret != 2 && !rc.tpl && !o->a.no_template)
		template_keep(key, o->a.log);
out:
	if (ret == 2)
		recorder_stop(&rc, why, sizeof(why));
	fflush(stdout);
	free(report);
	free(dir);
	return ret;
}

static int parse(int argc, char **argv, struct run_opts *o)
{
	char why[256];

	memset(o, 0, sizeof(*o));
	if (agent_run_parse(argc, argv, &o->a, why, sizeof(why))) {
		lw_err("lwfuzz-agent run: %s", why);
		return -1;
	}
	if (o->a.test_fault && driver_parse_fault(o->a.test_fault, &o->fault)) {
		lw_err("lwfuzz-agent run: bad --test-fault '%s' (panic:ID or hang:ID)",
		       o->a.test_fault);
		return -1;
	}
	return 0;
}

/* What the execution reached, for the campaign. */
static void features(const struct exec_result *er, struct exec_features *f)
{
	_Static_assert(DRIVER_OVERLAP_BYTES <= EXEC_OVERLAP_BYTES,
		       "the overlap bitmap does not fit the reply");
	memset(f, 0, sizeof(*f));
	f->ok_codes = er->dr.ok_codes;
	f->err_codes = er->dr.err_codes;
	f->checks = er->rs.checks;
	f->points = exec_bucket(er->rs.points);
	f->promises = exec_bucket(er->dr.expectations);
	f->points_failed = exec_bucket(er->rs.failed);
	f->regular_extents = exec_bucket(er->rs.reg_extents);
	memcpy(f->overlap, er->dr.overlap, DRIVER_OVERLAP_BYTES);
	f->delays = exec_bucket(er->dr.delays);
	f->delays_fired = exec_bucket(er->dr.delays_fired);
	if (er->cov.edges >= 0) {
		f->cov_on = 1;
		memcpy(f->cov, er->cov.bits, COV_BYTES);
		for (unsigned int t = 0; t < EXEC_THREADS; t++) {
			f->nsites[t] = er->cov.nsites[t];
			f->nshared[t] = er->cov.nshared[t];
			memcpy(f->sites[t], er->cov.sites[t],
			       er->cov.nsites[t] * sizeof(**f->sites));
		}
	}
}

static int reply(int fd, int status, const struct exec_result *er,
		 const char *report_path)
{
	struct exec_features f;
	size_t len = 0;
	char *report = report_path ? read_file(report_path, &len) : NULL;
	int ret;

	features(er, &f);
	ret = exec_serve_reply(fd, status, &f, report, report ? len : 0);
	free(report);
	return ret;
}

/* The guest's MemAvailable, for soak runs that watch it over time. */
static unsigned long mem_available_kb(void)
{
	char *info = read_file("/proc/meminfo", NULL);
	const char *p = info ? strstr(info, "MemAvailable:") : NULL;
	unsigned long kb = p ? strtoul(p + 13, NULL, 10) : 0;

	free(info);
	return kb;
}

/*
 * Serve executions on @o->a.serve (a serial port) until the host asks to
 * stop (lib/exec_proto.h).
 */
static int serve(struct run_opts *o)
{
	static unsigned char buf[WL_BIN_MAX];
	struct exec_result er;
	struct workload w;
	struct termios tio;
	int fd = open(o->a.serve, O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0 || tcgetattr(fd, &tio)) {
		lw_err("%s: %s", o->a.serve, strerror(errno));
		return 2;
	}
	cfmakeraw(&tio);
	tcsetattr(fd, TCSANOW, &tio);
	if (exec_serve_ready(fd))
		return 2;
	o->a.out = "/tmp/exec";
	for (unsigned int n = 1;; n++) {
		size_t len;
		int status, got = exec_serve_next(fd, buf, sizeof(buf), &len);

		if (got < 0) {
			lw_err("serve: a broken request or a closed port");
			return 2;
		}
		if (!got)
			break;
		rm_rf(o->a.out);
		memset(&er, 0, sizeof(er));
		er.cov.edges = -1;
		status = wl_decode(buf, len, &w) ? 2 : one_run(o, &w, 1, &er, NULL);
		if (status == 2 && er.dr.stuck)
			status = EXEC_STUCK;
		char *report = xasprintf("%s/run-1/report.json", o->a.out);

		if (reply(fd, status, &er, report)) {
			free(report);
			return 2;
		}
		free(report);
		/* A thread stuck in the kernel: this VM is done for. */
		if (status == EXEC_STUCK) {
			lw_err("serve: %s; giving up this VM", er.dr.why);
			return 2;
		}
		printf("serve: execution %u: %s (guest MemAvailable %lu kB)\n",
		       n,
		       status == 0   ? "clean"
		       : status == 1 ? "FINDING"
				     : "error",
		       mem_available_kb());
		fflush(stdout);
	}
	close(fd);
	return 0;
}

/*
 * The names of this btrfs.ko's delay sites, for binary workloads (their
 * delays carry ids). A guest without the table arms no delay of an id.
 */
static void know_sites(void)
{
	struct site_table t;
	char why[256];

	if (access(SITE_TABLE_GUEST, F_OK))
		return;
	if (site_table_load(SITE_TABLE_GUEST, &t, why, sizeof(why))) {
		lw_err("%s", why);
		return;
	}
	site_know_table(&t);
	site_table_free(&t);
}

int agent_run(int argc, char **argv)
{
	struct run_result res = { 0 };
	struct workload w;
	struct run_opts o;
	int ret = 0;

	if (parse(argc, argv, &o))
		return 2;
	know_sites();
	if (o.a.serve) {
		ret = set_knob(o.a.delay_ms) ? 2 : serve(&o);
		replay_release_views();
		return ret;
	}
	if (wl_load_file(o.a.workload, &w) || set_knob(o.a.delay_ms))
		return 2;
	res.runs = o.a.runs;
	for (unsigned int n = 1; n <= o.a.runs; n++) {
		ret = one_run(&o, &w, n, NULL, &res);
		if (ret == 2)
			break;
		run_result_add(&res, ret);
	}
	replay_release_views();
	char *dmesg = path_join(o.a.out, "dmesg.txt");
	char *result = path_join(o.a.out, RUN_RESULT_FILE);

	save_dmesg(dmesg);
	if (run_result_write(result, &res)) {
		lw_err("cannot write %s: %s", result, strerror(errno));
		ret = 2;
	}
	free(result);
	free(dmesg);
	if (ret == 2)
		return 2;
	printf("run: a check failed in %u of %u runs\n", res.failed,
	       res.runs_done);
	return res.failed ? 1 : 0;
}
