// SPDX-License-Identifier: GPL-2.0
/*
 * table.c - the module's column-header text tables (debugfs "devices",
 * "keys", ...): a first line of whitespace-separated column names, then
 * one line per row with exactly as many whitespace-separated fields.
 *
 * Callers look cells up by column name, never by position, so the module
 * can add columns without breaking the tool; columns the tool does not
 * know still reach the JSON output.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli.h"

static bool xdpmeta_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Splits line in place; *fields grows as needed. Returns the count or -1. */
static int xdpmeta_split(char *line, char ***fields, int *cap)
{
	int n = 0;

	for (;;) {
		while (xdpmeta_is_blank(*line))
			line++;
		if (!*line)
			return n;
		if (n == *cap) {
			int ncap = *cap ? *cap * 2 : 16;
			char **tmp = realloc(*fields, ncap * sizeof(*tmp));

			if (!tmp)
				return -1;
			*fields = tmp;
			*cap = ncap;
		}
		(*fields)[n++] = line;
		while (*line && !xdpmeta_is_blank(*line))
			line++;
		if (*line)
			*line++ = '\0';
	}
}

void xdpmeta_table_free(struct xdpmeta_table *t)
{
	free(t->cols);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

static int xdpmeta_table_add_row(struct xdpmeta_table *t, char **fields,
				 int *row_cap)
{
	if (t->nrows == *row_cap) {
		int ncap = *row_cap ? *row_cap * 2 : 16;
		char **tmp = realloc(t->cells,
				     (size_t)ncap * t->ncols * sizeof(*tmp));

		if (!tmp)
			return -1;
		t->cells = tmp;
		*row_cap = ncap;
	}
	memcpy(t->cells + (size_t)t->nrows * t->ncols, fields,
	       t->ncols * sizeof(*fields));
	t->nrows++;
	return 0;
}

int xdpmeta_table_parse(struct xdpmeta_table *t, char *text, int first_line,
			char *err, size_t err_len)
{
	int field_cap = 0, row_cap = 0, lineno = first_line - 1;
	char **fields = NULL;
	char *line, *next;
	int i, j, n;

	memset(t, 0, sizeof(*t));
	for (line = text; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		n = xdpmeta_split(line, &fields, &field_cap);
		if (n < 0)
			goto nomem;
		if (!t->cols) {
			if (n == 0) {
				snprintf(err, err_len,
					 "line %d holds no column names", lineno);
				goto fail;
			}
			t->cols = malloc(n * sizeof(*t->cols));
			if (!t->cols)
				goto nomem;
			memcpy(t->cols, fields, n * sizeof(*fields));
			t->ncols = n;
			for (i = 0; i < n; i++)
				for (j = 0; j < i; j++)
					if (!strcmp(t->cols[i], t->cols[j])) {
						snprintf(err, err_len,
							 "column '%s' appears twice on line %d",
							 t->cols[i], lineno);
						goto fail;
					}
			continue;
		}
		if (n == 0)
			continue;
		if (n != t->ncols) {
			snprintf(err, err_len,
				 "line %d has %d fields, the header has %d",
				 lineno, n, t->ncols);
			goto fail;
		}
		if (xdpmeta_table_add_row(t, fields, &row_cap))
			goto nomem;
	}
	free(fields);
	if (!t->cols) {
		snprintf(err, err_len, "no header line (the file is empty)");
		return -1;
	}
	return 0;

nomem:
	snprintf(err, err_len, "%s", strerror(ENOMEM));
fail:
	free(fields);
	xdpmeta_table_free(t);
	return -1;
}

int xdpmeta_table_col(const struct xdpmeta_table *t, const char *name)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i], name))
			return i;
	return -1;
}

const char *xdpmeta_table_get(const struct xdpmeta_table *t, int row,
			      const char *name)
{
	int col = xdpmeta_table_col(t, name);

	if (col < 0 || row < 0 || row >= t->nrows)
		return NULL;
	return t->cells[(size_t)row * t->ncols + col];
}

