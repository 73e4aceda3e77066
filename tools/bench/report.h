/* SPDX-License-Identifier: GPL-2.0 */
/* report.c: the results of all rounds, their statistics, table and CSV. */
#ifndef BENCH_REPORT_H
#define BENCH_REPORT_H

#include <stdio.h>

#include "bench.h"

#define MAX_ROUNDS	64
#define MAX_MECHS	16
#define MAX_CELLS	32

enum metric { M_RTT, M_ONEWAY, M_M2M, M_CALLS, M_SOLO };

/* One cell of the table: a metric at a message size. */
struct cell {
	enum metric metric;
	size_t size;
	/* per mechanism: worst status seen, its reason, and each round's value */
	enum run_status status[MAX_MECHS];
	char why[MAX_MECHS][200];
	double value[MAX_MECHS][MAX_ROUNDS];
};

struct results {
	unsigned int vcpus;
	unsigned int rounds;
	unsigned int nmechs;
	const struct mech *mechs[MAX_MECHS];
	unsigned int ncells;
	struct cell cells[MAX_CELLS];
};

/* Record one run; round < 0 is the warm-up (only failures are kept). */
void results_add(struct results *r, unsigned int cell, unsigned int mech,
		 int round, const struct run_result *res);
void report_table(const struct results *r, FILE *f);
void report_csv(const struct results *r, FILE *f);
/* Number of (cell, mechanism) pairs that failed. */
unsigned int results_failures(const struct results *r);

#endif /* BENCH_REPORT_H */
