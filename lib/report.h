/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The replay report (docs/replay.md, "The JSON report"): its one owner.
 * The replayer writes it in the guest; the host's commands and the fuzzer
 * read it back through report_parse, never by searching its text, so the
 * writer's spacing is no reader's business. Both go through json-c.
 */
#ifndef LWFUZZ_REPORT_H
#define LWFUZZ_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/check_failure.h"

#define REPORT_VERSION 1

enum report_verdict {
	REPORT_CLEAN, /* every crash state passed */
	REPORT_CORRUPT, /* a check failed */
	REPORT_ERROR, /* the replay itself failed */
};

/* A failing crash point: "failures" in the report. */
struct report_failure {
	unsigned long point; /* its number, from 1 */
	uint64_t entry; /* the log entry it is the state after */
	const char *flags; /* the entry's flags, "FUA|METADATA" */
	const char *mark; /* the entry's mark, "" if none */
	struct check_failure *checks; /* "findings" */
	size_t nchecks;
};

/*
 * A report. In a parsed one every string (start_mark, flags, mark and
 * each check's name) is its own, freed by report_free; path and detail
 * longer than a check_failure holds are cut.
 */
struct report {
	int version;
	uint64_t log_entries;
	unsigned int log_sectorsize;
	const char *start_mark; /* NULL: none (JSON null) */
	int fsck;
	struct report_failure *failures;
	size_t nfailures;
	unsigned long points_total, points_checked, points_failed, findings;
	unsigned long extents_checked, regular_extents_checked, files_read;
	double seconds;
	enum report_verdict verdict;
};

/* "clean", "corrupt", "error". */
const char *report_verdict_name(enum report_verdict v);

/*
 * Writing. A replay writes its report as it goes, so that it holds one
 * crash point's checks at a time: the head (version, log, start_mark,
 * fsck), then each failing point as it is found, @index counting them
 * from 0, then the tail (the counts and the verdict). report_write is the
 * three for a whole struct report. The version written is always
 * REPORT_VERSION, whatever @r->version says. 0, or -1 when @f has had a
 * write error.
 */
void report_write_head(FILE *f, const struct report *r);
void report_write_failure(FILE *f, const struct report_failure *fl,
			  size_t index);
int report_write_tail(FILE *f, const struct report *r);
int report_write(FILE *f, const struct report *r);

/*
 * Parse @len bytes of report into @r: every field of version 1 must be
 * there with its type (fields a later writer adds are ignored); a finding
 * needs only its "check" and "detail". 0, or -1 with @r empty (safe to
 * report_free) and, when @why is not NULL, what is wrong in @why: not
 * JSON, another version, which field is missing or of the wrong type.
 */
int report_parse(const char *json, size_t len, struct report *r, char *why,
		 size_t whylen);
void report_free(struct report *r);

/*
 * Fold @part, the report of the next part of the same log's crash points
 * (lib/agent_cmdline.h, --part), into @whole (parsed, or zeroed for the
 * first part): its failures after @whole's, its counts added, the total
 * and the log's description kept, the slower part's seconds (the parts
 * ran at once), the worse verdict. @part is left empty. 0, or -1 (out of
 * memory; both as they were).
 */
int report_absorb(struct report *whole, struct report *part);

/*
 * The distinct names of the checks that failed, at any point, in the
 * order they first appear; at most @max of them into @names (pointers
 * into @r). Returns how many.
 */
size_t report_check_names(const struct report *r, const char **names,
			  size_t max);

#endif
