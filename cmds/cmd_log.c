// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmds/cmds.h"
#include "cmds/options.h"
#include "lib/json_quote.h"
#include "lib/log_reader.h"
#include "lib/msg.h"

static const char log_usage[] =
	"usage: lwfuzz log [--json] [--device-size BYTES] LOG\n\n"
	"Print a dm-log-writes log: its super block, every entry (index, device\n"
	"sector, length in sectors, flags, mark text) and a summary. LOG is an\n"
	"image file or a block device; it is only read.\n\n"
	"  -j, --json               JSON instead of text\n"
	"  -s, --device-size BYTES  also check every entry against the size of\n"
	"                           the device the log was recorded from\n"
	"  -h, --help               this text\n\n"
	"Exit status: 0, or 2 when LOG is not a well-formed log.\n";

static const char *const cmd = "log";

struct log_summary {
	uint64_t entries, flushes, fuas, marks, discards, writes, bytes;
};

static void count(struct log_summary *s, const struct log_entry *e)
{
	s->entries++;
	s->flushes += !!(e->flags & LOG_FLUSH);
	s->fuas += !!(e->flags & LOG_FUA);
	s->marks += !!(e->flags & LOG_MARK);
	s->discards += !!(e->flags & LOG_DISCARD);
	s->writes += e->data_bytes != 0;
	s->bytes += e->data_bytes;
}

static void print_entry(const struct log_entry *e, int json)
{
	if (!json) {
		printf("%8llu %12llu %8llu  %-22s %s\n",
		       (unsigned long long)e->index,
		       (unsigned long long)e->sector,
		       (unsigned long long)e->nr_sectors,
		       log_flags_str(e->flags), e->mark);
		return;
	}
	printf("%s    {\"index\": %llu, \"sector\": %llu, \"nr_sectors\": %llu, \"flags\": \"%s\"",
	       e->index ? ",\n" : "", (unsigned long long)e->index,
	       (unsigned long long)e->sector, (unsigned long long)e->nr_sectors,
	       log_flags_str(e->flags));
	if (e->flags & LOG_MARK) {
		printf(", \"mark\": ");
		json_quote(stdout, e->mark);
	}
	printf("}");
}

static void print_summary(const struct log_summary *s, int json, int ok)
{
	if (!json) {
		printf("summary: %llu entries, %llu flushes, %llu FUAs, %llu marks, %llu discards, %llu writes of %llu bytes\n",
		       (unsigned long long)s->entries,
		       (unsigned long long)s->flushes,
		       (unsigned long long)s->fuas,
		       (unsigned long long)s->marks,
		       (unsigned long long)s->discards,
		       (unsigned long long)s->writes,
		       (unsigned long long)s->bytes);
		return;
	}
	printf("\n  ],\n  \"summary\": {\"entries\": %llu, \"flushes\": %llu, \"fuas\": %llu, \"marks\": %llu, \"discards\": %llu, \"writes\": %llu, \"bytes\": %llu},\n  \"valid\": %s\n}\n",
	       (unsigned long long)s->entries, (unsigned long long)s->flushes,
	       (unsigned long long)s->fuas, (unsigned long long)s->marks,
	       (unsigned long long)s->discards, (unsigned long long)s->writes,
	       (unsigned long long)s->bytes, ok ? "true" : "false");
}

static int dump(struct log_reader *r, const char *path, int json)
{
	const struct log_super *sb = log_super(r);
	struct log_summary s = { 0 };
	struct log_entry *e = malloc(sizeof(*e));
	char why[512];
	int ret;

	if (!e)
		return EXIT_ERROR;
	if (json) {
		printf("{\n  \"log\": ");
		json_quote(stdout, path);
		printf(",\n  \"super\": {\"magic\": %llu, \"version\": %llu, \"nr_entries\": %llu, \"sectorsize\": %u},\n  \"entries\": [\n",
		       (unsigned long long)sb->magic,
		       (unsigned long long)sb->version,
		       (unsigned long long)sb->nr_entries, sb->sectorsize);
	} else {
		printf("log %s: version %llu, %llu entries, sector size %u\n",
		       path, (unsigned long long)sb->version,
		       (unsigned long long)sb->nr_entries, sb->sectorsize);
		printf("%8s %12s %8s  %-22s %s\n", "index", "sector", "sectors",
		       "flags", "mark");
	}
	while ((ret = log_next(r, e, why, sizeof(why))) == 1) {
		count(&s, e);
		print_entry(e, json);
	}
	print_summary(&s, json, ret == 0);
	free(e);
	if (ret < 0) {
		fflush(stdout);
		lw_err("%s: %s", path, why);
		return EXIT_ERROR;
	}
	return EXIT_CLEAN;
}

int cmd_log(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "device-size", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long dev = 0;
	struct log_reader *r;
	char why[512];
	int c, json = 0, ret;

	opt_begin();
	while ((c = getopt_long(argc, argv, ":js:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 's':
			if (opt_device_size(cmd, optarg, &dev))
				return EXIT_ERROR;
			break;
		case 'h':
			opt_help(log_usage);
			return EXIT_CLEAN;
		default:
			opt_bad_option(cmd, argv, c);
			return EXIT_ERROR;
		}
	}
	if (optind != argc - 1) {
		opt_usage_error(cmd, "need exactly one LOG");
		return EXIT_ERROR;
	}
	r = log_open(argv[optind], dev, why, sizeof(why));
	if (!r) {
		lw_err("%s", why);
		return EXIT_ERROR;
	}
	ret = dump(r, argv[optind], json);
	log_close(r);
	return ret;
}
