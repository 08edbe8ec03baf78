// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/json_quote.h"
#include "lib/report.h"

static const char *const verdicts[] = {
	[REPORT_CLEAN] = "clean",
	[REPORT_CORRUPT] = "corrupt",
	[REPORT_ERROR] = "error",
};

const char *report_verdict_name(enum report_verdict v)
{
	return v <= REPORT_ERROR ? verdicts[v] : "error";
}

/*
 * Writing: the report as json-c objects, printed in the layout of
 * docs/replay.md: a top-level member a line, a failing point a line, all
 * below inline. json-c's own printer cannot lay it out so, and it copies
 * bytes that are not UTF-8 into the text as they are; strings go through
 * json_quote, numbers, booleans and null through json-c.
 */

static void print_inline(FILE *f, json_object *v)
{
	const char *sep = "";

	switch (json_object_get_type(v)) {
	case json_type_string:
		json_quote(f, json_object_get_string(v));
		break;
	case json_type_object:
		fputc('{', f);
		json_object_object_foreach(v, key, val)
		{
			fputs(sep, f);
			json_quote(f, key);
			fputs(": ", f);
			print_inline(f, val);
			sep = ", ";
		}
		fputc('}', f);
		break;
	case json_type_array:
		fputc('[', f);
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			fputs(i ? ", " : "", f);
			print_inline(f, json_object_array_get_idx(v, i));
		}
		fputc(']', f);
		break;
	default:
		fputs(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN),
		      f);
	}
}

/* Members of the top-level object, one a line. */
static void print_members(FILE *f, json_object *o)
{
	const char *sep = "";

	json_object_object_foreach(o, key, val)
	{
		fprintf(f, "%s  ", sep);
		json_quote(f, key);
		fputs(": ", f);
		print_inline(f, val);
		sep = ",\n";
	}
}

static json_object *range(uint64_t start, uint64_t end)
{
	json_object *a = json_object_new_array();

	json_object_array_add(a, json_object_new_uint64(start));
	json_object_array_add(a, json_object_new_uint64(end));
	return a;
}

static json_object *check_tree(const struct check_failure *c)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "check", json_object_new_string(c->check));
	if (c->ino) {
		json_object_object_add(o, "root",
				       json_object_new_uint64(c->root));
		json_object_object_add(o, "ino",
				       json_object_new_uint64(c->ino));
	}
	if (c->path[0])
		json_object_object_add(o, "path",
				       json_object_new_string(c->path));
	if (c->has_file_range)
		json_object_object_add(o, "file_range",
				       range(c->file_start, c->file_end));
	if (c->has_disk_range)
		json_object_object_add(o, "disk_range",
				       range(c->disk_start, c->disk_end));
	json_object_object_add(o, "detail", json_object_new_string(c->detail));
	return o;
}

static json_object *failure_tree(const struct report_failure *fl)
{
	json_object *o = json_object_new_object();
	json_object *checks = json_object_new_array();

	for (size_t i = 0; i < fl->nchecks; i++)
		json_object_array_add(checks, check_tree(&fl->checks[i]));
	json_object_object_add(o, "point", json_object_new_uint64(fl->point));
	json_object_object_add(o, "entry", json_object_new_uint64(fl->entry));
	json_object_object_add(o, "flags", json_object_new_string(fl->flags));
	json_object_object_add(o, "mark", json_object_new_string(fl->mark));
	json_object_object_add(o, "findings", checks);
	return o;
}

void report_write_head(FILE *f, const struct report *r)
{
	json_object *o = json_object_new_object();
	json_object *log = json_object_new_object();

	json_object_object_add(log, "entries",
			       json_object_new_uint64(r->log_entries));
	json_object_object_add(log, "sectorsize",
			       json_object_new_uint64(r->log_sectorsize));
	json_object_object_add(o, "version",
			       json_object_new_int(REPORT_VERSION));
	json_object_object_add(o, "log", log);
	json_object_object_add(
		o, "start_mark",
		r->start_mark ? json_object_new_string(r->start_mark) : NULL);
	json_object_object_add(o, "fsck", json_object_new_boolean(r->fsck));
	fputs("{\n", f);
	print_members(f, o);
	/* The failures follow as they are found: report_write_failure. */
	fputs(",\n  \"failures\": [", f);
	json_object_put(o);
}

void report_write_failure(FILE *f, const struct report_failure *fl,
			  size_t index)
{
	json_object *o = failure_tree(fl);

	fputs(index ? ",\n    " : "\n    ", f);
	print_inline(f, o);
	json_object_put(o);
}

