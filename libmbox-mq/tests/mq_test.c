// SPDX-License-Identifier: GPL-2.0
/*
 * libmbox-mq against the kernel's own POSIX message queues, errno for
 * errno. This program is linked with -lmbox-mq, so its mq_*() are the
 * library's; the C library's are looked up in libc.so.6 by name. Every
 * scenario runs once through each and writes a log of what each call
 * returned (value and errno, and what was received); the logs must be the
 * same. A scenario also checks what POSIX and mq_overview(7) say, so that
 * two implementations agreeing on a wrong answer still fail.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"

struct mq_ops {
	const char *who;
	mqd_t (*open)(const char *, int, ...);
	int (*close)(mqd_t);
	int (*unlink)(const char *);
	int (*send)(mqd_t, const char *, size_t, unsigned int);
	int (*timedsend)(mqd_t, const char *, size_t, unsigned int,
			 const struct timespec *);
	ssize_t (*receive)(mqd_t, char *, size_t, unsigned int *);
	ssize_t (*timedreceive)(mqd_t, char *, size_t, unsigned int *,
				const struct timespec *);
	int (*getattr)(mqd_t, struct mq_attr *);
	int (*setattr)(mqd_t, const struct mq_attr *, struct mq_attr *);
	int (*notify)(mqd_t, const struct sigevent *);
};

static const struct mq_ops mbox_ops = {
	"libmbox-mq", mq_open, mq_close, mq_unlink, mq_send, mq_timedsend,
	mq_receive, mq_timedreceive, mq_getattr, mq_setattr, mq_notify,
};

/* The C library's, which talk to the kernel's mqueue. */
static int kernel_ops(struct mq_ops *k)
{
	void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);

	if (!libc)
		return -1;
	k->who = "kernel mq";
#define SYM(f, n) (k->f = dlsym(libc, n))
	if (!SYM(open, "mq_open") || !SYM(close, "mq_close") ||
	    !SYM(unlink, "mq_unlink") || !SYM(send, "mq_send") ||
	    !SYM(timedsend, "mq_timedsend") || !SYM(receive, "mq_receive") ||
	    !SYM(timedreceive, "mq_timedreceive") ||
	    !SYM(getattr, "mq_getattr") || !SYM(setattr, "mq_setattr") ||
	    !SYM(notify, "mq_notify"))
		return -1;
#undef SYM
	return 0;
}

/* What a scenario saw, one line per step. */
struct log {
	char text[8192];
	size_t len;
};

static void note(struct log *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	l->len += vsnprintf(l->text + l->len, sizeof(l->text) - l->len, fmt, ap);
	va_end(ap);
	if (l->len < sizeof(l->text) - 1)
		l->text[l->len++] = '\n';
	l->text[l->len] = '\0';
}

/* A call's result as "label=value" or "label=-1 ERRNO". */
static long step(struct log *l, const char *label, long ret)
{
	if (ret < 0)
		note(l, "%s=-1 %s", label, strerrorname_np(errno) ?: "?");
	else
		note(l, "%s=ok", label);
	return ret;
}

static void qname(char *buf, size_t size, const struct mq_ops *o,
		  const char *what)
{
	snprintf(buf, size, "/mqt.%d.%c.%s", (int)getpid(), o->who[0], what);
}

