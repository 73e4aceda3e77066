// SPDX-License-Identifier: GPL-2.0
/*
 * mboxctl: create, list, inspect, use and remove mbox mailboxes from the
 * command line, in the style of ipcs(1)/ipcrm(1) and ip(8).
 *
 *   mboxctl create NAME [--capacity N] [--msg-size B] [--mode MODE]
 *   mboxctl ls [--numeric]
 *   mboxctl stat NAME
 *   mboxctl send NAME [--timeout MS] [--lines] [MESSAGE...|-]
 *   mboxctl recv NAME [--timeout MS] [--count N] [--raw] [--verbose]
 *   mboxctl shutdown NAME
 *   mboxctl rm [--force] NAME...
 *   mboxctl info
 *
 * Exit status (man/man8/mboxctl.8 is the reference):
 *   0  success
 *   1  the operation failed (the message says why, with the errno text)
 *   2  usage error (bad command, option or argument)
 *   3  timed out: a send or receive would have had to wait longer than
 *      --timeout allowed (ETIMEDOUT, or EAGAIN with --timeout 0)
 *   4  the mailbox is shut down: a send was refused, or recv found the
 *      mailbox shut down and drained (EPIPE), before --count messages
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libmbox.h>

#ifndef MBOX_VERSION
#define MBOX_VERSION "unknown"
#endif

#define MBOX_DEV		"/dev/mbox"
#define MBOX_PROC		"/proc/driver/mbox"
/* A name (at most 63 bytes) or "(anonymous)", with its NUL. */
#define NAME_BUF		64

enum {
	EXIT_OK		= 0,
	EXIT_FAIL	= 1,
	EXIT_USAGE	= 2,
	EXIT_TIMEOUT	= 3,
	EXIT_SHUTDOWN	= 4,
};

static const char *prog = "mboxctl";

/* ------------------------------------------------------------------ */
/* Messages and exit codes                                            */

static void __attribute__((noreturn, format(printf, 1, 2))) usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", prog);
	exit(EXIT_USAGE);
}

/* The exit status an operation's errno maps to. */
static int exit_code(int err)
{
	switch (err) {
	case ETIMEDOUT:
	case EAGAIN:
		return EXIT_TIMEOUT;
	case EPIPE:
		return EXIT_SHUTDOWN;
	default:
		return EXIT_FAIL;
	}
}

/*
 * "mboxctl: open 'jobs': No such file or directory". libmbox reports a
 * missing /dev/mbox (module not loaded) with the same ENOENT as a missing
 * mailbox, so that case gets its own message.
 */
static int __attribute__((format(printf, 2, 3))) fail(int err, const char *fmt, ...)
{
	va_list ap;

	if ((err == ENOENT || err == EACCES) && access(MBOX_DEV, F_OK) != 0 &&
	    errno == ENOENT) {
		fprintf(stderr, "%s: %s: %s (is the mbox module loaded?)\n",
			prog, MBOX_DEV, strerror(ENOENT));
		return EXIT_FAIL;
	}
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	/* "Disk quota exceeded" says little here: name the limit. */
	if (err == EDQUOT)
		fprintf(stderr, ": per-user limit reached (max_user_mailboxes or max_user_bytes; see mboxctl info)\n");
	else
		fprintf(stderr, ": %s\n", strerror(err));
	return exit_code(err);
}

/* ------------------------------------------------------------------ */
/* Argument parsing                                                   */

static unsigned long parse_ulong(const char *opt, const char *s, int base,
				 unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	if (*s == '-' || *s == '+' || *s == '\0')
		goto bad;
	v = strtoul(s, &end, base);
	if (errno || *end != '\0' || v > max)
		goto bad;
	return v;
bad:
	usage_error("invalid %s '%s'%s", opt, s,
		    base == 8 ? " (an octal mode, at most 0777)" : "");
}

/* --timeout MS: -1 for "forever" is also accepted. Returns nanoseconds. */
static int64_t parse_timeout(const char *s)
{
	if (strcmp(s, "-1") == 0)
		return -1;
	return (int64_t)parse_ulong("--timeout", s, 10, INT64_MAX / 1000000);
}

static void check_name(const char *cmd, const char *name)
{
	if (!name)
		usage_error("%s: missing mailbox NAME", cmd);
}

