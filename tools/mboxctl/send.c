// SPDX-License-Identifier: GPL-2.0
/* mboxctl: mboxctl send: send messages. */
#include "mboxctl.h"

static void help_send(void)
{
	printf("Usage: %s send NAME [--timeout MS] [--priority P] [MESSAGE...]\n"
	       "       %s send NAME [--timeout MS] [--priority P] [--lines] [-]\n"
	       "Send each MESSAGE as one message (its bytes, no newline added). With no\n"
	       "MESSAGE or '-', send all of standard input as one message.\n"
	       "  -t, --timeout MS   give up (exit 3) if a send cannot complete within MS\n"
	       "                     milliseconds in all; 0 never waits (default: wait)\n"
	       "  -p, --priority P   send at priority P, 0..32767 (default 0): higher is\n"
	       "                     received first\n"
	       "  -l, --lines        send each line of standard input as a message,\n"
	       "                     without its newline\n"
	       "Put '--' before a MESSAGE that starts with '-'.\n", prog, prog);
}

static int send_one(int mb, const char *name, const void *msg, size_t len,
		    unsigned int prio, int64_t timeout, int64_t start)
{
	if (mbox_timedsend_prio(mb, msg, len, prio,
				remaining(timeout, start)) == 0)
		return EXIT_OK;
	return fail(errno, "send to '%s'", name);
}

int cmd_send(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "lines", no_argument, NULL, 'l' },
		{ "priority", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int64_t timeout = -1, start;
	unsigned int prio = 0;
	bool lines = false, from_stdin;
	struct mbox_stat st;
	const char *name;
	int c, mb, rc = EXIT_OK, i;

	while ((c = next_opt(argc, argv, ":t:lp:h", longs, help_send)) != -1) {
		if (c == 't')
			timeout = parse_timeout(optarg);
		else if (c == 'l')
			lines = true;
		else if (c == 'p')
			prio = (unsigned int)parse_ulong("--priority", optarg, 10,
							 MBOX_PRIO_MAX - 1);
	}
	name = argv[optind++];
	check_name(argv[0], name);
	from_stdin = optind == argc ||
		     (optind == argc - 1 && strcmp(argv[optind], "-") == 0);
	if (lines && !from_stdin)
		usage_error("%s: --lines reads standard input; give no MESSAGE", argv[0]);
	if (timeout > 0)
		timeout *= 1000000;	/* ms to ns */

	start = now_ns();
	mb = mbox_open(name, O_WRONLY | O_CLOEXEC);
	if (mb < 0)
		return fail(errno, "open '%s'", name);

	if (!from_stdin) {
		for (i = optind; i < argc && rc == EXIT_OK; i++)
			rc = send_one(mb, name, argv[i], strlen(argv[i]), prio, timeout, start);
	} else if (lines) {
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;

		while (rc == EXIT_OK && (n = getline(&line, &cap, stdin)) >= 0) {
			if (n > 0 && line[n - 1] == '\n')
				n--;
			rc = send_one(mb, name, line, (size_t)n, prio, timeout, start);
		}
		if (rc == EXIT_OK && ferror(stdin))
			rc = fail(errno, "read standard input");
		free(line);
	} else {
		char *msg;
		size_t len;

		/* The whole of stdin is one message: read no more than
		 * the mailbox takes, plus a byte to let the kernel say
		 * EMSGSIZE when it is too long. */
		if (mbox_stat(mb, &st)) {
			rc = fail(errno, "stat '%s'", name);
		} else if (read_all(stdin, &msg, &len, st.msg_size)) {
			rc = fail(errno, "read standard input");
		} else {
			rc = send_one(mb, name, msg, len, prio, timeout, start);
			free(msg);
		}
	}
	mbox_close(mb);
	return rc;
}
