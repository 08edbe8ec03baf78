// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "setup/pkg_resolve.h"

/* Copy the token at @p (up to whitespace) into @out; 0 or -1 if too long. */
static int token(const char *p, char *out, size_t len)
{
	size_t n = strcspn(p, " \t\r\n");

	if (n == 0 || n >= len)
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

static const char *skip_digits(const char *s)
{
	const char *p = s;

	while (isdigit((unsigned char)*p))
		p++;
	return p == s ? NULL : p;
}

int pkg_release_valid(const char *s)
{
	for (int i = 0; i < 2; i++) {
		s = skip_digits(s);
		if (!s || *s++ != '.')
			return 0;
	}
	s = skip_digits(s);
	/* 6.1's ABI number ("-57") or 6.12's Debian upload ("+deb12"). */
	if (s && *s == '-')
		s = skip_digits(s + 1);
	else if (s && !strncmp(s, "+deb", 4))
		s = skip_digits(s + 4);
	else
		return 0;
	return s && !strcmp(s, "-cloud-amd64");
}

int pkg_parse_kernel_release(const char *text, char *release, size_t len)
{
	static const char key[] = "Depends: linux-image-";

	for (const char *p = strstr(text, key); p; p = strstr(p + 1, key)) {
		if (token(p + strlen(key), release, len))
			continue;
		if (pkg_release_valid(release))
			return 0;
	}
	return -1;
}

int pkg_parse_candidate(const char *text, char *ver, size_t len)
{
	const char *p = strstr(text, "Candidate:");

	if (!p)
		return -1;
	p += strlen("Candidate:");
	p += strspn(p, " \t");
	if (token(p, ver, len) || !strcmp(ver, "(none)"))
		return -1;
	return 0;
}

static int installed(const char *text, const char *pkg)
{
	size_t plen = strlen(pkg);

	for (const char *line = text; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t llen = end ? (size_t)(end - line) : strlen(line);
		const char *name = memchr(line, ' ', llen);

		if (llen > 3 && line[0] == 'i' && line[1] == 'i' && name) {
			name += strspn(name, " ");
			/* Multi-arch names come as "pkg:amd64". */
			if ((size_t)(line + llen - name) >= plen &&
			    !strncmp(name, pkg, plen) &&
			    (name + plen == line + llen || name[plen] == ':' ||
			     isspace((unsigned char)name[plen])))
				return 1;
		}
		line = end ? end + 1 : NULL;
	}
	return 0;
}

int pkg_find_missing(const char *text, const char *const pkgs[], size_t n,
		     char *missing, size_t len)
{
	int count = 0;
	size_t used = strlen(missing);

	for (size_t i = 0; i < n; i++) {
		if (installed(text, pkgs[i]))
			continue;
		count++;
		used += snprintf(missing + used, used < len ? len - used : 0,
				 "%s%s", used ? " " : "", pkgs[i]);
	}
	return count;
}
