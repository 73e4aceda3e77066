// SPDX-License-Identifier: GPL-2.0
/*
 * mbox introspection: the /proc/driver/mbox listing (header, every column
 * of a line, anonymous, unlinked and shut-down mailboxes, lines going away
 * with their mailbox, world-readable) and the mbox-* lines of
 * /proc/PID/fdinfo/FD, checked against MBOXIO_STAT.
 */
#define _GNU_SOURCE
#include "mbox_helpers.h"
#include "../kselftest_harness.h"

#define PROC_MBOX	"/proc/driver/mbox"
#define USER_UID	1000
#define USER_GID	1000

static const char *const columns[] = {
	"name", "uid", "gid", "mode", "capacity", "msg_size", "queued",
	"bytes", "senders", "receivers", "leased", "sent", "received",
	"flags",
};
#define NR_COLS (sizeof(columns) / sizeof(columns[0]))

struct pline {
	char name[4 * MBOX_NAME_MAX + 2];	/* escaped: up to 4 bytes each */
	unsigned long uid, gid, mode, capacity, msg_size, queued;
	unsigned long long bytes;
	unsigned long senders, receivers, leased;
	unsigned long long sent, received;
	char flags[64];
};

/* Parse one listing line; 0 if it has exactly the NR_COLS columns. */
static int parse_line(const char *line, struct pline *pl)
{
	char extra[8];
	int n;

	memset(pl, 0, sizeof(*pl));
	n = sscanf(line, "%1021s %lu %lu %lo %lu %lu %lu %llu %lu %lu %lu %llu %llu %63s %7s",
		   pl->name, &pl->uid, &pl->gid, &pl->mode, &pl->capacity,
		   &pl->msg_size, &pl->queued, &pl->bytes, &pl->senders,
		   &pl->receivers, &pl->leased, &pl->sent, &pl->received,
		   pl->flags, extra);
	return n == (int)NR_COLS ? 0 : -1;
}

/*
 * Find the line of a mailbox: by @name, or when @name is NULL, by its
 * (distinctive) @capacity and @msg_size. Returns how many lines matched
 * (the last match is in @out), or -1 if the listing cannot be read or a
 * line does not parse.
 */
static int find_line(const char *name, unsigned long capacity,
		     unsigned long msg_size, struct pline *out)
{
	char *text = mbox_read_file(PROC_MBOX), *line, *save = NULL;
	struct pline pl;
	int found = 0, first = 1;

	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (first) {
			first = 0;
			continue;
		}
		if (parse_line(line, &pl)) {
			found = -1;
			break;
		}
		if (name ? !strcmp(pl.name, name) :
		    (pl.capacity == capacity && pl.msg_size == msg_size)) {
			*out = pl;
			found++;
		}
	}
	free(text);
	return found;
}

FIXTURE(proc) {
	MBOX_ENV_FIELDS;
};

FIXTURE_SETUP(proc)
{
	MBOX_ENV_SETUP();
	if (access(PROC_MBOX, F_OK))
		SKIP(return, PROC_MBOX " missing");
}

FIXTURE_TEARDOWN(proc)
{
	MBOX_ENV_TEARDOWN();
}

TEST_F(proc, header_columns)
{
	char *text, *save = NULL, *tok, *nl;
	unsigned int i = 0;

	MBOX_SKIP_GUARD();
	text = mbox_read_file(PROC_MBOX);
	ASSERT_NE(NULL, text);
	nl = strchr(text, '\n');
	ASSERT_NE(NULL, nl);
	*nl = 0;
	for (tok = strtok_r(text, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save), i++) {
		ASSERT_GT(NR_COLS, i) {
			TH_LOG("extra column '%s'", tok);
		}
		EXPECT_STREQ(columns[i], tok);
	}
	EXPECT_EQ(NR_COLS, i);
	free(text);
}

TEST_F(proc, proc_file_mode_and_unprivileged_read)
{
	struct stat sb;
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	ASSERT_EQ(0, stat(PROC_MBOX, &sb));
	EXPECT_EQ(0444U, sb.st_mode & 07777);
	/* One mailbox so that the unprivileged reader has a line to see. */
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 11, 1111);
	ASSERT_LE(0, fd);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct pline pl;

		CHILD_CHECK(mbox_become(USER_UID, USER_GID, 0, NULL) == 0);
		CHILD_CHECK(find_line(NULL, 11, 1111, &pl) == 1);
		CHILD_CHECK(!strcmp(pl.name, "(anonymous)"));
		CHILD_CHECK(pl.uid == 0);
		_exit(0);
	}
	EXPECT_EQ(0, mbox_reap(pid));
	close(fd);
}

