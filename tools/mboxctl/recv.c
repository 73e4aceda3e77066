// SPDX-License-Identifier: GPL-2.0
/* mboxctl: mboxctl recv: receive and print messages. */
#include "mboxctl.h"

static void help_recv(void)
{
	printf("Usage: %s recv NAME [--timeout MS] [--count N] [--raw] [--verbose]\n"
	       "Receive messages and print each one, followed by a newline.\n"
	       "  -t, --timeout MS   give up (exit 3) if the messages have not all come\n"
	       "                     within MS milliseconds; 0 never waits (default: wait)\n"
	       "  -n, --count N      receive N messages (default 1); 0: until the mailbox\n"
	       "                     is shut down and drained\n"
	       "  -r, --raw          print the payload bytes only, no newline\n"
	       "  -v, --verbose      print \"seq=S pid=P uid=U gid=G len=L\" before each\n",
	       prog);
}

int cmd_recv(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'n' },
		{ "raw", no_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int64_t timeout = -1, start;
	unsigned long count = 1, got;
	bool raw = false, verbose = false;
	struct mbox_msginfo info;
	struct mbox_stat st;
	const char *name;
	char *buf;
	ssize_t n;
	int c, mb, rc = EXIT_OK;

	while ((c = next_opt(argc, argv, ":t:n:rvh", longs, help_recv)) != -1) {
		switch (c) {
		case 't':
			timeout = parse_timeout(optarg);
			break;
		case 'n':
			count = parse_ulong("--count", optarg, 10, ULONG_MAX);
			break;
		case 'r':
			raw = true;
			break;
		case 'v':
			verbose = true;
			break;
		}
	}
	name = argv[optind++];
	check_name(argv[0], name);
	no_more_args(argv[0], argc, argv);
	if (timeout > 0)
		timeout *= 1000000;

	start = now_ns();
	mb = mbox_open(name, O_RDONLY | O_CLOEXEC);
	if (mb < 0)
		return fail(errno, "open '%s'", name);
	if (mbox_stat(mb, &st)) {
		rc = fail(errno, "stat '%s'", name);
		mbox_close(mb);
		return rc;
	}
	/* No message is longer than the mailbox's msg_size. */
	buf = malloc(st.msg_size ? st.msg_size : 1);
	if (!buf) {
		mbox_close(mb);
		return fail(ENOMEM, "receive from '%s'", name);
	}

	for (got = 0; count == 0 || got < count; got++) {
		n = mbox_timedrecv(mb, buf, st.msg_size, &info, remaining(timeout, start));
		if (n < 0) {
			/* --count 0 reads to the end of the stream. */
			if (errno == EPIPE && count == 0)
				break;
			rc = fail(errno, "receive from '%s'", name);
			break;
		}
		if (verbose)
			printf("seq=%llu pid=%d uid=%u gid=%u len=%zd\n",
			       (unsigned long long)info.seq, (int)info.pid,
			       (unsigned int)info.uid, (unsigned int)info.gid, n);
		fwrite(buf, 1, (size_t)n, stdout);
		if (!raw)
			putchar('\n');
		/* Each message leaves as soon as it is taken. */
		if (flush_stdout()) {
			rc = EXIT_FAIL;
			break;
		}
	}
	free(buf);
	mbox_close(mb);
	return rc;
}
