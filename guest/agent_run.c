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

#include "guest/driver.h"
#include "lib/exec_proto.h"
#include "lib/fsutil.h"
#include "lib/log_reader.h"
#include "lib/msg.h"
#include "lib/poison.h"
#include "guest/recorder.h"
#include "replay/replayer.h"
#include "guest/agent_run.h"
#include "lib/workload.h"

#define KNOB "/sys/module/btrfs/parameters/dio_race_delay_ms"

struct run_opts {
	const char *workload, *data, *log, *target, *cow, *out;
	const char *serve; /* the port to serve executions on */
	unsigned int runs, timeout_s;
	int delay_ms; /* -1: leave the knob alone */
	int fsck;
	struct driver_fault fault; /* tests only */
};

static int load_workload(const char *path, struct workload *w)
{
	size_t len;
	char *buf = read_file(path, &len), why[512];
	int ret;

	if (!buf) {
		lw_err("%s: %s", path, strerror(errno));
		return -1;
	}
	if (len >= 3 && !memcmp(buf, "LW\1", 3))
		ret = wl_decode((unsigned char *)buf, len, w);
	else
		ret = wl_parse_text(buf, w, why, sizeof(why));
	if (ret)
		lw_err("%s: %s", path,
		       len >= 3 && !memcmp(buf, "LW\1", 3) ? "not a workload"
							   : why);
	free(buf);
	return ret;
}

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
 * Put the poison back where the replay wrote, so the next run's replay
 * starts from an all-poison target again (the host poisoned it whole).
 */