int report_write_tail(FILE *f, const struct report *r)
{
	json_object *o = json_object_new_object();
	char secs[32];

	snprintf(secs, sizeof(secs), "%.2f", r->seconds);
	json_object_object_add(o, "points_total",
			       json_object_new_uint64(r->points_total));
	json_object_object_add(o, "points_checked",
			       json_object_new_uint64(r->points_checked));
	json_object_object_add(o, "points_failed",
			       json_object_new_uint64(r->points_failed));
	json_object_object_add(o, "findings",
			       json_object_new_uint64(r->findings));
	json_object_object_add(o, "extents_checked",
			       json_object_new_uint64(r->extents_checked));
	json_object_object_add(
		o, "regular_extents_checked",
		json_object_new_uint64(r->regular_extents_checked));
	json_object_object_add(o, "files_read",
			       json_object_new_uint64(r->files_read));
	json_object_object_add(o, "seconds",
			       json_object_new_double_s(r->seconds, secs));
	json_object_object_add(
		o, "verdict",
		json_object_new_string(report_verdict_name(r->verdict)));
	fputs("\n  ],\n", f);
	print_members(f, o);
	fputs("\n}\n", f);
	json_object_put(o);
	return ferror(f) ? -1 : 0;
}

int report_write(FILE *f, const struct report *r)
{
	report_write_head(f, r);
	for (size_t i = 0; i < r->nfailures; i++)
		report_write_failure(f, &r->failures[i], i);
	return report_write_tail(f, r);
}

/*
 * Parsing: each member where version 1 puts it, of the type it has there;
 * members this version does not know are a later writer's additions.
 */

struct why {
	char *buf;
	size_t len;
};

