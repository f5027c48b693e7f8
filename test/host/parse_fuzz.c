// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for kmod/parse.c, the parser of what root writes to
 * <debugfs>/mb_policy and to the mb_mode and mb_policy parameters. Every
 * input goes to both, and each answer is compared with a model written
 * another way (strtok_r and strtoull on a NUL-terminated copy): same
 * errno, same fields; an accepted line, printed back canonically, parses
 * to the same command.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define FAIL(...) do { fprintf(stderr, "parse_fuzz: " __VA_ARGS__); abort(); } while (0)

static int model_word(const char *const *names, const char *s)
{
	int i;

	for (i = 0; names[i]; i++)
		if (!strcmp(names[i], s))
			return i;
	return -EINVAL;
}

/* -EINVAL (form) or -ERANGE, or 0 and *v */
static int model_num(const char *s, unsigned long long max, unsigned long long *v)
{
	char *end;

	if (strspn(s, "0123456789") != strlen(s))
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno == ERANGE || *v > max || *v == 0)
		return -ERANGE;
	return 0;
}

static int model_line(const uint8_t *data, size_t size,
		      struct xdpmeta_mb_policy_cmd *cmd)
{
	char buf[XDPMETA_MB_POLICY_LINE_MAX + 1], *tok[4], *save = NULL, *t;
	unsigned long long ns = 0, ifi = 0;
	int n = 0, e1, e2, p;

	if (size > XDPMETA_MB_POLICY_LINE_MAX)
		return -EINVAL;
	if (size && data[size - 1] == '\n')
		size--;
	if (memchr(data, '\0', size))
		return -EINVAL;	/* a NUL is in some field: no field has one */
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (t = strtok_r(buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (n == 3)
			return -EINVAL;
		tok[n++] = t;
	}
	if (n != 3)
		return -EINVAL;
	p = model_word(xdpmeta_mb_policy_names, tok[2]);
	if (p < 0)
		return p;
	e1 = model_num(tok[0], 4294967295ULL, &ns);
	e2 = model_num(tok[1], 2147483647ULL, &ifi);
	if (e1 == -EINVAL || e2 == -EINVAL)
		return -EINVAL;
	if (e1 || e2)
		return -ERANGE;
	cmd->netns = (uint32_t)ns;
	cmd->ifindex = (int32_t)ifi;
	cmd->policy = p;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xdpmeta_mb_policy_cmd got = { 0, 0, -1 }, want = { 0, 0, -1 }, again;
	char canon[XDPMETA_MB_POLICY_LINE_MAX + 1], *val;
	int r, m, len;

	r = xdpmeta_parse_mb_policy_cmd((const char *)data, size, &got);
	m = model_line(data, size, &want);
	if (r != m)
		FAIL("line: returned %d, the model says %d\n", r, m);
	if (!r) {
		if (got.netns != want.netns || got.ifindex != want.ifindex ||
		    got.policy != want.policy)
			FAIL("line: fields differ from the model's\n");
		len = snprintf(canon, sizeof(canon), "%u %d %s\n", got.netns,
			       got.ifindex, xdpmeta_mb_policy_names[got.policy]);
		if (len < 0 || len > XDPMETA_MB_POLICY_LINE_MAX)
			FAIL("line: the canonical form does not fit\n");
		if (xdpmeta_parse_mb_policy_cmd(canon, len, &again) ||
		    memcmp(&again, &got, sizeof(got)))
			FAIL("line: the canonical form parses differently\n");
	} else if (got.policy != -1) {
		FAIL("line: refused but wrote its output\n");
	}

	/* the same bytes as a parameter value (NUL-terminated, as the kernel passes it) */
	val = malloc(size + 1);
	if (!val)
		return 0;
	memcpy(val, data, size);
	val[size] = '\0';
	{
		size_t l = strlen(val);
		const char *const *tables[] = { xdpmeta_mb_mode_names, xdpmeta_mb_policy_names };
		int i;

		for (i = 0; i < 2; i++) {
			r = xdpmeta_parse_param(tables[i], val);
			if (l && val[l - 1] == '\n')
				val[l - 1] = '\0';
			m = model_word(tables[i], val);
			if (l && !val[l - 1])
				val[l - 1] = '\n';
			if (r != m)
				FAIL("param: returned %d, the model says %d\n", r, m);
		}
	}
	free(val);
	return 0;
}
