// SPDX-License-Identifier: GPL-2.0
/* mboxctl: messages and exit codes, argument parsing, helpers. */
#include "mboxctl.h"

/* ------------------------------------------------------------------ */
/* Messages and exit codes                                            */

void usage_error(const char *fmt, ...)
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
int exit_code(int err)
{
	switch (err) {
	case ETIMEDOUT:
	case EAGAIN:
		return EXIT_TIMEOUT;
	case EPIPE:
		return EXIT_SHUTDOWN;
	case ECONNRESET:
		return EXIT_NOREPLY;
	default:
		return EXIT_FAIL;
	}
}

/*
 * "mboxctl: open 'jobs': No such file or directory". libmbox reports a
 * missing /dev/mbox (module not loaded) with the same ENOENT as a missing
 * mailbox, so that case gets its own message.
 */
int fail(int err, const char *fmt, ...)
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

unsigned long parse_ulong(const char *opt, const char *s, int base,
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
int64_t parse_timeout(const char *s)
{
	if (strcmp(s, "-1") == 0)
		return -1;
	return (int64_t)parse_ulong("--timeout", s, 10, INT64_MAX / 1000000);
}

void check_name(const char *cmd, const char *name)
{
	if (!name)
		usage_error("%s: missing mailbox NAME", cmd);
}

void no_more_args(const char *cmd, int argc, char **argv)
{
	if (optind < argc)
		usage_error("%s: unexpected argument '%s'", cmd, argv[optind]);
}

/*
 * getopt_long over a command's own arguments (argv[0] is the command).
 * Returns the option character; handles -h and errors.
 */
int next_opt(int argc, char **argv, const char *shorts,
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

int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* What is left of a timeout that started at @start (<0: forever). */
int64_t remaining(int64_t timeout, int64_t start)
{
	int64_t left;

	if (timeout <= 0)
		return timeout;
	left = timeout - (now_ns() - start);
	return left > 0 ? left : 1;	/* 1 ns: an expired deadline, not "try" */
}

void mode_string(mode_t mode, char out[11])
{
	static const char rwx[] = "rwxrwxrwx";
	int i;

	out[0] = '-';
	for (i = 0; i < 9; i++)
		out[i + 1] = (mode & (0400 >> i)) ? rwx[i] : '-';
	out[10] = '\0';
}

const char *user_name(uid_t uid, bool numeric, char *buf, size_t size)
{
	struct passwd *pw = numeric ? NULL : getpwuid(uid);

	if (pw)
		snprintf(buf, size, "%s", pw->pw_name);
	else
		snprintf(buf, size, "%u", (unsigned int)uid);
	return buf;
}

const char *group_name(gid_t gid, bool numeric, char *buf, size_t size)
{
	struct group *gr = numeric ? NULL : getgrgid(gid);

	if (gr)
		snprintf(buf, size, "%s", gr->gr_name);
	else
		snprintf(buf, size, "%u", (unsigned int)gid);
	return buf;
}

/* stdout must take what we print, or the command failed. */
int flush_stdout(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "%s: write error: %s\n", prog, strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* Read all of @f, at most @max bytes (one more tells it is too long). */
int read_all(FILE *f, char **out, size_t *len, size_t max)
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
