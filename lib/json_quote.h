/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A C string as a JSON string literal, for the JSON lwfuzz writes (the
 * replay report, `lwfuzz log --json`). Its text comes from file systems
 * and logs, where a name or a mark may be any bytes: json-c copies bytes
 * that are not UTF-8 into its output as they are, which is not JSON.
 */
#ifndef LWFUZZ_JSON_QUOTE_H
#define LWFUZZ_JSON_QUOTE_H

#include <stdio.h>

/*
 * @s between quotes: valid UTF-8 as it is; '"', '\\' and control
 * characters (DEL included) escaped; every byte that is not part of a
 * valid UTF-8 sequence as \u00XX, XX its value (so it reads back as the
 * character U+00XX: the byte's value stays visible, but such a string
 * does not read back byte for byte).
 */
void json_quote(FILE *f, const char *s);

#endif