static void no_more_args(const char *cmd, int argc, char **argv)
{
	if (optind < argc)
		usage_error("%s: unexpected argument '%s'", cmd, argv[optind]);
}

/*
 * getopt_long over a command's own arguments (argv[0] is the command).
 * Returns the option character; handles -h and errors.
 */
static int next_opt(int argc, char **argv, const char *shorts,
		    const struct option *longs, void (*help)(void))
{
	int c = getopt_long(argc, argv, shorts, longs, NULL);

	if (c == 'h') {
		help();
		exit(EXIT_OK);
	}
	if (c == ':')
		usage_error("%s: option '%s' needs an argument", argv[0],
			    argv[optind - 1]);
	if (c == '?') {
		if (optopt)
			usage_error("%s: invalid option '-%c'", argv[0], optopt);
		usage_error("%s: unrecognized option '%s'", argv[0],
			    argv[optind - 1]);
	}
	return c;
}

/* ------------------------------------------------------------------ */
/* Helpers                                                            */

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* What is left of a timeout that started at @start (<0: forever). */
static int64_t remaining(int64_t timeout, int64_t start)
{
	int64_t left;

	if (timeout <= 0)
		return timeout;
	left = timeout - (now_ns() - start);
	return left > 0 ? left : 1;	/* 1 ns: an expired deadline, not "try" */
}

static void mode_string(mode_t mode, char out[11])
{
	static const char rwx[] = "rwxrwxrwx";
	int i;

	out[0] = '-';
	for (i = 0; i < 9; i++)
		out[i + 1] = (mode & (0400 >> i)) ? rwx[i] : '-';
	out[10] = '\0';
}

static const char *user_name(uid_t uid, bool numeric, char *buf, size_t size)
{
	struct passwd *pw = numeric ? NULL : getpwuid(uid);

	if (pw)
		snprintf(buf, size, "%s", pw->pw_name);
	else
		snprintf(buf, size, "%u", (unsigned int)uid);
	return buf;
}

static const char *group_name(gid_t gid, bool numeric, char *buf, size_t size)
{
	struct group *gr = numeric ? NULL : getgrgid(gid);

	if (gr)
		snprintf(buf, size, "%s", gr->gr_name);
	else
		snprintf(buf, size, "%u", (unsigned int)gid);
	return buf;
}

/* stdout must take what we print, or the command failed. */
static int flush_stdout(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* The /proc/driver/mbox listing                                      */

struct entry {
	char name[NAME_BUF];
	unsigned int uid, gid, mode, capacity, msg_size, queued;
	unsigned long long bytes;
	unsigned int senders, receivers;
	unsigned long long sent, received;
	char flags[64];
};

static const char *proc_path(void)
{
	const char *p = getenv("MBOXCTL_PROC");

	return p && *p ? p : MBOX_PROC;
}

/*
 * Read the listing: a header line, then one line per mailbox with
 * "name uid gid mode capacity msg_size queued bytes senders receivers
 * sent received flags". Returns the number of entries, or -1 (message
 * printed).
 */
static int read_listing(struct entry **out)
{
	const char *path = proc_path();
	struct entry *v = NULL, *nv, e;
	size_t n = 0, cap = 0, len = 0;
	char *line = NULL;
	unsigned int lineno = 0;
	FILE *f;

	f = fopen(path, "re");
	if (!f) {
		int err = errno;

		fprintf(stderr, "%s: %s: %s%s\n", prog, path, strerror(err),
			err == ENOENT ? " (is the mbox module loaded?)" : "");
		return -1;
	}
	while (getline(&line, &len, f) > 0) {
		lineno++;
		if (lineno == 1 && strncmp(line, "name", 4) == 0)
			continue;	/* the header */
		memset(&e, 0, sizeof(e));
		if (sscanf(line, "%63s %u %u %o %u %u %u %llu %u %u %llu %llu %63s",
			   e.name, &e.uid, &e.gid, &e.mode, &e.capacity,
			   &e.msg_size, &e.queued, &e.bytes, &e.senders,
			   &e.receivers, &e.sent, &e.received, e.flags) != 13) {
			fprintf(stderr, "%s: %s: line %u: unexpected format\n",
				prog, path, lineno);
			goto err;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				fprintf(stderr, "%s: %s\n", prog, strerror(ENOMEM));
				goto err;
			}
			v = nv;
		}
		v[n++] = e;
	}
	if (ferror(f)) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		goto err;
	}
	free(line);
	fclose(f);
	*out = v;
	return (int)n;
