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
#include "lib/report.h"

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

char *finding_summary(const char *report_json, const char *sig,
		      const char *kernel)
{
	char *text = NULL, why[256];
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct report r;

	if (!out)
		return NULL;
	fprintf(out, "signature: %s\nkernel: %.*s\n", sig,
		(int)strcspn(kernel, "\n"), kernel);
	if (report_parse(report_json, strlen(report_json), &r, why,
			 sizeof(why))) {
		fprintf(out, "report.json: %s\n", why);
		fclose(out);
		return text;
	}
	fprintf(out, "crash states failing: %lu of %lu checked\n",
		r.points_failed, r.points_checked);
	if (r.nfailures) {
		const struct report_failure *fl = &r.failures[0];

		fprintf(out,
			"first failing crash state: point %lu, log entry %llu (%s%s%s)\n",
			fl->point, (unsigned long long)fl->entry, fl->flags,
			*fl->mark ? " " : "", fl->mark);
		for (size_t i = 0; i < fl->nchecks; i++) {
			fputs("  ", out);
			check_failure_text(out, &fl->checks[i]);
		}
	}
	report_free(&r);
	fclose(out);
	return text;
}

char *finding_variant(const char *dir)
{
	char *path = path_join(dir, "kernel");
	char *text = read_file(path, NULL), *v = NULL;

	if (!text)
		lw_err("cannot read %s: %s; name the finding's variant with -k",
		       path, strerror(errno));
	else
		v = strndup(text, strcspn(text, " \t\n"));
	if (v && !*v) {
		lw_err("%s names no variant; name it with -k", path);
		free(v);
		v = NULL;
	}
	free(text);
	free(path);
	return v;
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