/*
 * A name may hold any byte but '/': those that would split a column or a
 * line, or could be taken for an escape or "(anonymous)", are shown as a
 * backslash and three octal digits, as /proc/mounts does; fdinfo too.
 */
TEST_F(proc, odd_name_escaped)
{
	char name[64], want[128], key[160], *text;
	struct pline pl;
	int fd;

	MBOX_SKIP_GUARD();
	snprintf(name, sizeof(name), "(x y\\z\n\t\xe9%d", getpid());
	snprintf(want, sizeof(want), "\\050x\\040y\\134z\\012\\011\\351%d",
		 getpid());
	mbox_track_name(name);
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 3, 1717);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, find_line(NULL, 3, 1717, &pl));
	EXPECT_STREQ(want, pl.name);
	snprintf(key, sizeof(key), "/proc/self/fdinfo/%d", fd);
	text = mbox_read_file(key);
	ASSERT_NE(NULL, text);
	snprintf(key, sizeof(key), "mbox-name:\t%s\n", want);
	EXPECT_NE(NULL, strstr(text, key)) TH_LOG("%s", text);
	free(text);
	EXPECT_EQ(0, mbox_unlink(self->dev, name));
	close(fd);
}

TEST_F(proc, named_line_all_columns)
{
	const char *name = mbox_new_name("proc");
	char big[64];
	struct pline pl;
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	memset(big, 'b', sizeof(big));
	/* Created by an unprivileged user with a umask, so ids and mode tell. */
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int mb;

		CHILD_CHECK(mbox_become(USER_UID, USER_GID, 0, NULL) == 0);
		umask(027);
		mb = mbox_create(self->dev, name, MBOX_FD_RDWR, 0666, 5, 100);
		CHILD_CHECK(mb >= 0);
		CHILD_CHECK(mbox_send(mb, big, 10, 0, 0) == 0);
		CHILD_CHECK(mbox_send(mb, big, 20, 0, 0) == 0);
		CHILD_CHECK(mbox_send(mb, big, 30, 0, 0) == 0);
		CHILD_CHECK(mbox_recv(mb, big, sizeof(big), 0, 0, NULL) == 10);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_reap(pid));

	/* No fd open: the name alone keeps it listed. */
	ASSERT_EQ(1, find_line(name, 0, 0, &pl));
	EXPECT_STREQ(name, pl.name);
	EXPECT_EQ((unsigned long)USER_UID, pl.uid);
	EXPECT_EQ((unsigned long)USER_GID, pl.gid);
	EXPECT_EQ(0640UL, pl.mode);
	EXPECT_EQ(5UL, pl.capacity);
	EXPECT_EQ(100UL, pl.msg_size);
	EXPECT_EQ(2UL, pl.queued);
	EXPECT_EQ(50ULL, pl.bytes);
	EXPECT_EQ(0UL, pl.senders);
	EXPECT_EQ(0UL, pl.receivers);
	EXPECT_EQ(3ULL, pl.sent);
	EXPECT_EQ(1ULL, pl.received);
	EXPECT_STREQ("-", pl.flags);

	/* Once unlinked with no fd, it is freed and its line goes. */
	ASSERT_EQ(0, mbox_unlink(self->dev, name));
	EXPECT_EQ(0, find_line(name, 0, 0, &pl));
	fd = mbox_open(self->dev, name, MBOX_FD_RECV);
	EXPECT_EQ(-ENOENT, fd);
}

TEST_F(proc, waiting_senders_and_receivers)
{
	struct pline pl;
	char buf[8];
	pid_t ps, pr;
	int rv, bd;

	MBOX_SKIP_GUARD();
	rv = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 1313);
	ASSERT_LE(0, rv);
	bd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 14, 1414);
	ASSERT_LE(0, bd);
	ps = mbox_fork();
	ASSERT_LE(0, ps);
	if (ps == 0) {
		CHILD_CHECK(mbox_send(rv, "offer", 5, 0, 0) == 0);
		_exit(0);
	}
	pr = mbox_fork();
	ASSERT_LE(0, pr);
	if (pr == 0) {
		CHILD_CHECK(mbox_recv(bd, buf, sizeof(buf), 0, 0, NULL) == 2);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_wait_stat(rv, MBOX_STAT_FIELD(waiting_senders), 1));
	ASSERT_EQ(0, mbox_wait_stat(bd, MBOX_STAT_FIELD(waiting_receivers), 1));

	ASSERT_EQ(1, find_line(NULL, 0, 1313, &pl));
	EXPECT_EQ(1UL, pl.senders);
	EXPECT_EQ(0UL, pl.receivers);
	EXPECT_EQ(0UL, pl.queued);
	EXPECT_EQ(0ULL, pl.sent);
	ASSERT_EQ(1, find_line(NULL, 14, 1414, &pl));
	EXPECT_EQ(0UL, pl.senders);
	EXPECT_EQ(1UL, pl.receivers);

	EXPECT_EQ(5, mbox_recv(rv, buf, sizeof(buf), 0, 0, NULL));
	EXPECT_EQ(0, mbox_send(bd, "ok", 2, 0, 0));
	EXPECT_EQ(0, mbox_reap(ps));
	EXPECT_EQ(0, mbox_reap(pr));

	ASSERT_EQ(1, find_line(NULL, 0, 1313, &pl));
	EXPECT_EQ(0UL, pl.senders);
	EXPECT_EQ(1ULL, pl.sent);
	EXPECT_EQ(1ULL, pl.received);
	ASSERT_EQ(1, find_line(NULL, 14, 1414, &pl));
	EXPECT_EQ(0UL, pl.receivers);
	EXPECT_EQ(1ULL, pl.sent);
	EXPECT_EQ(1ULL, pl.received);
	close(rv);
	close(bd);
}