err:
	free(line);
	free(v);
	fclose(f);
	return -1;
}

/* ------------------------------------------------------------------ */
/* Commands                                                           */

static void help_create(void)
{
	printf("Usage: %s create NAME [--capacity N] [--msg-size BYTES] [--mode MODE]\n"
	       "Create a named mailbox.\n"
	       "  -c, --capacity N       messages that may queue; 0 makes a rendezvous\n"
	       "                         mailbox (default %u)\n"
	       "  -s, --msg-size BYTES   largest message (default %u)\n"
	       "  -m, --mode MODE        octal permission bits, taken as given, not\n"
	       "                         masked by the umask (default %04o & ~umask)\n",
	       prog, MBOX_DEFAULT_CAPACITY, MBOX_DEFAULT_MSG_SIZE, MBOX_DEFAULT_MODE);
}

static int cmd_create(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "capacity", required_argument, NULL, 'c' },
		{ "msg-size", required_argument, NULL, 's' },
		{ "mode", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct mbox_attr attr = {
		.capacity = MBOX_DEFAULT_CAPACITY,
		.msg_size = MBOX_DEFAULT_MSG_SIZE,
		.mode = MBOX_DEFAULT_MODE,
	};
	bool mode_set = false;
	const char *name;
	int c, mb;

	while ((c = next_opt(argc, argv, ":c:s:m:h", longs, help_create)) != -1) {
		switch (c) {
		case 'c':
			attr.capacity = parse_ulong("--capacity", optarg, 10, UINT_MAX);
			break;
		case 's':
			attr.msg_size = parse_ulong("--msg-size", optarg, 10, UINT_MAX);
			break;
		case 'm':
			attr.mode = parse_ulong("--mode", optarg, 8, 0777);
			mode_set = true;
			break;
		}
	}
	name = argv[optind++];
	check_name(argv[0], name);
	no_more_args(argv[0], argc, argv);

	/* Like mkdir -m: an explicit mode is the mode. */
	if (mode_set)
		umask(0);
	mb = mbox_create(name, &attr, O_RDONLY | O_CLOEXEC);
	if (mb < 0)
		return fail(errno, "create '%s'", name);
	mbox_close(mb);
	return EXIT_OK;
}

static void help_ls(void)
{
	printf("Usage: %s ls [--numeric]\n"
	       "List every mailbox (from %s), including anonymous ones.\n"
	       "  -n, --numeric   show owner and group as numbers\n",
	       prog, MBOX_PROC);
}

static int cmd_ls(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "numeric", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const head[] = {
		"NAME", "OWNER", "GROUP", "MODE", "CAPACITY", "MSGSIZE", "QUEUED",
		"BYTES", "SENDERS", "RECEIVERS", "SENT", "RECEIVED", "FLAGS",
	};
	enum { NCOL = sizeof(head) / sizeof(head[0]) };
	char (*cells)[NCOL][72];
	int width[NCOL];
	bool numeric = false;
	struct entry *v = NULL;
	int c, n, i, j;

	while ((c = next_opt(argc, argv, ":nh", longs, help_ls)) != -1)
		if (c == 'n')
			numeric = true;
	no_more_args(argv[0], argc, argv);

	n = read_listing(&v);
	if (n < 0)
		return EXIT_FAIL;

	cells = calloc((size_t)n + 1, sizeof(*cells));
	if (!cells) {
		free(v);
		fprintf(stderr, "%s: %s\n", prog, strerror(ENOMEM));
		return EXIT_FAIL;
	}
	for (j = 0; j < NCOL; j++)
		snprintf(cells[0][j], sizeof(cells[0][j]), "%s", head[j]);
	for (i = 0; i < n; i++) {
		struct entry *e = &v[i];
		char (*r)[72] = cells[i + 1];

		snprintf(r[0], 72, "%s", e->name);
		user_name(e->uid, numeric, r[1], 72);
		group_name(e->gid, numeric, r[2], 72);
		snprintf(r[3], 72, "%04o", e->mode);
		snprintf(r[4], 72, "%u", e->capacity);
		snprintf(r[5], 72, "%u", e->msg_size);
		snprintf(r[6], 72, "%u", e->queued);
		snprintf(r[7], 72, "%llu", e->bytes);
		snprintf(r[8], 72, "%u", e->senders);
		snprintf(r[9], 72, "%u", e->receivers);
		snprintf(r[10], 72, "%llu", e->sent);
		snprintf(r[11], 72, "%llu", e->received);
		snprintf(r[12], 72, "%s", e->flags);
	}
	for (j = 0; j < NCOL; j++) {
		width[j] = 0;
		for (i = 0; i <= n; i++) {
			int w = (int)strlen(cells[i][j]);

			if (w > width[j])
				width[j] = w;
		}
	}
	/* Names, owners and flags left-aligned, numbers right-aligned. */
	for (i = 0; i <= n; i++) {
		for (j = 0; j < NCOL; j++) {
			bool left = j <= 3 || j == NCOL - 1;

			if (j == NCOL - 1)
				printf("%s\n", cells[i][j]);
			else
				printf(left ? "%-*s  " : "%*s  ", width[j], cells[i][j]);
		}
	}
	free(cells);
	free(v);
	return flush_stdout();
}

