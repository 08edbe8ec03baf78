// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsutil.h"
#include "lib/run_result.h"

void run_result_add(struct run_result *r, int verdict)
{
	r->runs_done++;
	r->failed += verdict == 1;
}

int run_result_write(const char *path, const struct run_result *r)
{
	json_object *o = json_object_new_object();
	const char *text;
	int ret;

	if (!o)
		return -1;
	json_object_object_add(o, "version", json_object_new_int(1));
	json_object_object_add(o, "runs", json_object_new_int64(r->runs));
	json_object_object_add(o, "runs_done",
			       json_object_new_int64(r->runs_done));
	json_object_object_add(o, "failed", json_object_new_int64(r->failed));
	json_object_object_add(o, "delays", json_object_new_int64(r->delays));
	json_object_object_add(o, "delays_fired",
			       json_object_new_int64(r->delays_fired));
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_SPACED);
	ret = text ? write_file_atomic(path, text, strlen(text)) : -1;
	json_object_put(o);
	return ret;
}

/* A whole number field of @o, or -1 when it is missing or not one. */
static long long count(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return -1;
	return json_object_get_int64(v);
}

int run_result_read(const char *path, struct run_result *r, char *why,
		    size_t whylen)
{
	size_t len;
	char *text = read_file(path, &len);
	json_object *o = NULL;
	long long runs, done, failed, delays, fired;
	int ret = -1;

	memset(r, 0, sizeof(*r));
	if (!text) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -1;
	}
	o = json_tokener_parse(text);
	if (!o || !json_object_is_type(o, json_type_object) ||
	    count(o, "version") != 1) {
		snprintf(why, whylen, "%s: not a version 1 run result", path);
		goto out;
	}
	runs = count(o, "runs");
	done = count(o, "runs_done");
	failed = count(o, "failed");
	delays = json_object_object_get_ex(o, "delays", NULL) ?
			 count(o, "delays") : 0;
	fired = json_object_object_get_ex(o, "delays_fired", NULL) ?
			count(o, "delays_fired") : 0;
	if (runs < 0 || done < 0 || failed < 0 || done > runs ||
	    failed > done || runs > 1000000 || delays < 0 || fired < 0 ||
	    fired > delays || delays > 1000000000) {
		snprintf(why, whylen, "%s: counts missing or inconsistent",
			 path);
		goto out;
	}
	r->runs = runs;
	r->runs_done = done;
	r->failed = failed;
	r->delays = delays;
	r->delays_fired = fired;
	ret = 0;
out:
	json_object_put(o);
	free(text);
	return ret;
}
