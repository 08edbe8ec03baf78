// SPDX-License-Identifier: GPL-2.0
/*
 * `lwfuzz export-fstests`: a finding (or a workload) as a standalone
 * fstests test a kernel developer can drop into tests/btrfs/.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmds/cmds.h"
#include "cmds/options.h"
#include "fuzzer/fstests_export.h"
#include "lib/fsutil.h"
#include "lib/hash.h"
#include "lib/msg.h"
#include "lib/report.h"
#include "lib/workload_file.h"
#include "lib/workload.h"
#include "vm/workload_vm.h"

static const char export_usage[] =
	"usage: lwfuzz export-fstests [OPTIONS] FINDING|WORKLOAD\n\n"
	"Write a standalone fstests test of a finding (a directory with\n"
	"workload.lw, as `lwfuzz fuzz` files them) or of a workload: the\n"
	"threads as xfs_io and btrfs commands over common/dmlogwrites, a log\n"
	"mark after every fsync that returned, then the log replayed to every\n"
	"FUA write and every such mark, each state mounted, read, compared\n"
	"with what the fsyncs promised, and checked with btrfs check.\n\n"
	"  -o, --out DIR       where to write NAME and NAME.out (default .)\n"
	"  -n, --name NAME     the test's name (default lwfuzz-HASH)\n"
	"  -d, --delay-ms N    set btrfs.dio_race_delay_ms during the workload\n"
	"                      when the kernel has it (the test bed's knob)\n"
	"  -h, --help          this text\n\n"
	"Exit status: 0 written, 2 error.\n";

static const char *const cmd = "export-fstests";

/* "entry 1263 FUA|METADATA": the report's first failing crash state. */
static char *first_failure(const char *report)
{
	struct report r;
	char why[256], *s = NULL;

	if (!report)
		return NULL;
	if (report_parse(report, strlen(report), &r, why, sizeof(why))) {
		lw_info("the finding's report.json: %s (the test will not name its first failing crash state)",
			why);
		return NULL;
	}
	/* It lands in a comment line of the test script: one line. */
	if (r.nfailures)
		s = xasprintf("entry %llu %.*s",
			      (unsigned long long)r.failures[0].entry,
			      (int)strcspn(r.failures[0].flags, "\r\n"),
			      r.failures[0].flags);
	report_free(&r);
	return s;
}

static char *trimmed(char *s)
{
	if (s)
		s[strcspn(s, "\n")] = 0;
	return s;
}

static int write_test(const char *dir, const char *name, const char *script,
		      const char *golden)
{
	char *p = path_join(dir, name), *q = xasprintf("%s.out", p);
	int ret;

	if (path_exists(p) || path_exists(q)) {
		lw_err("%s or %s exists; choose another --name (an fstests test number not taken)",
		       p, q);
		free(p);
		free(q);
		return EXIT_ERROR;
	}
	ret = mkdir_p(dir, 0755) ||
	      write_file_atomic(p, script, strlen(script)) || chmod(p, 0755) ||
	      write_file_atomic(q, golden, strlen(golden));

	if (ret)
		lw_err("cannot write %s and %s", p, q);
	else
		printf("export-fstests: wrote %s and %s\n", p, q);
	free(p);
	free(q);
	return ret ? EXIT_ERROR : EXIT_CLEAN;
}

int cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, 'n' },
		{ "delay-ms", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct fstests_info info = { .delay_ms = -1 };
	const char *out = ".";
	char *wlpath, *report = NULL, *sig = NULL, *name = NULL;
	char *script = NULL, *golden = NULL, why[256];
	struct workload w;
	int c, ret = EXIT_ERROR, is_dir;

	opt_begin();
	while ((c = getopt_long(argc, argv, ":o:n:d:h", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'n':
			info.name = optarg;
			break;
		case 'd':
			if (opt_delay_ms(cmd, optarg, &info.delay_ms))
				return EXIT_ERROR;
			break;
		case 'h':
			opt_help(export_usage);
			return EXIT_CLEAN;
		default:
			opt_bad_option(cmd, argv, c);
			return EXIT_ERROR;
		}
	}
	if (optind != argc - 1) {
		opt_usage_error(cmd, "need exactly one FINDING or WORKLOAD");
		return EXIT_ERROR;
	}
	wlpath = opt_workload_of(argv[optind], &is_dir);
	if (wl_load_file(wlpath, &w))
		goto out;
	if (is_dir) {
		char *r = path_join(argv[optind], "report.json");
		char *s = path_join(argv[optind], "signature");

		report = read_file(r, NULL);
		sig = trimmed(read_file(s, NULL));
		free(r);
		free(s);
	}
	info.signature = sig;
	info.first_failure = first_failure(report);
	if (!info.name) {
		char *text = wl_format_text(&w);

		name = xasprintf("lwfuzz-%08llx",
				 (unsigned long long)hash_str(HASH_INIT, text) &
					 0xffffffffULL);
		info.name = name;
		free(text);
	}
	script = fstests_script(&w, &info, why, sizeof(why));
	if (!script)
		lw_err("export-fstests: %s: %s", wlpath, why);
	golden = script ? fstests_golden(&info) : NULL;
	ret = script && golden ? write_test(out, info.name, script, golden)
			       : EXIT_ERROR;
out:
	free((char *)info.first_failure);
	free(wlpath);
	free(report);
	free(sig);
	free(name);
	free(script);
	free(golden);
	return ret;
}