static void help_stat(void)
{
	printf("Usage: %s stat NAME\n"
	       "Show a mailbox's attributes, owner and counters.\n", prog);
}

static int print_stat(const char *name, const struct mbox_stat *st)
{
	char mode[11], u[72], g[72];

	mode_string(st->mode, mode);
	printf("name:              %s\n", name);
	printf("owner:             %s (%u)\n",
	       user_name(st->uid, false, u, sizeof(u)), (unsigned int)st->uid);
	printf("group:             %s (%u)\n",
	       group_name(st->gid, false, g, sizeof(g)), (unsigned int)st->gid);
	printf("mode:              %04o (%s)\n", (unsigned int)st->mode, mode);
	printf("capacity:          %u%s\n", st->capacity,
	       st->capacity ? "" : " (rendezvous)");
	printf("msg_size:          %u\n", st->msg_size);
	printf("queued:            %u\n", st->queued);
	printf("queued_bytes:      %llu\n", (unsigned long long)st->queued_bytes);
	printf("waiting_senders:   %u\n", st->waiting_senders);
	printf("waiting_receivers: %u\n", st->waiting_receivers);
	printf("sent:              %llu\n", (unsigned long long)st->sent);
	printf("received:          %llu\n", (unsigned long long)st->received);
	printf("flags:             %s%s%s\n",
	       st->shutdown ? "shutdown" : "",
	       st->shutdown && st->unlinked ? "," : "",
	       st->unlinked ? "unlinked" : (st->shutdown ? "" : "-"));
	return flush_stdout();
}

/* stat for a caller the mode does not let open the mailbox: the listing. */
static int stat_from_listing(const char *name, int open_err)
{
	struct entry *v = NULL;
	struct mbox_stat st;
	int n, i;

	n = read_listing(&v);
	if (n < 0)
		return fail(open_err, "open '%s'", name);
	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			break;
	if (i == n) {
		free(v);
		return fail(open_err, "open '%s'", name);
	}
	memset(&st, 0, sizeof(st));
	st.capacity = v[i].capacity;
	st.msg_size = v[i].msg_size;
	st.mode = v[i].mode;
	st.uid = v[i].uid;
	st.gid = v[i].gid;
	st.shutdown = strstr(v[i].flags, "shutdown") != NULL;
	st.unlinked = strstr(v[i].flags, "unlinked") != NULL;
	st.queued = v[i].queued;
	st.waiting_senders = v[i].senders;
	st.waiting_receivers = v[i].receivers;
	st.queued_bytes = v[i].bytes;
	st.sent = v[i].sent;
	st.received = v[i].received;
	free(v);
	return print_stat(name, &st);
}

/*
 * Open a mailbox just to look at it: any access will do, and it is not
 * used to send or receive.
 */
