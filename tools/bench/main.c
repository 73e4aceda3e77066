// SPDX-License-Identifier: GPL-2.0
/*
 * mbox-bench: round trip latency, one-way throughput and many-to-many
 * throughput of mbox against the kernel's other message-passing IPC, all in
 * one run. See Documentation/benchmarks.rst.
 *
 * After a warm-up pass, each of R rounds runs every cell (metric and size)
 * once per mechanism, the mechanisms in an order that rotates by one each
 * round, so a slow spell of the machine is spread over all of them.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <libmbox.h>

#include "bench.h"
#include "report.h"

static const struct mech *all_mechs[] = {
	&mech_mbox_rendezvous,
	&mech_mbox_bounded,
	&mech_mbox_batch,
	&mech_mbox_call,
	&mech_pipe,
	&mech_posix_mq,
	&mech_mbox_mq,
	&mech_sysv_msg,
	&mech_unix_seqpacket,
	&mech_unix_dgram_mmsg,
};

#define NR_ALL_MECHS	(sizeof(all_mechs) / sizeof(all_mechs[0]))

static const size_t default_sizes[] = { 8, 64, 4096, 65536 };

/* Many-to-many: 4 producers, 4 consumers, 64-byte messages. */
#define M2M_PROCS	4
#define M2M_SIZE	64
/* Calls per second: 4 client processes, one server of 2 threads, 64 bytes. */
#define CALLS_CLIENTS	4
#define CALLS_THREADS	2
#define CALLS_SIZE	64

/* What -x runs unless told otherwise. */
#define DEFAULT_METRICS	"rtt,oneway,m2m,calls,solo"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mbox-bench [-r ROUNDS] [-t SLICE_MS] [-w WARMUP_MS] [-T TIMEOUT_S]\n"
		"                  [-m MECH,...] [-s SIZE,...] [-x " DEFAULT_METRICS "] [-o CSV]\n"
		"  -r  measured rounds (default 7)\n"
		"  -t  time slice of each run in ms (default 250)\n"
		"  -w  time slice of each warm-up run in ms (default 50; 0: no warm-up)\n"
		"  -T  seconds a run's process may take before it counts as hung (default 20)\n"
		"  -m  mechanisms to run (default: all)\n"
		"  -s  message sizes in bytes for rtt, oneway and solo (default 8,64,4096,65536)\n"
		"  -x  metrics to run (default: " DEFAULT_METRICS ")\n"
		"  -o  also write the CSV to this file ('-' for stdout)\n"
		"mechanisms:");
	for (size_t i = 0; i < NR_ALL_MECHS; i++)
		fprintf(f, " %s", all_mechs[i]->name);
	fputc('\n', f);
}

static int in_list(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, word, n) && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

static void add_cell(struct results *r, enum metric m, size_t size)
{
	if (r->ncells == MAX_CELLS) {
		fprintf(stderr, "mbox-bench: too many cells\n");
		exit(2);
	}
	r->cells[r->ncells].metric = m;
	r->cells[r->ncells].size = size;
	r->ncells++;
}

static void run_one(const struct results *r, unsigned int ci, unsigned int mi,
		    double slice, struct run_result *res)
{
	const struct cell *c = &r->cells[ci];
	const struct mech *m = r->mechs[mi];

	switch (c->metric) {
	case M_RTT:
		run_pingpong(m, c->size, slice, res);
		break;
	case M_ONEWAY:
		run_stream(m, c->size, 1, 1, slice, res);
		break;
	case M_M2M:
		run_stream(m, c->size, M2M_PROCS, M2M_PROCS, slice, res);
		break;
	case M_CALLS:
		run_calls(m, c->size, CALLS_CLIENTS, CALLS_THREADS, slice, res);
		break;
	case M_SOLO:
		run_solo(m, c->size, slice, res);
		break;
	}
	if (res->status == RUN_FAIL)
		fprintf(stderr, "mbox-bench: FAIL: %s, %zu bytes, %s: %s\n",
			c->metric == M_RTT ? "rtt" : c->metric == M_ONEWAY ? "oneway" :
			c->metric == M_M2M ? "m2m" : c->metric == M_CALLS ? "calls" : "solo",
			c->size, m->name, res->why);
}

/* One pass over every cell and mechanism, mechanisms rotated by @rot. */
static void pass(struct results *r, int round, unsigned int rot, double slice)
{
	for (unsigned int ci = 0; ci < r->ncells; ci++) {
		for (unsigned int k = 0; k < r->nmechs; k++) {
			unsigned int mi = (k + rot) % r->nmechs;
			struct run_result res = { .status = RUN_FAIL };

			run_one(r, ci, mi, slice, &res);
			results_add(r, ci, mi, round, &res);
		}
	}
}

