// SPDX-License-Identifier: GPL-2.0
/* mboxctl: mboxctl call: send a request and print the reply. */
#include "mboxctl.h"

static void help_call(void)
{
	printf("Usage: %s call NAME [--timeout MS] [--raw] [--verbose] [MESSAGE|-]\n"
	       "Send MESSAGE (or, with none or '-', all of standard input) as a request\n"
	       "and print the reply, followed by a newline.\n"
	       "  -t, --timeout MS   give up (exit 3) if no reply came within MS\n"
	       "                     milliseconds (default: wait)\n"
	       "  -r, --raw          print the reply's bytes only, no newline\n"
	       "  -v, --verbose      print \"seq=S pid=P uid=U gid=G len=L\" of the reply\n"
	       "                     first (pid, uid, gid: who answered)\n"
	       "On failure the message says whether a server took the request, which\n"
	       "decides whether trying again is safe. Exit 5: a server took it and will\n"
	       "never reply.\n", prog);
}

int cmd_call(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "raw", no_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool raw = false, verbose = false, own = false;
	struct mbox_msginfo info;
	struct mbox_stat st;
	int64_t timeout = -1;
	const char *name;
	char *req, *reply;
	size_t len;
	ssize_t n;
	int c, mb, rc = EXIT_OK;

	while ((c = next_opt(argc, argv, ":t:rvh", longs, help_call)) != -1) {
		if (c == 't')
			timeout = parse_timeout(optarg);
		else if (c == 'r')
			raw = true;
		else if (c == 'v')
			verbose = true;
	}
	name = argv[optind++];
	check_name(argv[0], name);
	if (optind < argc - 1)
		usage_error("%s: one MESSAGE at most", argv[0]);
	if (timeout > 0)
		timeout *= 1000000;	/* ms to ns */

	mb = mbox_open(name, O_WRONLY | O_CLOEXEC);
	if (mb < 0)
		return fail(errno, "open '%s'", name);
	if (mbox_stat(mb, &st)) {
		rc = fail(errno, "stat '%s'", name);
		goto out_close;
	}
	if (optind == argc || strcmp(argv[optind], "-") == 0) {
		/* A byte more than fits, to let the kernel say EMSGSIZE. */
		if (read_all(stdin, &req, &len, st.msg_size)) {
			rc = fail(errno, "read standard input");
			goto out_close;
		}
		own = true;
	} else {
		req = argv[optind];
		len = strlen(req);
	}
	/* No reply is longer than the mailbox's msg_size. */
	reply = malloc(st.msg_size ? st.msg_size : 1);
	if (!reply) {
		rc = fail(ENOMEM, "call '%s'", name);
		goto out_free;
	}

	n = mbox_timedcall(mb, req, len, reply, st.msg_size, &info, timeout);
	if (n < 0) {
		int err = errno;

		if (info.seq)
			rc = fail(err, "call '%s' (request #%llu was taken by a server)",
				  name, (unsigned long long)info.seq);
		else
			rc = fail(err, "call '%s' (the request was not delivered)",
				  name);
	} else {
		if (verbose)
			printf("seq=%llu pid=%d uid=%u gid=%u len=%zd\n",
			       (unsigned long long)info.seq, (int)info.pid,
			       (unsigned int)info.uid, (unsigned int)info.gid, n);
		fwrite(reply, 1, (size_t)n, stdout);
		if (!raw)
			putchar('\n');
		rc = flush_stdout();
	}
	free(reply);
out_free:
	if (own)
		free(req);
out_close:
	mbox_close(mb);
	return rc;
}