static int open_any(const char *name)
{
	int mb = mbox_open(name, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (mb < 0 && errno == EACCES)
		mb = mbox_open(name, O_WRONLY | O_CLOEXEC | O_NONBLOCK);
	return mb;
}

static int cmd_stat(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct mbox_stat st;
	const char *name;
	int mb, err;

	while (next_opt(argc, argv, ":h", longs, help_stat) != -1)
		;
	name = argv[optind++];
	check_name(argv[0], name);
	no_more_args(argv[0], argc, argv);

	mb = open_any(name);
	if (mb < 0) {
		if (errno == EACCES)
			return stat_from_listing(name, errno);
		return fail(errno, "open '%s'", name);
	}
	if (mbox_stat(mb, &st)) {
		err = errno;
		mbox_close(mb);
		return fail(err, "stat '%s'", name);
	}
	mbox_close(mb);
	return print_stat(name, &st);
}

static void help_send(void)
{
	printf("Usage: %s send NAME [--timeout MS] [MESSAGE...]\n"
	       "       %s send NAME [--timeout MS] [--lines] [-]\n"
	       "Send each MESSAGE as one message (its bytes, no newline added). With no\n"
	       "MESSAGE or '-', send all of standard input as one message.\n"
	       "  -t, --timeout MS   give up (exit 3) if a send cannot complete within MS\n"
	       "                     milliseconds in all; 0 never waits (default: wait)\n"
	       "  -l, --lines        send each line of standard input as a message,\n"
	       "                     without its newline\n"
	       "Put '--' before a MESSAGE that starts with '-'.\n", prog, prog);
}

/* Read all of @f, at most @max bytes (one more tells it is too long). */
static int read_all(FILE *f, char **out, size_t *len, size_t max)
{
	size_t cap = max < 4096 ? max + 1 : 4096, n = 0, got;
	char *buf = malloc(cap), *nb;

	if (!buf)
		return -1;
	for (;;) {
		if (n == cap) {
			if (cap > max)
				break;
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			nb = realloc(buf, cap);
			if (!nb)
				goto err;
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f))
				goto err;
			break;
		}
	}
	*out = buf;
	*len = n;
	return 0;
err:
	free(buf);
	return -1;
}

static int send_one(int mb, const char *name, const void *msg, size_t len,
		    int64_t timeout, int64_t start)
{
	if (mbox_timedsend(mb, msg, len, remaining(timeout, start)) == 0)
		return EXIT_OK;
	return fail(errno, "send to '%s'", name);
}

static int cmd_send(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "lines", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int64_t timeout = -1, start;
	bool lines = false, from_stdin;
	struct mbox_stat st;
	const char *name;
	int c, mb, rc = EXIT_OK, i;

	while ((c = next_opt(argc, argv, ":t:lh", longs, help_send)) != -1) {
		if (c == 't')
			timeout = parse_timeout(optarg);
		else if (c == 'l')
			lines = true;
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
			rc = send_one(mb, name, argv[i], strlen(argv[i]), timeout, start);
	} else if (lines) {
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;

		while (rc == EXIT_OK && (n = getline(&line, &cap, stdin)) >= 0) {
			if (n > 0 && line[n - 1] == '\n')
				n--;
			rc = send_one(mb, name, line, (size_t)n, timeout, start);
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
			rc = send_one(mb, name, msg, len, timeout, start);
			free(msg);
		}
	}
	mbox_close(mb);
	return rc;
}

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

static int cmd_recv(int argc, char **argv)
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

static void help_shutdown(void)
{
	printf("Usage: %s shutdown NAME\n"
	       "Shut a mailbox down for good: sends fail from now on, receivers drain\n"
	       "what is queued and then see the end of the stream.\n", prog);
}

static int cmd_shutdown(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *name;
	int mb, err;

	while (next_opt(argc, argv, ":h", longs, help_shutdown) != -1)
		;
	name = argv[optind++];
	check_name(argv[0], name);
	no_more_args(argv[0], argc, argv);

	mb = mbox_open(name, O_WRONLY | O_CLOEXEC | O_NONBLOCK);
	if (mb < 0)
		return fail(errno, "open '%s'", name);
	if (mbox_shutdown(mb)) {
		err = errno;
		mbox_close(mb);
		return fail(err, "shutdown '%s'", name);
	}
	mbox_close(mb);
	return EXIT_OK;
}

static void help_rm(void)
{
	printf("Usage: %s rm [--force] NAME...\n"
	       "Remove mailbox names. Open fds keep working; a mailbox goes away with\n"
	       "its last fd, and its queued messages with it.\n"
	       "  -f, --force   a name that does not exist is not an error\n", prog);
}