TEST_F(proc, anonymous_line)
{
	struct pline pl;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 15, 1515);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send(fd, "abcd", 4, 0, 0));
	ASSERT_EQ(1, find_line(NULL, 15, 1515, &pl));
	EXPECT_STREQ("(anonymous)", pl.name);
	EXPECT_STREQ("unlinked", pl.flags);
	EXPECT_EQ(1UL, pl.queued);
	EXPECT_EQ(4ULL, pl.bytes);
	EXPECT_EQ(getuid(), pl.uid);
	EXPECT_EQ(getgid(), pl.gid);
	/* Shut down too. */
	ASSERT_EQ(0, mbox_shutdown(fd));
	ASSERT_EQ(1, find_line(NULL, 15, 1515, &pl));
	EXPECT_STREQ("shutdown,unlinked", pl.flags);
	/* The last fd closed: the line goes. */
	close(fd);
	EXPECT_EQ(0, find_line(NULL, 15, 1515, &pl));
}

TEST_F(proc, unlinked_but_open)
{
	const char *name = mbox_new_name("procul");
	struct pline pl;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 16, 1616);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, find_line(NULL, 16, 1616, &pl));
	EXPECT_STREQ(name, pl.name);
	EXPECT_STREQ("-", pl.flags);
	ASSERT_EQ(0, mbox_unlink(self->dev, name));
	ASSERT_EQ(1, find_line(NULL, 16, 1616, &pl));
	EXPECT_STREQ("unlinked", pl.flags);
	close(fd);
	EXPECT_EQ(0, find_line(NULL, 16, 1616, &pl));
}

TEST_F(proc, shutdown_named)
{
	const char *name = mbox_new_name("procsd");
	struct pline pl;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0600, 17, 1717);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_shutdown(fd));
	close(fd);
	/* Still named, so still listed with no fd open. */
	ASSERT_EQ(1, find_line(name, 0, 0, &pl));
	EXPECT_STREQ("shutdown", pl.flags);
	EXPECT_EQ(17UL, pl.capacity);
	ASSERT_EQ(0, mbox_unlink(self->dev, name));
	EXPECT_EQ(0, find_line(name, 0, 0, &pl));
}

TEST_F(proc, creation_order)
{
	char *text, *a, *b;
	int fa, fb;

	MBOX_SKIP_GUARD();
	fa = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 18, 1818);
	ASSERT_LE(0, fa);
	fb = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 18, 1819);
	ASSERT_LE(0, fb);
	text = mbox_read_file(PROC_MBOX);
	ASSERT_NE(NULL, text);
	a = strstr(text, " 1818 ");
	b = strstr(text, " 1819 ");
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	EXPECT_LT(a, b);
	free(text);
	close(fa);
	close(fb);
}

/* One "key:\tvalue" line of an fdinfo file, or NULL. */
static char *fdinfo_get(const char *text, const char *key, char *val, size_t sz)
{
	char pat[64];
	const char *p;
	size_t n;

	snprintf(pat, sizeof(pat), "\n%s:", key);
	p = strstr(text, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	while (*p == ' ' || *p == '\t')
		p++;
	n = strcspn(p, "\n");
	if (n >= sz)
		n = sz - 1;
	memcpy(val, p, n);
	val[n] = 0;
	return val;
}

static char *fdinfo_read(int fd)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	return mbox_read_file(path);
}

#define EXPECT_FDINFO_U(text, key, want) do {				\
	char _v[128];							\
	ASSERT_NE(NULL, fdinfo_get(text, key, _v, sizeof(_v))) {	\
		TH_LOG("no %s line", key);				\
	}								\
	EXPECT_EQ((unsigned long long)(want), strtoull(_v, NULL, 10)) {	\
		TH_LOG("%s: '%s'", key, _v);				\
	}								\
} while (0)

