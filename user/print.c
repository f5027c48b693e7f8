// SPDX-License-Identifier: GPL-2.0
/*
 * print.c - aligned text tables for the human-readable output: fill a grid
 * of strings, then print it with every column as wide as its widest cell.
 * Numeric columns are right-aligned; no line ends in blanks.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_grid_init(struct cli_grid *g, int ncols, const char **titles)
{
	memset(g, 0, sizeof(*g));
	g->ncols = ncols;
	g->titles = titles;
	g->right = calloc(ncols, sizeof(*g->right));
	return g->right ? 0 : -1;
}

int cli_grid_add_row(struct cli_grid *g)
{
	char **tmp;
	int i;

	tmp = realloc(g->cells, (size_t)(g->nrows + 1) * g->ncols *
			       sizeof(*tmp));
	if (!tmp)
		return -1;
	g->cells = tmp;
	for (i = 0; i < g->ncols; i++)
		g->cells[(size_t)g->nrows * g->ncols + i] = NULL;
	g->nrows++;
	return 0;
}

/* Sets a cell of the last row. */
int cli_grid_set(struct cli_grid *g, int col, const char *fmt, ...)
{
	char **cell = &g->cells[(size_t)(g->nrows - 1) * g->ncols + col];
	va_list ap;
	int ret;

	free(*cell);
	*cell = NULL;
	va_start(ap, fmt);
	ret = vasprintf(cell, fmt, ap);
	va_end(ap);
	if (ret < 0) {
		*cell = NULL;
		return -1;
	}
	return 0;
}

static const char *cli_grid_cell(const struct cli_grid *g, int row, int col)
{
	const char *s;

	if (row < 0)
		return g->titles[col];
	s = g->cells[(size_t)row * g->ncols + col];
	return s ? s : "";
}

void cli_grid_print(const struct cli_grid *g, FILE *f)
{
	int *width, row, col;

	width = calloc(g->ncols, sizeof(*width));
	if (!width)
		return;
	for (row = -1; row < g->nrows; row++)
		for (col = 0; col < g->ncols; col++) {
			int len = strlen(cli_grid_cell(g, row, col));

			if (len > width[col])
				width[col] = len;
		}

	for (row = -1; row < g->nrows; row++) {
		for (col = 0; col < g->ncols; col++) {
			const char *s = cli_grid_cell(g, row, col);
			bool last = col == g->ncols - 1;

			if (col)
				fputs("  ", f);
			if (g->right[col])
				fprintf(f, "%*s", width[col], s);
			else if (last)
				fputs(s, f);
			else
				fprintf(f, "%-*s", width[col], s);
		}
		fputc('\n', f);
	}
	free(width);
}

void cli_grid_free(struct cli_grid *g)
{
	size_t i;

	for (i = 0; i < (size_t)g->nrows * g->ncols; i++)
		free(g->cells[i]);
	free(g->cells);
	free(g->right);
	memset(g, 0, sizeof(*g));
}