static int cmd_rm(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool force = false;
	int c, i, rc = EXIT_OK, r;

	while ((c = next_opt(argc, argv, ":fh", longs, help_rm)) != -1)
		if (c == 'f')
			force = true;
	check_name(argv[0], argv[optind]);

	for (i = optind; i < argc; i++) {
		if (mbox_unlink(argv[i]) == 0)
			continue;
		if (force && errno == ENOENT && access(MBOX_DEV, F_OK) == 0)
			continue;
		r = fail(errno, "rm '%s'", argv[i]);
		if (rc == EXIT_OK)
			rc = r;
	}
	return rc;
}

static void help_info(void)
{
	printf("Usage: %s info\n"
	       "Show the running module's ABI version and limits, the per-user\n"
	       "limits and what the caller's user (real uid) uses of them.\n", prog);
}

static int cmd_info(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct mbox_usage usage;
	struct mbox_info info;

	while (next_opt(argc, argv, ":h", longs, help_info) != -1)
		;
	no_more_args(argv[0], argc, argv);

	if (mbox_get_info(&info) || mbox_get_usage(&usage))
		return fail(errno, "%s", MBOX_DEV);
	printf("abi_version:   %u\n", info.version);
	printf("name_max:      %u\n", info.name_max);
	printf("max_mailboxes: %u\n", info.max_mailboxes);
	printf("max_capacity:  %u\n", info.max_capacity);
	printf("max_msg_size:  %u\n", info.max_msg_size);
	printf("mailboxes:     %u\n", info.nr_mailboxes);
	printf("max_user_mailboxes: %u\n", usage.max_mailboxes);
	printf("max_user_bytes:     %llu\n", (unsigned long long)usage.max_bytes);
	printf("user_mailboxes:     %u\n", usage.mailboxes);
	printf("user_bytes:         %llu\n", (unsigned long long)usage.bytes);
	printf("user_unlimited:     %s\n", usage.unlimited ? "yes" : "no");
	return flush_stdout();
}

/* ------------------------------------------------------------------ */

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args;
	const char *summary;
} commands[] = {
	{ "create",   cmd_create,   "NAME [-c N] [-s BYTES] [-m MODE]", "create a mailbox" },
	{ "ls",       cmd_ls,       "[-n]", "list all mailboxes" },
	{ "stat",     cmd_stat,     "NAME", "show one mailbox" },
	{ "send",     cmd_send,     "NAME [-t MS] [-l] [MESSAGE...|-]", "send messages" },
	{ "recv",     cmd_recv,     "NAME [-t MS] [-n N] [-r] [-v]", "receive and print messages" },
	{ "shutdown", cmd_shutdown, "NAME", "shut a mailbox down" },
	{ "rm",       cmd_rm,       "[-f] NAME...", "remove mailbox names" },
	{ "info",     cmd_info,     "", "show the module's version and limits" },
};

static void help(void)
{
	size_t i;

	printf("Usage: %s COMMAND [ARGS]\n"
	       "       %s COMMAND --help\n"
	       "Manage mbox mailboxes (%s, %s).\n\nCommands:\n",
	       prog, prog, MBOX_DEV, MBOX_PROC);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  %-8s %-33s %s\n", commands[i].name, commands[i].args,
		       commands[i].summary);
	printf("\nOptions:\n"
	       "  -h, --help     show this help\n"
	       "  -V, --version  show the version\n"
	       "\nExit status: 0 success, 1 failure, 2 usage error, 3 timed out,\n"
	       "4 mailbox shut down. See mboxctl(8).\n");
}

int main(int argc, char **argv)
{
	const char *cmd;
	size_t i;

	if (argc < 2)
		usage_error("missing COMMAND");
	cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 ||
	    strcmp(cmd, "help") == 0) {
		help();
		return flush_stdout();
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		printf("mboxctl (mbox) %s\n", MBOX_VERSION);
		return flush_stdout();
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(cmd, commands[i].name) == 0) {
			/* The command's arguments, with its name as argv[0]. */
			opterr = 0;
			optind = 1;
			return commands[i].fn(argc - 1, argv + 1);
		}
	}
	if (cmd[0] == '-')
		usage_error("unknown option '%s'", cmd);
	usage_error("unknown command '%s'", cmd);
}
