// SPDX-License-Identifier: GPL-2.0
/*
 * Statistics and output. Per cell (metric and size) and mechanism: the
 * median of the rounds' values, and the median, min and max of the
 * per-round ratio to the best peer. The best peer of a round is the best
 * value any non-mbox mechanism reached in that round, and the ratio is
 * always "times as fast": best peer latency / latency, throughput / best
 * peer throughput. Above 1 the mechanism beat every peer in that round.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static const char *metric_name(enum metric m)
{
	switch (m) {
	case M_RTT:	return "rtt";
	case M_ONEWAY:	return "oneway";
	case M_M2M:	return "m2m_4x4";
	case M_CALLS:	return "calls_4x2";
	case M_SOLO:	return "solo";
	}
	return "?";
}

static const char *metric_unit(enum metric m)
{
	return m == M_RTT ? "us" : m == M_CALLS ? "call/s" : "msg/s";
}

void results_add(struct results *r, unsigned int cell, unsigned int mech,
		 int round, const struct run_result *res)
{
	struct cell *c = &r->cells[cell];

	if (res->status > c->status[mech]) {
		c->status[mech] = res->status;
		snprintf(c->why[mech], sizeof(c->why[mech]), "%s%.180s",
			 round < 0 && res->status == RUN_FAIL ? "warm-up: " : "",
			 res->why);
	}
	if (round >= 0)
		c->value[mech][round] = res->status == RUN_OK ? res->value : NAN;
}

unsigned int results_failures(const struct results *r)
{
	unsigned int n = 0;

	for (unsigned int c = 0; c < r->ncells; c++)
		for (unsigned int m = 0; m < r->nmechs; m++)
			n += r->cells[c].status[m] == RUN_FAIL;
	return n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median, min and max of the non-NaN values; NaN if there are none. */
static void summarize(const double *v, unsigned int n, double *med,
		      double *min, double *max)
{
	double s[MAX_ROUNDS];
	unsigned int k = 0;

	for (unsigned int i = 0; i < n; i++)
		if (!isnan(v[i]))
			s[k++] = v[i];
	if (!k) {
		*med = *min = *max = NAN;
		return;
	}
	qsort(s, k, sizeof(s[0]), cmp_double);
	*med = k % 2 ? s[k / 2] : (s[k / 2 - 1] + s[k / 2]) / 2;
	*min = s[0];
	*max = s[k - 1];
}

struct stat_row {
	double median, ratio_med, ratio_min, ratio_max;
};

static void cell_stats(const struct results *r, const struct cell *c,
		       unsigned int m, struct stat_row *row)
{
	double ratio[MAX_ROUNDS], dummy;

	summarize(c->value[m], r->rounds, &row->median, &dummy, &dummy);
	for (unsigned int i = 0; i < r->rounds; i++) {
		double best = NAN, v = c->value[m][i];

		for (unsigned int p = 0; p < r->nmechs; p++) {
			double pv = c->value[p][i];

			if (r->mechs[p]->ours || c->status[p] != RUN_OK || isnan(pv))
				continue;
			if (isnan(best) || (c->metric == M_RTT ? pv < best : pv > best))
				best = pv;
		}
		if (isnan(best) || isnan(v) || c->status[m] != RUN_OK)
			ratio[i] = NAN;
		else
			ratio[i] = c->metric == M_RTT ? best / v : v / best;
	}
	summarize(ratio, r->rounds, &row->ratio_med, &row->ratio_min, &row->ratio_max);
}

static void fmt_size(char *buf, size_t len, size_t size)
{
	if (size >= 1024 && size % 1024 == 0)
		snprintf(buf, len, "%zuK", size / 1024);
	else
		snprintf(buf, len, "%zu", size);
}

static void fmt_value(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (v >= 1000)
		snprintf(buf, len, "%.0f", v);
	else if (v >= 10)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.2f", v);
}

void report_table(const struct results *r, FILE *f)
{
	fprintf(f, "%-8s %5s  %-16s %10s %-6s %6s  %-11s %s\n", "metric", "size",
		"mechanism", "median", "unit", "ratio", "min-max", "");
	for (unsigned int ci = 0; ci < r->ncells; ci++) {
		const struct cell *c = &r->cells[ci];
		char size[24];

		fmt_size(size, sizeof(size), c->size);
		for (unsigned int m = 0; m < r->nmechs; m++) {
			struct stat_row row;
			char val[32], ratio[32], spread[40], note[240] = "";

			cell_stats(r, c, m, &row);
			fmt_value(val, sizeof(val), row.median);
			if (isnan(row.ratio_med)) {
				snprintf(ratio, sizeof(ratio), "-");
				snprintf(spread, sizeof(spread), "-");
			} else {
				snprintf(ratio, sizeof(ratio), "%.2f", row.ratio_med);
				snprintf(spread, sizeof(spread), "%.2f-%.2f",
					 row.ratio_min, row.ratio_max);
			}
			if (c->status[m] == RUN_NA)
				snprintf(note, sizeof(note), "n/a: %s", c->why[m]);
			else if (c->status[m] == RUN_FAIL)
				snprintf(note, sizeof(note), "FAIL: %s", c->why[m]);
			else if (c->metric == M_ONEWAY)
				snprintf(note, sizeof(note), "%.2f MB/s",
					 row.median * (double)c->size / 1e6);
			if (c->status[m] != RUN_OK)
				snprintf(val, sizeof(val), "%s",
					 c->status[m] == RUN_NA ? "n/a" : "FAIL");
			fprintf(f, "%-8s %5s  %-16s %10s %-6s %6s  %-11s %s\n",
				metric_name(c->metric), size, r->mechs[m]->name, val,
				metric_unit(c->metric), ratio, spread, note);
		}
		if (ci + 1 < r->ncells && r->cells[ci + 1].metric != c->metric)
			fputc('\n', f);
	}
}

static void csv_row(const struct results *r, FILE *f, const char *metric,
		    size_t size, const char *mech, const char *unit,
		    enum run_status status, double median, const struct stat_row *row)
{
	fprintf(f, "%u,%s,%zu,%s,", r->vcpus, metric, size, mech);
	if (status == RUN_OK && !isnan(median))
		fprintf(f, "%.6g", median);
	else
		fprintf(f, "%s", status == RUN_NA ? "n/a" : "FAIL");
	fprintf(f, ",%s,", unit);
	if (status == RUN_OK && !isnan(row->ratio_med))
		fprintf(f, "%.4f,%.4f,%.4f\n", row->ratio_med, row->ratio_min,
			row->ratio_max);
	else
		fprintf(f, ",,\n");
}

void report_csv(const struct results *r, FILE *f)
{
	fprintf(f, "vcpus,metric,size,mechanism,median,unit,ratio_median,ratio_min,ratio_max\n");
	for (unsigned int ci = 0; ci < r->ncells; ci++) {
		const struct cell *c = &r->cells[ci];

		for (unsigned int m = 0; m < r->nmechs; m++) {
			struct stat_row row;

			cell_stats(r, c, m, &row);
			csv_row(r, f, metric_name(c->metric), c->size, r->mechs[m]->name,
				metric_unit(c->metric), c->status[m], row.median, &row);
			if (c->metric == M_ONEWAY)
				csv_row(r, f, "oneway_bw", c->size, r->mechs[m]->name,
					"MB/s", c->status[m],
					row.median * (double)c->size / 1e6, &row);
		}
	}
}
