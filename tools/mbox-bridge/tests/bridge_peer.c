// SPDX-License-Identifier: GPL-2.0
/*
 * The local end of the bridge tests (bridge_test.sh): numbered messages in,
 * an exactly-once check out.
 *
 *   bridge_peer send MAILBOX TAG FIRST COUNT   send TAG-FIRST ... in order
 *   bridge_peer trysend MAILBOX                one message, never waiting:
 *                                              exit 0 sent, 3 EAGAIN
 *   bridge_peer recv MAILBOX TAG COUNT SECONDS receive until every one of
 *                                              TAG-0 .. TAG-(COUNT-1) came
 *                                              or SECONDS passed
 *
 * recv prints "unique U duplicates D missing M disorder O" (disorder: a
 * message that came after a later one of the same tag, counted only among
 * first deliveries), the sender ids of the last message and the claim it
 * carried, and exits 0 only if nothing is missing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmbox.h>

static int die(const char *what)
{
	fprintf(stderr, "bridge_peer: %s: %s\n", what, strerror(errno));
	return 1;
}

static int do_send(const char *name, const char *tag, long first, long count)
{
	char msg[128];
	long i;
	int mb = mbox_open(name, O_WRONLY | O_CLOEXEC);

	if (mb < 0)
		return die(name);
	for (i = first; i < first + count; i++) {
		int n = snprintf(msg, sizeof(msg), "%s-%ld", tag, i);

		if (mbox_send(mb, msg, (size_t)n))
			return die("send");
	}
	printf("sent %ld\n", count);
	return 0;
}

static int do_trysend(const char *name)
{
	int mb = mbox_open(name, O_WRONLY | O_CLOEXEC);

	if (mb < 0)
		return die(name);
	if (!mbox_trysend(mb, "try", 3))
		return 0;
	if (errno == EAGAIN)
		return 3;
	return die("trysend");
}

static int do_recv(const char *name, const char *tag, long count, int seconds)
{
	size_t taglen = strlen(tag);
	long unique = 0, dups = 0, disorder = 0, highest = -1, i;
	struct mbox_msginfo info = { 0 };
	char buf[8192], claim[MBOX_CLAIM_MAX + 1] = "";
	unsigned char *seen;
	time_t end = time(NULL) + seconds;
	int mb = mbox_open(name, O_RDONLY | O_CLOEXEC);

	if (mb < 0)
		return die(name);
	seen = calloc((size_t)count, 1);
	if (!seen)
		return die("calloc");
	while (unique < count && time(NULL) < end) {
		ssize_t n = mbox_timedrecv_claim(mb, buf, sizeof(buf) - 1, &info,
						 claim, sizeof(claim) - 1,
						 200000000LL);
		char *endp;

		if (n < 0) {
			if (errno == ETIMEDOUT || errno == EINTR)
				continue;
			return die("recv");
		}
		buf[n] = '\0';
		claim[info.claim_len < sizeof(claim) ? info.claim_len :
		      sizeof(claim) - 1] = '\0';
		if (strncmp(buf, tag, taglen) || buf[taglen] != '-')
			continue;	/* another test's message */
		i = strtol(buf + taglen + 1, &endp, 10);
		if (*endp || i < 0 || i >= count)
			continue;
		if (seen[i]) {
			dups++;
			continue;
		}
		seen[i] = 1;
		unique++;
		if (i < highest)
			disorder++;
		else
			highest = i;
	}
	printf("unique %ld duplicates %ld missing %ld disorder %ld "
	       "last-sender pid %d uid %u claim '%s'\n", unique, dups,
	       count - unique, disorder, (int)info.pid, (unsigned int)info.uid,
	       claim);
	free(seen);
	return unique == count ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "send"))
		return do_send(argv[2], argv[3], atol(argv[4]), atol(argv[5]));
	if (argc == 3 && !strcmp(argv[1], "trysend"))
		return do_trysend(argv[2]);
	if (argc == 6 && !strcmp(argv[1], "recv"))
		return do_recv(argv[2], argv[3], atol(argv[4]), atoi(argv[5]));
	fprintf(stderr, "usage: bridge_peer send MAILBOX TAG FIRST COUNT | "
		"trysend MAILBOX | recv MAILBOX TAG COUNT SECONDS\n");
	return 2;
}