TEST_F(proc, fdinfo_matches_stat)
{
	const char *name = mbox_new_name("fdinfo");
	struct mboxio_stat st;
	char v[128], *text;
	int fd, rd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, name, MBOX_FD_RDWR, 0640, 6, 200);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mbox_send(fd, "1234567", 7, 0, 0));
	ASSERT_EQ(0, mbox_send(fd, "89", 2, 0, 0));
	ASSERT_EQ(0, mbox_send(fd, "abc", 3, 0, 0));
	ASSERT_EQ(7, mbox_recv(fd, v, sizeof(v), 0, 0, NULL));
	rd = mbox_open(self->dev, name, MBOX_FD_RECV);
	ASSERT_LE(0, rd);
	ASSERT_EQ(0, mbox_stat(fd, &st));

	text = fdinfo_read(rd);
	ASSERT_NE(NULL, text);
	/* The usual lines are still there, and the fd is read-only. */
	ASSERT_NE(NULL, fdinfo_get(text, "flags", v, sizeof(v))) {
		TH_LOG("fdinfo: %s", text);
	}
	ASSERT_NE(NULL, strstr(text, "pos:"));
	EXPECT_EQ((unsigned long)O_RDONLY, strtoul(v, NULL, 8) & O_ACCMODE);
	ASSERT_NE(NULL, fdinfo_get(text, "mbox-name", v, sizeof(v)));
	EXPECT_STREQ(name, v);
	EXPECT_FDINFO_U(text, "mbox-capacity", st.capacity);
	EXPECT_FDINFO_U(text, "mbox-msg-size", st.msg_size);
	ASSERT_NE(NULL, fdinfo_get(text, "mbox-mode", v, sizeof(v)));
	EXPECT_EQ(st.mode, strtoul(v, NULL, 8));
	EXPECT_FDINFO_U(text, "mbox-uid", st.uid);
	EXPECT_FDINFO_U(text, "mbox-gid", st.gid);
	EXPECT_FDINFO_U(text, "mbox-queued", 2);
	EXPECT_FDINFO_U(text, "mbox-queued-bytes", 5);
	EXPECT_FDINFO_U(text, "mbox-senders", 0);
	EXPECT_FDINFO_U(text, "mbox-receivers", 0);
	EXPECT_FDINFO_U(text, "mbox-sent", 3);
	EXPECT_FDINFO_U(text, "mbox-received", 1);
	ASSERT_NE(NULL, fdinfo_get(text, "mbox-flags", v, sizeof(v)));
	EXPECT_STREQ("-", v);
	free(text);

	ASSERT_EQ(0, mbox_unlink(self->dev, name));
	ASSERT_EQ(0, mbox_shutdown(fd));
	text = fdinfo_read(fd);
	ASSERT_NE(NULL, text);
	ASSERT_NE(NULL, fdinfo_get(text, "mbox-flags", v, sizeof(v)));
	EXPECT_STREQ("shutdown,unlinked", v);
	free(text);
	close(rd);
	close(fd);
}

TEST_F(proc, fdinfo_anonymous_and_waiters)
{
	char v[128], *text;
	pid_t pid;
	int fd;

	MBOX_SKIP_GUARD();
	fd = mbox_create(self->dev, NULL, MBOX_FD_RDWR, 0600, 0, 16);
	ASSERT_LE(0, fd);
	pid = mbox_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		CHILD_CHECK(mbox_recv(fd, v, sizeof(v), 0, 0, NULL) == 1);
		_exit(0);
	}
	ASSERT_EQ(0, mbox_wait_stat(fd, MBOX_STAT_FIELD(waiting_receivers), 1));
	text = fdinfo_read(fd);
	ASSERT_NE(NULL, text);
	ASSERT_NE(NULL, fdinfo_get(text, "mbox-name", v, sizeof(v)));
	EXPECT_STREQ("(anonymous)", v);
	EXPECT_FDINFO_U(text, "mbox-capacity", 0);
	EXPECT_FDINFO_U(text, "mbox-msg-size", 16);
	EXPECT_FDINFO_U(text, "mbox-receivers", 1);
	EXPECT_FDINFO_U(text, "mbox-senders", 0);
	ASSERT_NE(NULL, fdinfo_get(text, "mbox-flags", v, sizeof(v)));
	EXPECT_STREQ("unlinked", v);
	free(text);
	EXPECT_EQ(0, mbox_send(fd, "x", 1, 0, 0));
	EXPECT_EQ(0, mbox_reap(pid));
	close(fd);
}

TEST_HARNESS_MAIN
