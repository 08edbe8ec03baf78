/* SPDX-License-Identifier: GPL-2.0 */
/* Writing JSON strings: what a report needs, nothing more. */
#ifndef LWFUZZ_JSON_OUT_H
#define LWFUZZ_JSON_OUT_H

#include <stdio.h>

/* @s as a JSON string literal, quotes included. */
void json_string(FILE *f, const char *s);

#endif