static int bad(struct why *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bad(struct why *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (w->buf && w->len)
		vsnprintf(w->buf, w->len, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *type_name(json_type t)
{
	switch (t) {
	case json_type_boolean:
		return "true or false";
	case json_type_int:
		return "an integer";
	case json_type_double:
		return "a number";
	case json_type_string:
		return "a string";
	case json_type_array:
		return "an array";
	case json_type_object:
		return "an object";
	default:
		return "null";
	}
}

/* @key of @o, of type @t; @where names @o for the reason ("" at the top). */
static int member(struct why *w, json_object *o, const char *where,
		  const char *key, json_type t, json_object **v)
{
	const char *dot = *where ? "." : "";

	if (!json_object_object_get_ex(o, key, v))
		return bad(w, "%s%s%s: missing", where, dot, key);
	if (!json_object_is_type(*v, t))
		return bad(w, "%s%s%s: not %s", where, dot, key, type_name(t));
	return 0;
}

static int as_u64(struct why *w, json_object *v, const char *where,
		  const char *key, uint64_t *out)
{
	/* json-c keeps what exceeds int64 as uint64, the rest as int64. */
	if (json_object_get_int64(v) < 0)
		return bad(w, "%s%s%s: negative", where, *where ? "." : "",
			   key);
	*out = json_object_get_uint64(v);
	return 0;
}

static int get_u64(struct why *w, json_object *o, const char *where,
		   const char *key, uint64_t *out)
{
	json_object *v;

	if (member(w, o, where, key, json_type_int, &v))
		return -1;
	return as_u64(w, v, where, key, out);
}

static int get_ulong(struct why *w, json_object *o, const char *where,
		     const char *key, unsigned long *out)
{
	uint64_t v;

	if (get_u64(w, o, where, key, &v))
		return -1;
	if (v > ULONG_MAX)
		return bad(w, "%s%s%s: too big", where, *where ? "." : "", key);
	*out = v;
	return 0;
}

/* A malloc'ed copy of string member @key. */
static int get_str(struct why *w, json_object *o, const char *where,
		   const char *key, const char **out)
{
	json_object *v;

	if (member(w, o, where, key, json_type_string, &v))
		return -1;
	*out = strdup(json_object_get_string(v));
	return *out ? 0 : bad(w, "out of memory");
}

/* String member @key into @buf, cut to fit. */
static int get_text(struct why *w, json_object *o, const char *where,
		    const char *key, char *buf, size_t len)
{
	json_object *v;

	if (member(w, o, where, key, json_type_string, &v))
		return -1;
	snprintf(buf, len, "%s", json_object_get_string(v));
	return 0;
}

static int get_range(struct why *w, json_object *o, const char *where,
		     const char *key, int *has, uint64_t *start, uint64_t *end)
{
	json_object *v, *a, *b;

	*has = json_object_object_get_ex(o, key, &v);
	if (!*has)
		return 0;
	if (!json_object_is_type(v, json_type_array) ||
	    json_object_array_length(v) != 2)
		return bad(w, "%s.%s: not [start, end]", where, key);
	a = json_object_array_get_idx(v, 0);
	b = json_object_array_get_idx(v, 1);
	if (!json_object_is_type(a, json_type_int) ||
	    !json_object_is_type(b, json_type_int))
		return bad(w, "%s.%s: not [start, end]", where, key);
	return as_u64(w, a, where, key, start) || as_u64(w, b, where, key, end);
}

static int parse_check(struct why *w, json_object *o, const char *where,
		       struct check_failure *c)
{
	json_object *v;

	if (!json_object_is_type(o, json_type_object))
		return bad(w, "%s: not an object", where);
	if (get_str(w, o, where, "check", &c->check) ||
	    get_text(w, o, where, "detail", c->detail, sizeof(c->detail)))
		return -1;
	/* The writer leaves out what a check does not know. */
	if (json_object_object_get_ex(o, "ino", &v) &&
	    (get_u64(w, o, where, "ino", &c->ino) ||
	     get_u64(w, o, where, "root", &c->root)))
		return -1;
	if (json_object_object_get_ex(o, "path", &v) &&
	    get_text(w, o, where, "path", c->path, sizeof(c->path)))
		return -1;
	return get_range(w, o, where, "file_range", &c->has_file_range,
			 &c->file_start, &c->file_end) ||
	       get_range(w, o, where, "disk_range", &c->has_disk_range,
			 &c->disk_start, &c->disk_end);
}

static int parse_failure(struct why *w, json_object *o, size_t index,
			 struct report_failure *fl)
{
	char where[64], cwhere[96];
	json_object *a;

	snprintf(where, sizeof(where), "failures[%zu]", index);
	if (!json_object_is_type(o, json_type_object))
		return bad(w, "%s: not an object", where);
	if (get_ulong(w, o, where, "point", &fl->point) ||
	    get_u64(w, o, where, "entry", &fl->entry) ||
	    get_str(w, o, where, "flags", &fl->flags) ||
	    get_str(w, o, where, "mark", &fl->mark) ||
	    member(w, o, where, "findings", json_type_array, &a))
		return -1;
	fl->nchecks = json_object_array_length(a);
	fl->checks = calloc(fl->nchecks ? fl->nchecks : 1, sizeof(*fl->checks));
	if (!fl->checks) {
		fl->nchecks = 0;
		return bad(w, "out of memory");
	}
	for (size_t i = 0; i < fl->nchecks; i++) {
		snprintf(cwhere, sizeof(cwhere), "%s.findings[%zu]", where, i);
		if (parse_check(w, json_object_array_get_idx(a, i), cwhere,
				&fl->checks[i]))
			return -1;
	}
	return 0;
}

static int parse_verdict(struct why *w, json_object *o, struct report *r)
{
	json_object *v;
	const char *s;

	if (member(w, o, "", "verdict", json_type_string, &v))
		return -1;
	s = json_object_get_string(v);
	for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++)
		if (!strcmp(s, verdicts[i])) {
			r->verdict = i;
			return 0;
		}
	return bad(w, "verdict: '%s' is none of clean, corrupt, error", s);
}

static int parse_counts(struct why *w, json_object *o, struct report *r)
{
	const struct {
		const char *key;
		unsigned long *v;
	} counts[] = {
		{ "points_total", &r->points_total },
		{ "points_checked", &r->points_checked },
		{ "points_failed", &r->points_failed },
		{ "findings", &r->findings },
		{ "extents_checked", &r->extents_checked },
		{ "regular_extents_checked", &r->regular_extents_checked },
		{ "files_read", &r->files_read },
	};
	json_object *v;

	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		if (get_ulong(w, o, "", counts[i].key, counts[i].v))
			return -1;
	/* "%.2f" reads back as a double; an integer is a number too. */
	if (!json_object_object_get_ex(o, "seconds", &v))
		return bad(w, "seconds: missing");
	if (!json_object_is_type(v, json_type_double) &&
	    !json_object_is_type(v, json_type_int))
		return bad(w, "seconds: not a number");
	r->seconds = json_object_get_double(v);
	return parse_verdict(w, o, r);
}

static int parse_report(struct why *w, json_object *o, struct report *r)
{
	json_object *v, *log, *a;
	uint64_t n = 0;

	if (member(w, o, "", "version", json_type_int, &v))
		return -1;
	if (json_object_get_int64(v) != REPORT_VERSION)
		return bad(w, "version %lld: this lwfuzz reads version %d",
			   (long long)json_object_get_int64(v), REPORT_VERSION);
	r->version = REPORT_VERSION;
	if (member(w, o, "", "log", json_type_object, &log) ||
	    get_u64(w, log, "log", "entries", &r->log_entries) ||
	    get_u64(w, log, "log", "sectorsize", &n))
		return -1;
	if (n > UINT_MAX)
		return bad(w, "log.sectorsize: too big");
	r->log_sectorsize = n;
	if (!json_object_object_get_ex(o, "start_mark", &v))
		return bad(w, "start_mark: missing");
	if (v && get_str(w, o, "", "start_mark", &r->start_mark))
		return -1;
	if (member(w, o, "", "fsck", json_type_boolean, &v))
		return -1;
	r->fsck = json_object_get_boolean(v);
	if (member(w, o, "", "failures", json_type_array, &a))
		return -1;
	r->nfailures = json_object_array_length(a);
	r->failures =
		calloc(r->nfailures ? r->nfailures : 1, sizeof(*r->failures));
	if (!r->failures) {
		r->nfailures = 0;
		return bad(w, "out of memory");
	}
	for (size_t i = 0; i < r->nfailures; i++)
		if (parse_failure(w, json_object_array_get_idx(a, i), i,
				  &r->failures[i]))
			return -1;
	return parse_counts(w, o, r);
}

int report_parse(const char *json, size_t len, struct report *r, char *why,
		 size_t whylen)
{
	struct why w = { why, whylen };
	json_tokener *tok;
	json_object *root;
	enum json_tokener_error err;
	size_t end;
	int ret = -1;

	memset(r, 0, sizeof(*r));
	if (len > INT_MAX)
		return bad(&w, "not a report: %zu bytes", len);
	tok = json_tokener_new();
	if (!tok)
		return bad(&w, "out of memory");
	/* Our writer writes standard JSON, UTF-8 only: accept no less. */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
					    JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, json, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (json_tokener_get_error(tok) == json_tokener_continue) {
		/* The end of the text: what ends a number, or a cut report. */
		root = json_tokener_parse_ex(tok, "", 1);
		end = len;
	}
	err = json_tokener_get_error(tok);
	if (err != json_tokener_success) {
		bad(&w, "not JSON: %s at byte %zu",
		    json_tokener_error_desc(err), end);
	} else if (!json_object_is_type(root, json_type_object)) {
		bad(&w, "not a report: not a JSON object");
	} else {
		/* json-c before 0.16 took text after the object, even when strict. */
		while (end < len && isspace((unsigned char)json[end]))
			end++;
		if (end < len)
			bad(&w, "not JSON: text after the report at byte %zu",
			    end);
		else
			ret = parse_report(&w, root, r);
	}
	if (ret)
		report_free(r);
	json_object_put(root);
	json_tokener_free(tok);
	return ret;
}

void report_free(struct report *r)
{
	for (size_t i = 0; r->failures && i < r->nfailures; i++) {
		struct report_failure *fl = &r->failures[i];

		for (size_t j = 0; fl->checks && j < fl->nchecks; j++)
			free((char *)fl->checks[j].check);
		free(fl->checks);
		free((char *)fl->flags);
		free((char *)fl->mark);
	}
	free(r->failures);
	free((char *)r->start_mark);
	memset(r, 0, sizeof(*r));
}

int report_absorb(struct report *whole, struct report *part)
{
	size_t n = whole->nfailures + part->nfailures;
	struct report_failure *f;

	f = n ? realloc(whole->failures, n * sizeof(*f)) : whole->failures;
	if (n && !f)
		return -1;
	if (part->nfailures)
		memcpy(f + whole->nfailures, part->failures,
		       part->nfailures * sizeof(*f));
	whole->failures = f;
	whole->nfailures = n;
	free(part->failures);
	part->failures = NULL;
	part->nfailures = 0;
	if (!whole->version) {
		whole->version = part->version;
		whole->log_entries = part->log_entries;
		whole->log_sectorsize = part->log_sectorsize;
		whole->start_mark = part->start_mark;
		part->start_mark = NULL;
		whole->fsck = part->fsck;
		whole->points_total = part->points_total;
	}
	whole->points_checked += part->points_checked;
	whole->points_failed += part->points_failed;
	whole->findings += part->findings;
	whole->extents_checked += part->extents_checked;
	whole->regular_extents_checked += part->regular_extents_checked;
	whole->files_read += part->files_read;
	if (part->seconds > whole->seconds)
		whole->seconds = part->seconds;
	if (part->verdict > whole->verdict)
		whole->verdict = part->verdict;
	report_free(part);
	return 0;
}

size_t report_check_names(const struct report *r, const char **names,
			  size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nfailures; i++) {
		const struct report_failure *fl = &r->failures[i];

		for (size_t j = 0; j < fl->nchecks; j++) {
			const char *c = fl->checks[j].check;
			size_t k = 0;

			while (k < n && strcmp(names[k], c))
				k++;
			if (k == n && n < max)
				names[n++] = c;
		}
	}
	return n;
}
