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
#include "fuzzer/fstests_export.h"
#include "lib/fsutil.h"
#include "lib/hash.h"
#include "lib/msg.h"
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
	"  -h, --help          this text\n";

/* "entry 1263 MARK lwfuzz-expect:..." of the report's first failure. */
static char *first_failure(const char *report)
{
	const char *p = report ? strstr(report, "\"failures\"") : NULL;
	const char *e = p ? strstr(p, "\"entry\":") : NULL;
	const char *fl = p ? strstr(p, "\"flags\": \"") : NULL;
	unsigned long entry;
	int n;

	if (!e || !fl)
		return NULL;
	entry = strtoul(e + 8, NULL, 10);
	fl += 10;
	n = strcspn(fl, "\"");
	return xasprintf("entry %lu %.*s", entry, n, fl);
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
		return 2;
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
	return ret ? 2 : 0;
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
	char *wlpath, *report = NULL, *sig = NULL, *name = NULL, *end;
	char *script = NULL, *golden = NULL;
	struct workload w;
	struct stat st;
	int c, ret = 2, is_dir;

	optind = 0;
	while ((c = getopt_long(argc, argv, "o:n:d:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'n':
			info.name = optarg;
			break;
		case 'd':
			info.delay_ms = strtol(optarg, &end, 10);
			if (*end || info.delay_ms < 0)
				goto usage;
			break;
		case 'h':
			fputs(export_usage, stdout);
			return 0;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1)
		goto usage;
	is_dir = stat(argv[optind], &st) == 0 && S_ISDIR(st.st_mode);
	wlpath = is_dir ? path_join(argv[optind], "workload.lw")
			: xasprintf("%s", argv[optind]);
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
	script = fstests_script(&w, &info);
	golden = fstests_golden(&info);
	ret = script && golden ? write_test(out, info.name, script, golden) : 2;
out:
	free((char *)info.first_failure);
	free(wlpath);
	free(report);
	free(sig);
	free(name);
	free(script);
	free(golden);
	return ret;
usage:
	lw_err("bad arguments; see 'lwfuzz export-fstests --help'");
	return 2;
}
