// SPDX-License-Identifier: GPL-2.0
/*
 * What the bridge is doing: a small text file, rewritten every second
 * (written to a temporary name, then renamed over, so a reader never sees
 * half of it), and `mbox-bridge status`, which prints it.
 *
 *   mbox-bridge 1.4.0 host A pid 123 nats connected reconnects 0
 *   export jobs stream JOBS forwarded 10 acked 10 redelivered 0 duplicates 0
 *     inflight 1 errors 0 blocked 0 calls 0 calls-failed 0   (one line)
 *
 * One line for the bridge, then one per mailbox, as "key value" pairs
 * after the mailbox's name, so that later versions can add keys.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bridge.h"

int status_write(struct bridge *b)
{
	char tmp[4096];
	FILE *f;
	int i;

	if (!b->status_file)
		return 0;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", b->status_file) >=
	    (int)sizeof(tmp))
		return -1;
	f = fopen(tmp, "we");
	if (!f)
		return -1;
	fprintf(f, "mbox-bridge %s host %s pid %d nats %s reconnects %llu\n",
		MBOX_VERSION, b->host, (int)getpid(),
		atomic_load(&b->connected) ? "connected" : "disconnected",
		(unsigned long long)atomic_load(&b->reconnects));
	for (i = 0; i < b->nlinks; i++) {
		struct link *l = &b->links[i];

		fprintf(f, "%s %s stream %s forwarded %llu acked %llu "
			"redelivered %llu duplicates %llu inflight %u errors %llu "
			"blocked %d calls %llu calls-failed %llu\n",
			l->dir == LINK_EXPORT ? "export" : "import", l->mailbox,
			l->stream,
			(unsigned long long)atomic_load(&l->st.forwarded),
			(unsigned long long)atomic_load(&l->st.acked),
			(unsigned long long)atomic_load(&l->st.redelivered),
			(unsigned long long)atomic_load(&l->st.duplicates),
			atomic_load(&l->st.inflight),
			(unsigned long long)atomic_load(&l->st.errors),
			atomic_load(&l->st.blocked),
			(unsigned long long)atomic_load(&l->st.calls),
			(unsigned long long)atomic_load(&l->st.calls_failed));
	}
	if (fclose(f)) {
		unlink(tmp);
		return -1;
	}
	return rename(tmp, b->status_file);
}

void *status_run(void *arg)
{
	struct bridge *b = arg;

	while (!atomic_load(&b->stop)) {
		if (status_write(b))
			bridge_log("status file %s: %s", b->status_file,
				   strerror(errno));
		bridge_nap(b, 1000);
	}
	status_write(b);
	return NULL;
}

/* mbox-bridge status: the file as a table. */
int status_print(const char *path)
{
	char *line = NULL, dir[16], name[BRIDGE_NAME_MAX + 1], rest[1024];
	size_t cap = 0;
	int first = 1;
	FILE *f;

	f = fopen(path, "re");
	if (!f) {
		fprintf(stderr, "mbox-bridge: %s: %s%s\n", path, strerror(errno),
			errno == ENOENT ? " (is the bridge running?)" : "");
		return 1;
	}
	while (getline(&line, &cap, f) > 0) {
		if (first) {
			fputs(line, stdout);
			printf("%-6s %-20s %-12s %9s %9s %9s %9s %8s %7s %6s %6s %s\n",
			       "DIR", "MAILBOX", "STREAM", "FORWARDED", "ACKED",
			       "REDELIVER", "DUPLICATE", "INFLIGHT", "ERRORS",
			       "CALLS", "FAILED", "STATE");
			first = 0;
			continue;
		}
		if (sscanf(line, "%15s %255s %1023[^\n]", dir, name, rest) == 3) {
			char stream[64] = "?";
			unsigned long long fw = 0, ack = 0, re = 0, dup = 0, err = 0;
			unsigned long long calls = 0, cfail = 0;
			unsigned int infl = 0;
			int blocked = 0;

			sscanf(rest, "stream %63s forwarded %llu acked %llu "
			       "redelivered %llu duplicates %llu inflight %u "
			       "errors %llu blocked %d calls %llu calls-failed %llu",
			       stream, &fw, &ack, &re, &dup, &infl, &err, &blocked,
			       &calls, &cfail);
			printf("%-6s %-20s %-12s %9llu %9llu %9llu %9llu %8u %7llu %6llu %6llu %s\n",
			       dir, name, stream, fw, ack, re, dup, infl, err,
			       calls, cfail,
			       blocked ? "waiting-for-room" : "flowing");
		}
	}
	free(line);
	fclose(f);
	return 0;
}
