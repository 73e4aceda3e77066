// SPDX-License-Identifier: GPL-2.0
/*
 * mboxctl: mboxctl serve: answer each request by running a command, with
 * the request on its standard input and its standard output as the reply,
 * as inetd(8) does for connections; so a shell script can be a server.
 */
#include "mboxctl.h"	/* first: it defines _GNU_SOURCE */

#include <sys/mman.h>
#include <sys/wait.h>

static void help_serve(void)
{
	printf("Usage: %s serve NAME [--count N] -- COMMAND [ARG...]\n"
	       "Receive from NAME and, for each message, run COMMAND with the message\n"
	       "on its standard input. A request (mboxctl call, mbox_call(3)) is\n"
	       "answered with what COMMAND writes to its standard output; for a\n"
	       "one-way message that output is discarded. Serves until the mailbox\n"
	       "is shut down and drained (exit 0).\n"
	       "  -n, --count N      stop after N messages (default: no limit)\n"
	       "An output too long for the mailbox's msg_size or the caller's buffer is\n"
	       "not sent: the caller gets an empty reply, and serve says so on stderr.\n",
	       prog);
}

/*
 * Run @argv with @len bytes of @in as its standard input (a memfd, so a
 * command that writes before it reads cannot deadlock against us), and
 * collect up to @max bytes of its standard output into @out (one more
 * byte tells it was longer). Returns 0, or -1 with errno.
 */
static int run(char **argv, const char *in, size_t len, char *out, size_t max,
	       size_t *out_len, int *status)
{
	int infd, pfd[2];
	size_t n = 0;
	ssize_t got;
	pid_t pid;
	char sink[4096];

	infd = memfd_create("mboxctl-serve", MFD_CLOEXEC);
	if (infd < 0)
		return -1;
	if ((len && write(infd, in, len) != (ssize_t)len) ||
	    lseek(infd, 0, SEEK_SET) != 0 || pipe2(pfd, O_CLOEXEC)) {
		close(infd);
		return -1;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		close(infd);
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		if (dup2(infd, 0) < 0 || dup2(pfd[1], 1) < 0)
			_exit(127);
		execvp(argv[0], argv);
		fprintf(stderr, "%s: serve: %s: %s\n", prog, argv[0], strerror(errno));
		_exit(127);
	}
	close(infd);
	close(pfd[1]);
	for (;;) {
		/* Past @max + 1 bytes, keep reading so the command can finish. */
		if (n <= max)
			got = read(pfd[0], out + n, max + 1 - n);
		else
			got = read(pfd[0], sink, sizeof(sink));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		if (n <= max)
			n += (size_t)got;
	}
	close(pfd[0]);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	*out_len = n;
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long count = 0, done;
	struct mbox_msginfo info;
	struct mbox_stat st;
	char *buf = NULL, *out = NULL;
	const char *name;
	uint64_t id = 0;
	size_t out_len = 0;
	int c, mb, status, rc = EXIT_OK;
	ssize_t n;

	while ((c = next_opt(argc, argv, ":n:h", longs, help_serve)) != -1) {
		if (c == 'n')
			count = parse_ulong("--count", optarg, 10, ULONG_MAX);
	}
	name = argv[optind++];
	check_name(argv[0], name);
	if (optind >= argc)
		usage_error("%s: no COMMAND to run (put it after --)", argv[0]);

	mb = mbox_open(name, O_RDONLY | O_CLOEXEC);
	if (mb < 0)
		return fail(errno, "open '%s'", name);
	if (mbox_stat(mb, &st)) {
		rc = fail(errno, "stat '%s'", name);
		goto out;
	}
	buf = malloc(st.msg_size + 1);
	out = malloc(st.msg_size + 1);
	if (!buf || !out) {
		rc = fail(ENOMEM, "serve '%s'", name);
		goto out;
	}

	for (done = 0; count == 0 || done < count; done++) {
		n = mbox_reply_recv(mb, id, out, out_len, buf, st.msg_size, &info);
		if (n < 0 && id && errno == EMSGSIZE && info.len == 0) {
			/* Our reply did not fit the caller's buffer. */
			fprintf(stderr, "%s: serve '%s': a reply of %zu bytes is too long for the caller; it gets an empty one\n",
				prog, name, out_len);
			out_len = 0;
			done--;
			continue;
		}
		id = 0;
		out_len = 0;
		if (n < 0) {
			if (errno != EPIPE)
				rc = fail(errno, "serve '%s'", name);
			break;
		}
		if (run(&argv[optind], buf, (size_t)n, out, st.msg_size,
			&out_len, &status)) {
			rc = fail(errno, "serve '%s': run %s", name, argv[optind]);
			break;
		}
		if (out_len > st.msg_size) {
			fprintf(stderr, "%s: serve '%s': %s wrote more than msg_size (%u) bytes; the caller gets an empty reply\n",
				prog, name, argv[optind], st.msg_size);
			out_len = 0;
		}
		if (!info.reply_id)
			out_len = 0;	/* a one-way message: nothing to answer */
		id = info.reply_id;
	}
	/* The last request of --count N: answer it, and receive no more. */
	if (id && mbox_reply(mb, id, out, out_len) && errno != ESRCH)
		rc = fail(errno, "reply in '%s'", name);
out:
	free(buf);
	free(out);
	mbox_close(mb);
	return rc;
}