static struct timespec in_ms(long ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

typedef void scenario_fn(const struct mq_ops *o, struct log *l);
static scenario_fn scenario_faults;

/* Run @fn through both and compare; the library's log is returned. */
static int compare(struct __test_metadata *_metadata, scenario_fn *fn,
		   struct log *mine)
{
	struct mq_ops k;
	struct log theirs = { .len = 0 };

	memset(mine, 0, sizeof(*mine));
	fn(&mbox_ops, mine);
	if (kernel_ops(&k)) {
		TH_LOG("no C library mq_*: comparing skipped");
		return 0;
	}
	fn(&k, &theirs);
	if (strcmp(mine->text, theirs.text)) {
		TH_LOG("libmbox-mq:\n%s", mine->text);
		TH_LOG("kernel mq:\n%s", theirs.text);
		return -1;
	}
	return 0;
}

/*
 * Whether the library can reach a caller's bad pointer without a crash:
 * it uses process_vm_readv() on itself, which a kernel without
 * CONFIG_CROSS_MEMORY_ATTACH (ENOSYS) or a seccomp policy (EPERM) takes
 * away; it then reads directly (Documentation/mq.rst).
 */
static bool safe_access(void)
{
	char a = 1, b = 0;
	struct iovec l = { &b, 1 }, r = { &a, 1 };

	return process_vm_readv(getpid(), &l, 1, &r, 1, 0) == 1;
}

#define SCENARIO(name)							\
	static void scenario_##name(const struct mq_ops *o, struct log *l); \
	TEST(name)							\
	{								\
		struct log mine;					\
									\
		if (access("/dev/mbox", F_OK))				\
			SKIP(return, "/dev/mbox not found (module not loaded)"); \
		if (scenario_##name == scenario_faults && !safe_access()) \
			SKIP(return, "no process_vm_readv() here: bad pointers would crash"); \
		EXPECT_EQ(0, compare(_metadata, scenario_##name, &mine)); \
		check_##name(_metadata, &mine);				\
	}								\
	static void scenario_##name(const struct mq_ops *o, struct log *l)

/* What the log must say, whoever wrote it. */
#define EXPECT_LOG(l, line) \
	EXPECT_NE(NULL, strstr((l)->text, line "\n")) TH_LOG("no '%s' in\n%s", line, (l)->text)

static void check_names(struct __test_metadata *_metadata, struct log *l)
{
	EXPECT_LOG(l, "noslash=-1 EINVAL");
	EXPECT_LOG(l, "root=-1 ENOENT");
	EXPECT_LOG(l, "inner slash=-1 EACCES");
	EXPECT_LOG(l, "dot=-1 EACCES");
	EXPECT_LOG(l, "dotdot=-1 EACCES");
	EXPECT_LOG(l, "256=-1 ENAMETOOLONG");
	EXPECT_LOG(l, "255=ok");
	EXPECT_LOG(l, "missing=-1 ENOENT");
	EXPECT_LOG(l, "odd bytes=ok");
}

SCENARIO(names)
{
	char name[NAME_MAX + 8];
	int q;

	step(l, "noslash", o->open("mqt-noslash", O_RDONLY));
	step(l, "root", o->open("/", O_RDONLY | O_CREAT, 0600, NULL));
	step(l, "inner slash", o->open("/a/b", O_RDONLY | O_CREAT, 0600, NULL));
	step(l, "dot", o->open("/.", O_RDONLY | O_CREAT, 0600, NULL));
	step(l, "dotdot", o->open("/..", O_RDONLY | O_CREAT, 0600, NULL));
	name[0] = '/';
	memset(name + 1, 'n', NAME_MAX + 1);
	snprintf(name + 1, 12, "%d%c", (int)getpid(), o->who[0]);
	name[strlen(name)] = 'n';
	name[NAME_MAX + 2] = '\0';
	step(l, "256", o->open(name, O_RDONLY | O_CREAT, 0600, NULL));
	name[NAME_MAX + 1] = '\0';
	q = step(l, "255", o->open(name, O_RDONLY | O_CREAT | O_EXCL, 0600, NULL));
	if (q >= 0) {
		o->close(q);
		step(l, "unlink 255", o->unlink(name));
	}
	qname(name, sizeof(name), o, "missing");
	step(l, "missing", o->open(name, O_RDONLY));
	step(l, "unlink missing", o->unlink(name));
	snprintf(name, sizeof(name), "/mqt %d %c \t\n\xe9(x)\\", (int)getpid(),
		 o->who[0]);
	q = step(l, "odd bytes", o->open(name, O_RDWR | O_CREAT | O_EXCL, 0600,
					 NULL));
	if (q >= 0) {
		o->close(q);
		step(l, "odd unlink", o->unlink(name));
	}
	step(l, "unlink noslash", o->unlink("noslash"));
	step(l, "unlink root", o->unlink("/"));
}

static void check_create(struct __test_metadata *_metadata, struct log *l)
{
	EXPECT_LOG(l, "maxmsg 0=-1 EINVAL");
	EXPECT_LOG(l, "msgsize -1=-1 EINVAL");
	EXPECT_LOG(l, "defaults 10 8192 0 0");
	EXPECT_LOG(l, "excl again=-1 EEXIST");
	EXPECT_LOG(l, "accmode 3=-1 EINVAL");
	EXPECT_LOG(l, "given 4 100 0 0");
	EXPECT_LOG(l, "reopen keeps 4 100 2048 0");
}

SCENARIO(create)
{
	struct mq_attr a = { .mq_maxmsg = 0, .mq_msgsize = 100 };
	char name[64];
	int q, q2;

	qname(name, sizeof(name), o, "create");
	step(l, "maxmsg 0", o->open(name, O_RDWR | O_CREAT, 0600, &a));
	a.mq_maxmsg = 4;
	a.mq_msgsize = -1;
	step(l, "msgsize -1", o->open(name, O_RDWR | O_CREAT, 0600, &a));
	q = step(l, "defaults", o->open(name, O_RDWR | O_CREAT | O_EXCL, 0600,
					NULL));
	if (q >= 0 && o->getattr(q, &a) == 0)
		note(l, "defaults %ld %ld %ld %ld", a.mq_maxmsg, a.mq_msgsize,
		     a.mq_flags, a.mq_curmsgs);
	step(l, "excl again", o->open(name, O_RDWR | O_CREAT | O_EXCL, 0600,
				      NULL));
	step(l, "accmode 3", o->open(name, O_RDWR | O_WRONLY));
	if (q >= 0)
		o->close(q);
	o->unlink(name);

	a.mq_maxmsg = 4;
	a.mq_msgsize = 100;
	q = step(l, "given", o->open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a));
	if (q >= 0 && o->getattr(q, &a) == 0)
		note(l, "given %ld %ld %ld %ld", a.mq_maxmsg, a.mq_msgsize,
		     a.mq_flags, a.mq_curmsgs);
	/* O_CREAT of one that exists opens it; the attr is ignored. */
	a.mq_maxmsg = 9;
	q2 = step(l, "reopen", o->open(name, O_RDONLY | O_CREAT | O_NONBLOCK,
				       0600, &a));
	if (q2 >= 0 && o->getattr(q2, &a) == 0)
		note(l, "reopen keeps %ld %ld %ld %ld", a.mq_maxmsg,
		     a.mq_msgsize, a.mq_flags, a.mq_curmsgs);
	if (q2 >= 0)
		note(l, "cloexec %d", !!(fcntl(q2, F_GETFD) & FD_CLOEXEC));
	if (q >= 0)
		o->close(q);
	if (q2 >= 0)
		o->close(q2);
	step(l, "unlink", o->unlink(name));
	step(l, "unlink again", o->unlink(name));
}

static void check_messages(struct __test_metadata *_metadata, struct log *l)
{
	EXPECT_LOG(l, "got 'p9' prio 9");
	EXPECT_LOG(l, "got 'p5a' prio 5");
	EXPECT_LOG(l, "got 'p0' prio 0");
	EXPECT_LOG(l, "small buffer=-1 EMSGSIZE");
	EXPECT_LOG(l, "too long=-1 EMSGSIZE");
	EXPECT_LOG(l, "prio max=-1 EINVAL");
	EXPECT_LOG(l, "full=-1 EAGAIN");
	EXPECT_LOG(l, "empty=-1 EAGAIN");
	EXPECT_LOG(l, "curmsgs 3");
}

SCENARIO(messages)
{
	struct mq_attr a = { .mq_maxmsg = 3, .mq_msgsize = 16 };
	char name[64], buf[32];
	unsigned int prio;
	ssize_t n;
	int q, i;

	qname(name, sizeof(name), o, "msg");
	q = step(l, "open", o->open(name, O_RDWR | O_CREAT | O_NONBLOCK, 0600,
				    &a));
	if (q < 0)
		return;
	step(l, "send p0", o->send(q, "p0", 2, 0));
	step(l, "send p5a", o->send(q, "p5a", 3, 5));
	step(l, "prio max", o->send(q, "x", 1, MQ_PRIO_MAX));
	step(l, "too long", o->send(q, buf, 17, 1));
	step(l, "send p9", o->send(q, "p9", 2, 9));
	step(l, "full", o->send(q, "p5b", 3, 5));
	if (o->getattr(q, &a) == 0)
		note(l, "curmsgs %ld", a.mq_curmsgs);
	step(l, "small buffer", o->receive(q, buf, 15, &prio));
	for (i = 0; i < 3; i++) {
		prio = 77;
		n = step(l, "receive", o->receive(q, buf, sizeof(buf), &prio));
		if (n >= 0)
			note(l, "got '%.*s' prio %u", (int)n, buf, prio);
	}
	step(l, "empty", o->receive(q, buf, sizeof(buf), NULL));
	/* A zero-length message, and a NULL priority pointer. */
	step(l, "send empty", o->send(q, NULL, 0, 3));
	n = step(l, "receive empty", o->receive(q, buf, sizeof(buf), NULL));
	note(l, "length %zd", n);
	o->close(q);
	o->unlink(name);
}

static void check_timeouts(struct __test_metadata *_metadata, struct log *l)
{
	EXPECT_LOG(l, "send past, room=ok");
	EXPECT_LOG(l, "send past, full=-1 ETIMEDOUT");
	EXPECT_LOG(l, "nsec -1=-1 EINVAL");
	EXPECT_LOG(l, "nsec 1e9=-1 EINVAL");
	EXPECT_LOG(l, "sec -1=-1 EINVAL");
	EXPECT_LOG(l, "receive 30 ms=-1 ETIMEDOUT");
	EXPECT_LOG(l, "waited enough 1");
	EXPECT_LOG(l, "time_t max, has one=ok");
}

SCENARIO(timeouts)
{
	struct mq_attr a = { .mq_maxmsg = 1, .mq_msgsize = 8 };
	struct timespec ts = { 0 }, t0, t1;
	char name[64], buf[8];
	int q;

	qname(name, sizeof(name), o, "time");
	q = step(l, "open", o->open(name, O_RDWR | O_CREAT, 0600, &a));
	if (q < 0)
		return;
	ts.tv_sec = 1;	/* 1970: long past */
	step(l, "send past, room", o->timedsend(q, "a", 1, 0, &ts));
	step(l, "send past, full", o->timedsend(q, "b", 1, 0, &ts));
	ts.tv_nsec = -1;
	step(l, "nsec -1", o->timedreceive(q, buf, 8, NULL, &ts));
	ts.tv_nsec = 1000000000L;
	step(l, "nsec 1e9", o->timedsend(q, "c", 1, 0, &ts));
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	step(l, "sec -1", o->timedreceive(q, buf, 8, NULL, &ts));
	ts.tv_sec = (time_t)LONG_MAX;
	step(l, "time_t max, has one", o->timedreceive(q, buf, 8, NULL, &ts));
	ts = in_ms(30);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	step(l, "receive 30 ms", o->timedreceive(q, buf, 8, NULL, &ts));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	note(l, "waited enough %d",
	     (t1.tv_sec - t0.tv_sec) * 1000000000L + t1.tv_nsec - t0.tv_nsec >=
	     25000000L);
	o->close(q);
	o->unlink(name);
}

static void check_bad_descriptors(struct __test_metadata *_metadata,
				  struct log *l)
{
	EXPECT_LOG(l, "send on O_RDONLY=-1 EBADF");
	EXPECT_LOG(l, "receive on O_WRONLY=-1 EBADF");
	EXPECT_LOG(l, "getattr -1=-1 EBADF");
	EXPECT_LOG(l, "send on a pipe=-1 EBADF");
	EXPECT_LOG(l, "receive on a pipe=-1 EBADF");
	EXPECT_LOG(l, "getattr on a pipe=-1 EBADF");
	EXPECT_LOG(l, "notify on a pipe=-1 EBADF");
	EXPECT_LOG(l, "send on closed=-1 EBADF");
	EXPECT_LOG(l, "close -1=-1 EBADF");
}

SCENARIO(bad_descriptors)
{
	struct mq_attr a;
	char name[64], buf[8192];
	int r, w, p[2];

	qname(name, sizeof(name), o, "badf");
	r = step(l, "open r", o->open(name, O_RDONLY | O_CREAT, 0600, NULL));
	w = step(l, "open w", o->open(name, O_WRONLY));
	step(l, "send on O_RDONLY", o->send(r, "x", 1, 0));
	step(l, "receive on O_WRONLY", o->receive(w, buf, sizeof(buf), NULL));
	step(l, "getattr -1", o->getattr(-1, &a));
	step(l, "send -1", o->send(-1, "x", 1, 0));
	if (pipe(p) == 0) {
		/* An open descriptor that is no queue: queue + 1, say. */
		step(l, "send on a pipe", o->send(p[1], "x", 1, 0));
		step(l, "receive on a pipe", o->receive(p[0], buf, sizeof(buf),
							NULL));
		step(l, "getattr on a pipe", o->getattr(p[0], &a));
		step(l, "notify on a pipe", o->notify(p[0], NULL));
		close(p[0]);
		close(p[1]);
	}
	o->close(w);
	step(l, "send on closed", o->send(w, "x", 1, 0));
	step(l, "close -1", o->close(-1));
	o->close(r);
	o->unlink(name);
}

static void check_attrs(struct __test_metadata *_metadata, struct log *l)
{
	EXPECT_LOG(l, "old flags 0");
	EXPECT_LOG(l, "now flags 2048");
	EXPECT_LOG(l, "nonblocking empty=-1 EAGAIN");
	EXPECT_LOG(l, "bad flags=-1 EINVAL");
	EXPECT_LOG(l, "dup sees 2048");
}

SCENARIO(attrs)
{
	struct mq_attr a = { .mq_maxmsg = 2, .mq_msgsize = 8 }, old, set = { 0 };
	char name[64], buf[8];
	int q, d;

	qname(name, sizeof(name), o, "attr");
	q = step(l, "open", o->open(name, O_RDWR | O_CREAT, 0600, &a));
	if (q < 0)
		return;
	set.mq_flags = O_NONBLOCK;
	set.mq_maxmsg = 99;	/* ignored */
	step(l, "setattr", o->setattr(q, &set, &old));
	note(l, "old flags %ld max %ld size %ld", old.mq_flags, old.mq_maxmsg,
	     old.mq_msgsize);
	note(l, "old flags %ld", old.mq_flags);
	o->getattr(q, &a);
	note(l, "now flags %ld max %ld", a.mq_flags, a.mq_maxmsg);
	note(l, "now flags %ld", a.mq_flags);
	step(l, "nonblocking empty", o->receive(q, buf, 8, NULL));
	set.mq_flags = O_NONBLOCK | O_APPEND;
	step(l, "bad flags", o->setattr(q, &set, NULL));
	/* The flag is the open file description's: a dup sees it. */
	d = dup(q);
	o->getattr(d, &a);
	note(l, "dup sees %ld", a.mq_flags);
	close(d);
	set.mq_flags = 0;
	step(l, "setattr back", o->setattr(q, &set, NULL));
	o->close(q);
	o->unlink(name);
}

static void check_unlinked_open(struct __test_metadata *_metadata,
				struct log *l)
{
	EXPECT_LOG(l, "open after unlink=-1 ENOENT");
	EXPECT_LOG(l, "got 'still'");
	EXPECT_LOG(l, "child got 'fork'");
}

SCENARIO(unlinked_open)
{
	char name[64], buf[8192];
	ssize_t n;
	pid_t pid;
	int q, st;

	qname(name, sizeof(name), o, "unl");
	q = step(l, "open", o->open(name, O_RDWR | O_CREAT, 0600, NULL));
	if (q < 0)
		return;
	step(l, "unlink", o->unlink(name));
	step(l, "open after unlink", o->open(name, O_RDWR));
	step(l, "send", o->send(q, "still", 5, 0));
	n = o->receive(q, buf, sizeof(buf), NULL);
	note(l, "got '%.*s'", (int)(n > 0 ? n : 0), buf);
	/* A child inherits the descriptor: the queue is in the kernel. */
	step(l, "send for child", o->send(q, "fork", 4, 0));
	pid = fork();
	if (pid == 0) {
		n = o->receive(q, buf, sizeof(buf), NULL);
		_exit(n == 4 && !memcmp(buf, "fork", 4) ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	note(l, "child got 'fork' %d", WIFEXITED(st) && !WEXITSTATUS(st));
	note(l, "child got 'fork'");
	o->close(q);
}

/* The queue's memory is reached by the kernel: bad pointers are EFAULT. */
static void check_faults(struct __test_metadata *_metadata, struct log *l)
{
	EXPECT_LOG(l, "send from bad=-1 EFAULT");
	EXPECT_LOG(l, "receive into bad=-1 EFAULT");
	EXPECT_LOG(l, "getattr into bad=-1 EFAULT");
	EXPECT_LOG(l, "timeout bad=-1 EFAULT");
	EXPECT_LOG(l, "setattr from bad=-1 EFAULT");
	EXPECT_LOG(l, "attr bad=-1 EFAULT");
}

SCENARIO(faults)
{
	void *bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	char name[64], buf[8192];
	int q;

	qname(name, sizeof(name), o, "flt");
	step(l, "attr bad", o->open(name, O_RDWR | O_CREAT, 0600, bad));
	q = step(l, "open", o->open(name, O_RDWR | O_CREAT, 0600, NULL));
	if (q < 0)
		return;
	step(l, "send from bad", o->send(q, bad, 10, 0));
	step(l, "getattr into bad", o->getattr(q, bad));
	step(l, "setattr from bad", o->setattr(q, bad, NULL));
	step(l, "timeout bad", o->timedreceive(q, buf, sizeof(buf), NULL, bad));
	step(l, "send", o->send(q, "x", 1, 0));
	step(l, "receive into bad", o->receive(q, bad, 8192, NULL));
	o->close(q);
	o->unlink(name);
	munmap(bad, 4096);
}

static volatile sig_atomic_t got_sig;
static siginfo_t got_info;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	got_info = *si;
	got_sig = sig;
}

static pthread_mutex_t thr_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t thr_cond = PTHREAD_COND_INITIALIZER;
static int thr_value;

static void on_thread(union sigval v)
{
	pthread_mutex_lock(&thr_lock);
	thr_value = v.sival_int;
	pthread_cond_signal(&thr_cond);
	pthread_mutex_unlock(&thr_lock);
}

static void check_notify(struct __test_metadata *_metadata, struct log *l)
{
	EXPECT_LOG(l, "signal 1 code SI_MESGQ pid ok uid ok value 42");
	EXPECT_LOG(l, "second registrant=-1 EBUSY");
	EXPECT_LOG(l, "child registers after removal 0");
	EXPECT_LOG(l, "thread ran with 7");
	EXPECT_LOG(l, "bad sigev_notify=-1 EINVAL");
	EXPECT_LOG(l, "no signal while not empty 1");
}

SCENARIO(notify)
{
	struct sigaction sa = { .sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO };
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL,
				.sigev_signo = SIGUSR1 };
	char name[64], buf[8192];
	struct timespec ts;
	pid_t pid;
	int q, st, i;

	qname(name, sizeof(name), o, "ntf");
	sigaction(SIGUSR1, &sa, NULL);
	q = step(l, "open", o->open(name, O_RDWR | O_CREAT, 0600, NULL));
	if (q < 0)
		return;
	sev.sigev_value.sival_int = 42;
	step(l, "register", o->notify(q, &sev));
	pid = fork();
	if (pid == 0) {
		/* Another process: EBUSY; then the sender. */
		_exit(o->notify(q, &sev) == -1 && errno == EBUSY &&
		      o->send(q, "n", 1, 0) == 0 ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	note(l, "second registrant=-1 %s",
	     WIFEXITED(st) && !WEXITSTATUS(st) ? "EBUSY" : "?");
	for (i = 0; i < 500 && !got_sig; i++)
		usleep(2000);
	note(l, "signal %d code %s pid %s uid %s value %d", got_sig == SIGUSR1,
	     got_info.si_code == SI_MESGQ ? "SI_MESGQ" : "?",
	     got_info.si_pid == pid ? "ok" : "bad",
	     got_info.si_uid == getuid() ? "ok" : "bad",
	     got_info.si_value.sival_int);
	got_sig = 0;

	/* Used up; register again while a message is queued: no signal. */
	step(l, "register again", o->notify(q, &sev));
	step(l, "send second", o->send(q, "m", 1, 0));
	usleep(20000);
	note(l, "no signal while not empty %d", !got_sig);
	o->receive(q, buf, sizeof(buf), NULL);
	o->receive(q, buf, sizeof(buf), NULL);
	step(l, "remove", o->notify(q, NULL));
	pid = fork();
	if (pid == 0)
		_exit(o->notify(q, &sev) == 0 ? 0 : 1);
	waitpid(pid, &st, 0);
	note(l, "child registers after removal %d",
	     WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	/* The child has exited (closing its descriptors): free again. */

	sev.sigev_notify = 99;
	step(l, "bad sigev_notify", o->notify(q, &sev));

	sev.sigev_notify = SIGEV_THREAD;
	sev.sigev_notify_function = on_thread;
	sev.sigev_notify_attributes = NULL;
	sev.sigev_value.sival_int = 7;
	thr_value = 0;
	step(l, "register thread", o->notify(q, &sev));
	step(l, "send for thread", o->send(q, "t", 1, 0));
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 5;
	pthread_mutex_lock(&thr_lock);
	while (!thr_value &&
	       pthread_cond_timedwait(&thr_cond, &thr_lock, &ts) == 0)
		;
	note(l, "thread ran with %d", thr_value);
	pthread_mutex_unlock(&thr_lock);

	sev.sigev_notify = SIGEV_NONE;
	step(l, "register none", o->notify(q, &sev));
	step(l, "none again", o->notify(q, &sev));
	o->close(q);
	o->unlink(name);
	signal(SIGUSR1, SIG_DFL);
}

static void check_not_owner(struct __test_metadata *_metadata, struct log *l)
{
	EXPECT_LOG(l, "open for reading=-1 EACCES");
	EXPECT_LOG(l, "open for writing=ok");
	EXPECT_LOG(l, "unlink by another=EACCES");
}

/* Another user: the mode decides opens; only the owner unlinks. */
SCENARIO(not_owner)
{
	char name[64];
	pid_t pid;
	int q, st;

	qname(name, sizeof(name), o, "own");
	st = umask(0);
	q = step(l, "open", o->open(name, O_RDWR | O_CREAT, 0622, NULL));
	umask(st);
	if (q < 0)
		return;
	pid = fork();
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(99);
		_exit(o->open(name, O_RDONLY) >= 0 ? 0 : errno);
	}
	waitpid(pid, &st, 0);
	note(l, "open for reading=-1 %s", WEXITSTATUS(st) == EACCES ? "EACCES" :
	     "?");
	pid = fork();
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(99);
		_exit(o->open(name, O_WRONLY) >= 0 ? 0 : errno);
	}
	waitpid(pid, &st, 0);
	note(l, "open for writing=%s", WEXITSTATUS(st) ? "-1" : "ok");
	pid = fork();
	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(99);
		_exit(o->unlink(name) == 0 ? 0 : errno);
	}
	waitpid(pid, &st, 0);
	note(l, "unlink by another=%s", strerrorname_np(WEXITSTATUS(st)) ?: "ok");
	o->close(q);
	step(l, "unlink by owner", o->unlink(name));
}

/* An fs.mqueue setting: the old value; -1 if it cannot be read. */
static long mq_sysctl(const char *name, long val)
{
	char path[64];
	long old = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/fs/mqueue/%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &old) != 1)
		old = -1;
	fclose(f);
	f = val >= 0 ? fopen(path, "w") : NULL;
	if (f) {
		fprintf(f, "%ld", val);
		fclose(f);
	}
	return old;
}

/* The errno of a create as nobody (0: it worked). */
static int nobody_creates(const struct mq_ops *o, const char *name,
			  long maxmsg, long msgsize)
{
	struct mq_attr a = { .mq_maxmsg = maxmsg, .mq_msgsize = msgsize };
	pid_t pid = fork();
	int st, q;

	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(255);
		q = o->open(name, O_RDWR | O_CREAT, 0600, &a);
		_exit(q < 0 ? errno : 0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void check_sysctls(struct __test_metadata *_metadata, struct log *l)
{
	EXPECT_LOG(l, "NULL attr 4 300");
	EXPECT_LOG(l, "root over msg_max=ok");
	EXPECT_LOG(l, "nobody: over msg_max EINVAL, over msgsize_max EINVAL, queues_max ENOSPC");
}

/*
 * The fs.mqueue settings of the IPC namespace: defaults for a NULL attr,
 * and the bounds an unprivileged creator is held to.
 */
SCENARIO(sysctls)
{
	static const char *const names[] = {
		"msg_default", "msgsize_default", "msg_max", "msgsize_max",
		"queues_max",
	};
	struct mq_attr a = { .mq_maxmsg = 7, .mq_msgsize = 100 };
	long saved[5];
	char name[64];
	unsigned int i;
	int q, e[3];

	for (i = 0; i < 5; i++)
		saved[i] = mq_sysctl(names[i], -1);
	mq_sysctl("msg_max", 6);
	mq_sysctl("msgsize_max", 4096);
	mq_sysctl("msg_default", 4);
	mq_sysctl("msgsize_default", 300);
	qname(name, sizeof(name), o, "sys");
	q = step(l, "NULL attr", o->open(name, O_RDWR | O_CREAT, 0666, NULL));
	if (q >= 0 && o->getattr(q, &a) == 0)
		note(l, "NULL attr %ld %ld", a.mq_maxmsg, a.mq_msgsize);
	if (q >= 0)
		o->close(q);
	o->unlink(name);
	a.mq_maxmsg = 7;
	a.mq_msgsize = 100;
	q = step(l, "root over msg_max", o->open(name, O_RDWR | O_CREAT, 0666, &a));
	if (q >= 0)
		o->close(q);
	o->unlink(name);

	e[0] = nobody_creates(o, name, 7, 100);
	e[1] = nobody_creates(o, name, 6, 4097);
	/* queues_max comes first, whatever the sizes. */
	mq_sysctl("queues_max", 0);
	e[2] = nobody_creates(o, name, 6, 4097);
	note(l, "nobody: over msg_max %s, over msgsize_max %s, queues_max %s",
	     strerrorname_np(e[0]) ?: "?", strerrorname_np(e[1]) ?: "?",
	     strerrorname_np(e[2]) ?: "?");
	for (i = 0; i < 5; i++)
		if (saved[i] >= 0)
			mq_sysctl(names[i], saved[i]);
}

/*
 * A program built against the C library alone, started with
 * LD_PRELOAD=libmbox-mq.so.1, makes its queue a mailbox: the library's
 * mq_*() are unversioned so that they stand in for glibc's versioned ones.
 */
TEST(ld_preload)
{
	char helper[4096], name[64], buf[8192], *slash;
	unsigned int prio = 0;
	ssize_t len;
	pid_t pid;
	int st, q;

	if (access("/dev/mbox", F_OK))
		SKIP(return, "/dev/mbox not found (module not loaded)");
	len = readlink("/proc/self/exe", helper, sizeof(helper) - 32);
	ASSERT_LT(0, len);
	helper[len] = '\0';
	slash = strrchr(helper, '/');
	ASSERT_NE(NULL, slash);
	strcpy(slash + 1, "preload_helper");
	if (access(helper, X_OK))
		SKIP(return, "preload_helper not built");
	snprintf(name, sizeof(name), "/mqt.%d.preload", (int)getpid());
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		setenv("LD_PRELOAD", "libmbox-mq.so.1", 1);
		execl(helper, helper, name, (char *)NULL);
		_exit(127);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* Through libmbox-mq, here: only an mbox queue has it. */
	q = mq_open(name, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, q);
	ASSERT_EQ(9, mq_receive(q, buf, sizeof(buf), &prio))
		TH_LOG("%s", strerror(errno));
	EXPECT_EQ(3U, prio);
	EXPECT_EQ(0, mq_close(q));
	EXPECT_EQ(0, mq_unlink(name));
}

TEST_HARNESS_MAIN