static int repoison(const char *log, const char *target)
{
	struct log_entry *e = malloc(sizeof(*e));
	struct log_reader *r;
	char why[512];
	int fd = open(target, O_RDWR | O_CLOEXEC), ret = 0;

	r = e && fd >= 0 ? log_open(log, 0, why, sizeof(why)) : NULL;
	if (!r)
		ret = -1;
	while (r && !ret && log_next(r, e, why, sizeof(why)) == 1) {
		uint64_t ss = log_super(r)->sectorsize;

		if (e->nr_sectors && !(e->flags & LOG_MARK))
			ret = poison_range(fd, e->sector * ss,
					   e->nr_sectors * ss);
	}
	if (fd >= 0 && fsync(fd))
		ret = -1;
	log_close(r);
	if (fd >= 0)
		close(fd);
	free(e);
	return ret;
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

static int save_log(const char *dev, const char *dst)
{
	uint64_t n = log_bytes(dev);
	char *buf = malloc(1 << 20);
	int in = open(dev, O_RDONLY | O_CLOEXEC), out = -1, ret = -1;

	if (!buf || in < 0 || !n)
		goto out;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	for (uint64_t done = 0; out >= 0 && done < n;) {
		size_t want = n - done < (1 << 20) ? n - done : (1 << 20);
		ssize_t got = pread(in, buf, want, done);

		if (got <= 0 || write(out, buf, got) != got)
			goto out;
		done += got;
	}
	ret = out >= 0 ? 0 : -1;
out:
	if (out >= 0 && close(out))
		ret = -1;
	if (in >= 0)
		close(in);
	free(buf);
	return ret;
}

/* What one execution saw: the fuzzer's feedback. */
struct exec_result {
	struct driver_result dr;
	struct replay_stats rs;
};

/* One run: record, replay, check. 0 clean, 1 finding, 2 error/hang. */
static int one_run(const struct run_opts *o, const struct workload *w,
		   unsigned int n, struct exec_result *er)
{
	struct recorder rc = { .data = o->data,
			       .log = o->log,
			       .mnt = "/mnt/work" };
	struct driver_cfg dc = { .mnt = rc.mnt,
				 .dm_name = RECORDER_DM_NAME,
				 .timeout_s = o->timeout_s,
				 .fault = o->fault };
	struct driver_result dr;
	char *dir = xasprintf("%s/run-%u", o->out, n);
	char *report = path_join(dir, "report.json"), why[512];
	struct replay_cfg rcfg = { .log_path = o->log,
				   .target_path = o->target,
				   .cow_path = o->cow,
				   .mnt = "/mnt/crash",
				   .points =
					   POINT_FLUSH | POINT_FUA | POINT_MARK,
				   .fsck = o->fsck,
				   .report_path = report,
				   .quiet = 1,
				   .stats = er ? &er->rs : NULL };
	double t0 = lw_now(), t1, t2;
	int ret = 2;

	if (er)
		memset(er, 0, sizeof(*er));
	mkdir_p(dir, 0755);
	if (recorder_start(&rc, why, sizeof(why))) {
		lw_err("run %u: %s", n, why);
		goto out;
	}
	t1 = lw_now();
	if (driver_run(w, &dc, &dr)) {
		printf("run %u/%u: HANG: %s\n", n, o->runs, dr.why);
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
	if (!log_bytes(o->log)) {
		lw_err("run %u: the log does not end with its end mark: the log device filled up or logging stopped; use a bigger log disk",
		       n);
		goto out;
	}
	t2 = lw_now();
	if (er)
		er->dr = dr;
	printf("run %u/%u: workload done: %lu ops (%lu failed), %lu marks, %lu promises\n",
	       n, o->runs, dr.ops, dr.op_errors, dr.marks, dr.expectations);
	fflush(stdout);
	ret = replay_run(&rcfg);
	printf("run %u/%u: %s (set-up %.2f s, workload %.2f s, replay+check %.2f s)\n",
	       n, o->runs,
	       ret == 0	  ? "CLEAN"
	       : ret == 1 ? "CORRUPT"
			  : "ERROR",
	       t1 - t0, t2 - t1, lw_now() - t2);
	if (ret != 2 && repoison(o->log, o->target)) {
		lw_err("run %u: cannot restore the poison on %s", n, o->target);
		ret = 2;
	}
	if (ret == 1) {
		char *img = path_join(dir, "log.img");

		if (save_log(o->log, img))
			lw_err("run %u: cannot save the log into %s", n, img);
		free(img);
	}
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
	static const struct option longopts[] = {
		{ "workload", required_argument, NULL, 'w' },
		{ "data", required_argument, NULL, 'd' },
		{ "log", required_argument, NULL, 'l' },
		{ "target", required_argument, NULL, 't' },
		{ "cow", required_argument, NULL, 'c' },
		{ "out", required_argument, NULL, 'o' },
		{ "runs", required_argument, NULL, 'n' },
		{ "delay-ms", required_argument, NULL, 'D' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "fsck", no_argument, NULL, 'f' },
		{ "serve", required_argument, NULL, 'S' },
		{ "test-fault", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct run_opts){
		.out = "/out", .runs = 1, .timeout_s = 60, .delay_ms = -1
	};
	optind = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'w':
			o->workload = optarg;
			break;
		case 'd':
			o->data = optarg;
			break;
		case 'l':
			o->log = optarg;
			break;
		case 't':
			o->target = optarg;
			break;
		case 'c':
			o->cow = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'n':
			o->runs = strtoul(optarg, NULL, 10);
			break;
		case 'D':
			o->delay_ms = atoi(optarg);
			break;
		case 'T':
			o->timeout_s = strtoul(optarg, NULL, 10);
			break;
		case 'f':
			o->fsck = 1;
			break;
		case 'S':
			o->serve = optarg;
			break;
		case 'F':
			if (driver_parse_fault(optarg, &o->fault))
				return -1;
			break;
		default:
			return -1;
		}
	}
	if ((!o->workload && !o->serve) || !o->data || !o->log || !o->target ||
	    !o->cow || !o->runs || !o->timeout_s)
		return -1;
	return 0;
}

static int io_full(int fd, void *buf, size_t len, int wr)
{
	char *p = buf;

	while (len) {
		ssize_t n = wr ? write(fd, p, len) : read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static uint32_t get_le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned int bucket(unsigned long v)
{
	unsigned int b = 0;

	while (v && b < 15) {
		v >>= 1;
		b++;
	}
	return b;
}

/*
 * Reply: "LWRS", le32 status, EXEC_FEATURES feature bytes (what the
 * execution reached: operations that succeeded and failed, failed check
 * kinds, crash point and promise counts as log2 buckets, then the pairs of
 * operations that overlapped), le32 length and the JSON report.
 */
static int reply(int fd, int status, const struct exec_result *er,
		 const char *report_path)
{
	unsigned char hdr[8 + EXEC_FEATURES + 4], *f = hdr + 8;
	size_t len = 0;
	char *report = report_path ? read_file(report_path, &len) : NULL;
	int ret;

	_Static_assert(DRIVER_OVERLAP_BYTES <=
			       EXEC_FEATURES - EXEC_FEATURES_BASE,
		       "overlap bitmap does not fit the reply");
	memcpy(hdr, "LWRS", 4);
	put_le32(hdr + 4, status);
	memset(f, 0, EXEC_FEATURES);
	put_le32(f, er->dr.ok_codes);
	put_le32(f + 4, er->dr.err_codes);
	put_le32(f + 8, er->rs.checks);
	f[12] = bucket(er->rs.points);
	f[13] = bucket(er->dr.expectations);
	f[14] = bucket(er->rs.failed);
	f[15] = bucket(er->rs.reg_extents);
	memcpy(f + EXEC_FEATURES_BASE, er->dr.overlap, DRIVER_OVERLAP_BYTES);
	if (!report)
		len = 0;
	put_le32(hdr + 8 + EXEC_FEATURES, len);
	ret = io_full(fd, hdr, sizeof(hdr), 1) ||
	      (len && io_full(fd, report, len, 1));
	free(report);
	return ret ? -1 : 0;
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
 * Serve executions on @o->serve (a serial port) until a zero-length
 * request: "LWRQ", le32 length, a workload in binary form.
 */
static int serve(struct run_opts *o)
{
	static unsigned char buf[WL_BIN_MAX];
	unsigned char hdr[8];
	struct exec_result er;
	struct workload w;
	struct termios tio;
	int fd = open(o->serve, O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0 || tcgetattr(fd, &tio)) {
		lw_err("%s: %s", o->serve, strerror(errno));
		return 2;
	}
	cfmakeraw(&tio);
	tcsetattr(fd, TCSANOW, &tio);
	if (io_full(fd, "LWRY\0\0\0\0", 8, 1))
		return 2;
	o->out = "/tmp/exec";
	for (unsigned int n = 1;; n++) {
		uint32_t len;
		int status;

		if (io_full(fd, hdr, 8, 0) || memcmp(hdr, "LWRQ", 4)) {
			lw_err("serve: bad request header");
			return 2;
		}
		len = get_le32(hdr + 4);
		if (!len)
			break;
		if (len > sizeof(buf) || io_full(fd, buf, len, 0))
			return 2;
		rm_rf(o->out);
		memset(&er, 0, sizeof(er));
		status = wl_decode(buf, len, &w) ? 2 : one_run(o, &w, 1, &er);
		if (status == 2 && er.dr.stuck)
			status = EXEC_STUCK;
		char *report = xasprintf("%s/run-1/report.json", o->out);

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
		printf("serve: execution %u: %s (guest MemAvailable %lu kB)\n", n,
		       status == 0   ? "clean"
		       : status == 1 ? "FINDING"
				     : "error",
		       mem_available_kb());
		fflush(stdout);
	}
	close(fd);
	return 0;
}

int agent_run(int argc, char **argv)
{
	struct workload w;
	struct run_opts o;
	unsigned int found = 0, n;
	int ret;

	if (parse(argc, argv, &o)) {
		lw_err("usage: lwfuzz-agent run --workload F --data D --log L --target T --cow C [--runs N] [--delay-ms MS] [--timeout S] [--fsck] [--out DIR]");
		return 2;
	}
	if (o.serve)
		return set_knob(o.delay_ms) ? 2 : serve(&o);
	if (load_workload(o.workload, &w) || set_knob(o.delay_ms))
		return 2;
	for (n = 1; n <= o.runs; n++) {
		ret = one_run(&o, &w, n, NULL);
		if (ret == 2)
			return 2;
		found += ret == 1;
	}
	char *dmesg = path_join(o.out, "dmesg.txt");

	save_dmesg(dmesg);
	free(dmesg);
	printf("run: a check failed in %u of %u runs\n", found, o.runs);
	return found ? 1 : 0;
}