static void print_setup(const struct results *r, double slice, double warm)
{
	struct mbox_info info;
	struct utsname u;

	uname(&u);
	printf("mbox-bench: kernel %s %s, %u vCPU%s, %u rounds of %.0f ms per run after a %.0f ms warm-up\n",
	       u.release, u.machine, r->vcpus, r->vcpus == 1 ? "" : "s", r->rounds,
	       slice * 1e3, warm * 1e3);
	if (mbox_get_info(&info) == 0)
		printf("mbox-bench: mbox ABI %u, max_msg_size %u, max_capacity %u\n",
		       info.version, info.max_msg_size, info.max_capacity);
	else
		printf("mbox-bench: mbox unavailable: %s\n", strerror(errno));
	printf("mbox-bench: ratio = times as fast as the best non-mbox mechanism of the same round\n"
	       "            (>1: faster than every peer); median and min-max over the rounds\n");
}

int main(int argc, char **argv)
{
	static struct results r;
	const char *mech_list = NULL, *metrics = DEFAULT_METRICS, *csv = NULL;
	size_t sizes[8];
	unsigned int nsizes = 0;
	double slice = 0.25, warm = 0.05;
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	int opt;
	double t0;

	r.rounds = 7;
	while ((opt = getopt(argc, argv, "r:t:w:T:m:s:x:o:h")) != -1) {
		switch (opt) {
		case 'r':
			r.rounds = (unsigned int)atoi(optarg);
			break;
		case 't':
			slice = atof(optarg) / 1e3;
			break;
		case 'w':
			warm = atof(optarg) / 1e3;
			break;
		case 'T':
			bench_child_timeout = (unsigned int)atoi(optarg);
			break;
		case 'm':
			mech_list = optarg;
			break;
		case 's':
			for (char *p = strtok(optarg, ","); p && nsizes < 8; p = strtok(NULL, ","))
				sizes[nsizes++] = strtoul(p, NULL, 0);
			break;
		case 'x':
			metrics = optarg;
			break;
		case 'o':
			csv = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc || r.rounds < 1 || r.rounds > MAX_ROUNDS || slice <= 0 ||
	    warm < 0 || bench_child_timeout < 1) {
		usage(stderr);
		return 2;
	}
	if (!nsizes) {
		memcpy(sizes, default_sizes, sizeof(default_sizes));
		nsizes = sizeof(default_sizes) / sizeof(default_sizes[0]);
	}
	for (unsigned int i = 0; i < nsizes; i++) {
		if (sizes[i] < 8 || sizes[i] > 16 << 20) {
			fprintf(stderr, "mbox-bench: sizes must be 8 bytes to 16 MiB\n");
			return 2;
		}
	}
	for (size_t i = 0; i < NR_ALL_MECHS; i++)
		if (!mech_list || in_list(mech_list, all_mechs[i]->name))
			r.mechs[r.nmechs++] = all_mechs[i];
	if (!r.nmechs) {
		usage(stderr);
		return 2;
	}
	if (in_list(metrics, "rtt"))
		for (unsigned int i = 0; i < nsizes; i++)
			add_cell(&r, M_RTT, sizes[i]);
	if (in_list(metrics, "oneway"))
		for (unsigned int i = 0; i < nsizes; i++)
			add_cell(&r, M_ONEWAY, sizes[i]);
	if (in_list(metrics, "m2m"))
		add_cell(&r, M_M2M, M2M_SIZE);
	if (in_list(metrics, "calls"))
		add_cell(&r, M_CALLS, CALLS_SIZE);
	if (in_list(metrics, "solo"))
		for (unsigned int i = 0; i < nsizes; i++)
			add_cell(&r, M_SOLO, sizes[i]);
	if (!r.ncells) {
		usage(stderr);
		return 2;
	}

	/* POSIX mq of 64 x 64 KiB exceed the default 800 KiB RLIMIT_MSGQUEUE. */
	if (setrlimit(RLIMIT_MSGQUEUE, &unlimited))
		fprintf(stderr, "mbox-bench: cannot lift RLIMIT_MSGQUEUE: %s\n",
			strerror(errno));
	signal(SIGPIPE, SIG_IGN);
	r.vcpus = (unsigned int)sysconf(_SC_NPROCESSORS_ONLN);
	print_setup(&r, slice, warm);
	fflush(stdout);

	t0 = now_sec();
	if (warm > 0) {
		pass(&r, -1, 0, warm);
		fprintf(stderr, "mbox-bench: warm-up done at %.1f s\n", now_sec() - t0);
	}
	for (unsigned int i = 0; i < r.rounds; i++) {
		pass(&r, (int)i, i, slice);
		fprintf(stderr, "mbox-bench: round %u/%u done at %.1f s\n", i + 1,
			r.rounds, now_sec() - t0);
	}

	putchar('\n');
	report_table(&r, stdout);
	if (csv) {
		FILE *f = strcmp(csv, "-") ? fopen(csv, "w") : stdout;

		if (!f) {
			fprintf(stderr, "mbox-bench: %s: %s\n", csv, strerror(errno));
			return 1;
		}
		if (f == stdout)
			putchar('\n');
		report_csv(&r, f);
		if (f != stdout && fclose(f)) {
			fprintf(stderr, "mbox-bench: %s: %s\n", csv, strerror(errno));
			return 1;
		}
	}
	if (results_failures(&r)) {
		printf("\nmbox-bench: FAILED: %u cell(s) failed (see FAIL above)\n",
		       results_failures(&r));
		return 1;
	}
	printf("\nmbox-bench: done in %.1f s\n", now_sec() - t0);
	return 0;
}
