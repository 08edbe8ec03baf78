// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzzer/finding_store.h"
#include "lib/fsutil.h"
#include "lib/hash.h"
#include "lib/msg.h"

static int write_all(const char *dir, const struct finding_file *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *p = path_join(dir, f[i].name);
		int ret = write_file_atomic(p, f[i].data, f[i].len);

		free(p);
		if (ret)
			return -1;
	}
	return 0;
}

int finding_store(const char *findings, const char *sig,
		  const struct workload *w, const struct finding_file *extra,
		  size_t nextra, char **where)
{
	unsigned long long h = hash_str(HASH_INIT, sig);
	char *dir = xasprintf("%s/%016llx", findings, h);
	char *tmp = xasprintf("%s/.new-%016llx", findings, h);
	unsigned char bin[WL_BIN_MAX];
	struct workload copy = *w;
	size_t nbin = wl_encode(&copy, bin, sizeof(bin));
	char *text = wl_format_text(w), *sigline = xasprintf("%s\n", sig);
	struct finding_file base[] = {
		{ "workload.lw", text, strlen(text) },
		{ "workload.bin", bin, nbin },
		{ "signature", sigline, strlen(sigline) },
	};
	int ret = 0;

	if (path_exists(dir))
		goto out;
	ret = -1;
	rm_rf(tmp);
	if (mkdir_p(tmp, 0755) || write_all(tmp, base, 3) ||
	    write_all(tmp, extra, nextra) || rename(tmp, dir)) {
		lw_err("cannot store the finding %s: %s (nothing kept)", dir,
		       strerror(errno));
		rm_rf(tmp);
		goto out;
	}
	ret = 1;
	if (where) {
		*where = dir;
		dir = NULL;
	}
out:
	free(dir);
	free(tmp);
	free(text);
	free(sigline);
	return ret;
}

/* The string value of "@key": after @p (before @end), unescaped; "" if none. */
static void json_str(const char *p, const char *end, const char *key, char *out,
		     size_t len)
{
	char pat[64];
	const char *v;
	size_t n = 0;

	snprintf(pat, sizeof(pat), "\"%s\": \"", key);
	v = strstr(p, pat);
	out[0] = 0;
	if (!v || (end && v >= end))
		return;
	for (v += strlen(pat); *v && *v != '"' && n + 1 < len; v++) {
		if (*v == '\\' && v[1])
			v++;
		out[n++] = *v;
	}
	out[n] = 0;
}

static long json_num(const char *p, const char *key)
{
	char pat[64];
	const char *v;

	snprintf(pat, sizeof(pat), "\"%s\": ", key);
	v = strstr(p, pat);
	return v ? strtol(v + strlen(pat), NULL, 10) : -1;
}

char *finding_summary(const char *report_json, const char *sig,
		      const char *kernel)
{
	const char *f = strstr(report_json, "\"failures\": [");
	const char *first = f ? strstr(f, "{\"point\": ") : NULL;
	const char *next = first ? strstr(first + 1, "{\"point\": ") : NULL;
	char flags[64], mark[256], *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	if (!out)
		return NULL;
	fprintf(out, "signature: %s\nkernel: %.*s\n", sig,
		(int)strcspn(kernel, "\n"), kernel);
	fprintf(out, "crash states failing: %ld of %ld checked\n",
		json_num(report_json, "points_failed"),
		json_num(report_json, "points_checked"));
	if (first) {
		json_str(first, next, "flags", flags, sizeof(flags));
		json_str(first, next, "mark", mark, sizeof(mark));
		fprintf(out,
			"first failing crash state: point %ld, log entry %ld (%s%s%s)\n",
			json_num(first, "point"), json_num(first, "entry"),
			flags, *mark ? " " : "", mark);
	}
	for (const char *c = first; c && (c = strstr(c, "{\"check\": \""));
	     c++) {
		char check[32], path[256], detail[512];

		if (next && c >= next)
			break;
		json_str(c, NULL, "check", check, sizeof(check));
		json_str(c, NULL, "path", path, sizeof(path));
		json_str(c, NULL, "detail", detail, sizeof(detail));
		fprintf(out, "  %s %s: %s\n", check, path, detail);
	}
	fclose(out);
	return text;
}

unsigned int finding_count(const char *findings)
{
	DIR *d = opendir(findings);
	struct dirent *de;
	unsigned int n = 0;

	while (d && (de = readdir(d)))
		n += de->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}