int xdpmeta_table_select(struct xdpmeta_table *dst,
			 const struct xdpmeta_table *src,
			 const char *const *src_cols, const char *const *names,
			 const bool *keep)
{
	int *idx = NULL;
	int n = 0, i, row, col;

	memset(dst, 0, sizeof(*dst));
	for (i = 0; src_cols[i]; i++)
		;
	idx = malloc((i ? i : 1) * sizeof(*idx));
	dst->cols = malloc((i ? i : 1) * sizeof(*dst->cols));
	if (!idx || !dst->cols)
		goto nomem;
	for (i = 0; src_cols[i]; i++) {
		col = xdpmeta_table_col(src, src_cols[i]);
		if (col < 0)
			continue;
		idx[n] = col;
		dst->cols[n++] = (char *)(names ? names[i] : src_cols[i]);
	}
	dst->ncols = n;
	dst->cells = malloc(((size_t)src->nrows * n + 1) *
			    sizeof(*dst->cells));
	if (!dst->cells)
		goto nomem;
	for (row = 0; row < src->nrows; row++) {
		if (keep && !keep[row])
			continue;
		for (col = 0; col < n; col++)
			dst->cells[(size_t)dst->nrows * n + col] =
				src->cells[(size_t)row * src->ncols + idx[col]];
		dst->nrows++;
	}
	free(idx);
	return 0;

nomem:
	free(idx);
	xdpmeta_table_free(dst);
	return -1;
}

/* An optional '-', then decimal digits, within 64 bits. */
static bool xdpmeta_is_int(const char *s)
{
	const char *p = s[0] == '-' ? s + 1 : s;
	char *end;

	if (!*p)
		return false;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	errno = 0;
	if (s[0] == '-')
		strtoll(s, &end, 10);
	else
		strtoull(s, &end, 10);
	return !errno;
}

bool xdpmeta_table_col_is_int(const struct xdpmeta_table *t, int col)
{
	int row;

	if (col < 0 || col >= t->ncols || !t->nrows)
		return false;
	for (row = 0; row < t->nrows; row++)
		if (!xdpmeta_is_int(t->cells[(size_t)row * t->ncols + col]))
			return false;
	return true;
}

static struct json_object *xdpmeta_json_int(const char *s)
{
	unsigned long long u;

	if (s[0] == '-')
		return json_object_new_int64(strtoll(s, NULL, 10));
	u = strtoull(s, NULL, 10);
	if (u > INT64_MAX)
		return json_object_new_uint64(u);
	return json_object_new_int64(u);
}

static bool xdpmeta_in_list(const char *name, const char *const *list)
{
	for (; list && *list; list++)
		if (!strcmp(name, *list))
			return true;
	return false;
}

struct json_object *xdpmeta_table_json(const struct xdpmeta_table *t,
				       const char *const *text_cols)
{
	struct json_object *arr, *obj, *val;
	bool *is_int;
	int row, col;

	arr = json_object_new_array();
	is_int = calloc(t->ncols ? t->ncols : 1, sizeof(*is_int));
	if (!arr || !is_int)
		goto fail;
	for (col = 0; col < t->ncols; col++)
		is_int[col] = !xdpmeta_in_list(t->cols[col], text_cols) &&
			      xdpmeta_table_col_is_int(t, col);

	for (row = 0; row < t->nrows; row++) {
		obj = json_object_new_object();
		if (!obj || json_object_array_add(arr, obj)) {
			json_object_put(obj);
			goto fail;
		}
		for (col = 0; col < t->ncols; col++) {
			const char *s = t->cells[(size_t)row * t->ncols + col];

			val = is_int[col] ? xdpmeta_json_int(s) :
					    json_object_new_string(s);
			if (!val || json_object_object_add(obj, t->cols[col],
							   val)) {
				json_object_put(val);
				goto fail;
			}
		}
	}
	free(is_int);
	return arr;

fail:
	free(is_int);
	json_object_put(arr);
	return NULL;
}
