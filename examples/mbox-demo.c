// SPDX-License-Identifier: MIT
/*
 * mbox-demo: separate processes talking through mailboxes with libmbox.
 *
 * Part 1, rendezvous (capacity 0): a client sends requests to a server
 * through one mailbox and gets replies through a second. Every send waits
 * until the other side has taken the message, so the client's sends take
 * as long as the server dawdles before receiving.
 *
 * Part 2, bounded (capacity 4): producers fill a mailbox, one is refused
 * (EAGAIN, ETIMEDOUT) and then blocks while it is full, the consumer makes
 * room, a shutdown fails a blocked sender with EPIPE and the consumer
 * drains what is queued, then gets EPIPE.
 *
 * Every process prints what it did with its pid; the receivers print the
 * sender's pid, uid and the delivery sequence number the kernel reported.
 * The processes are ordered by the messages themselves (plus waitpid), so
 * the output comes in the same order every run; only the times vary.
 * Exit status 0 means every check passed: each message arrived exactly
 * once, in order, from the expected sender.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libmbox.h>

#define REQUESTS	3
#define SERVER_DELAY_MS	200	/* the server's pause before each receive */
#define JOBS_CAPACITY	4
#define MSG_MAX		64

static const char *role = "main";
static int failures;

static void say(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("[%-10s %6d] %s\n", role, (int)getpid(), line);
}

static void check(int ok, const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (ok)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("[%-10s %6d] CHECK FAILED: %s\n", role, (int)getpid(), line);
	failures++;
}

/* "EAGAIN (Resource temporarily unavailable)": the name, then the text. */
static const char *errstr(int err)
{
	static char buf[96];
	const char *name = strerrorname_np(err);

	snprintf(buf, sizeof(buf), "%s (%s)", name ? name : "?", strerror(err));
	return buf;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Start a child process playing @name; it runs @fn and exits with 0 only
 * if all of its checks passed. */
static pid_t spawn(const char *name, void (*fn)(void *), void *arg)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("mbox-demo: fork");
		exit(1);
	}
	if (pid == 0) {
		role = name;
		failures = 0;
		alarm(30);	/* never hang a demo run */
		fn(arg);
		fflush(stdout);
		_exit(failures ? 1 : 0);
	}
	return pid;
}

/* Wait for a child; count it as a failure unless it exited 0. */
static void reap(pid_t pid, const char *name)
{
	int status;

	if (waitpid(pid, &status, 0) != pid) {
		check(0, "waitpid(%s): %s", name, strerror(errno));
		return;
	}
	if (WIFSIGNALED(status))
		check(0, "%s (pid %d) killed by signal %d", name, (int)pid,
		      WTERMSIG(status));
	else
		check(WEXITSTATUS(status) == 0, "%s (pid %d) reported failures",
		      name, (int)pid);
}

/* Poll a mailbox's state until @waiting_senders senders block in it. */
static int wait_for_senders(int mb, unsigned int waiting_senders)
{
	struct mbox_stat st;
	int i;

	for (i = 0; i < 5000; i++) {
		if (mbox_stat(mb, &st))
			return -1;
		if (st.waiting_senders == waiting_senders)
			return 0;
		sleep_ms(1);
	}
	errno = ETIMEDOUT;
	return -1;
}

static void show_stat(int mb)
{
	struct mbox_stat st;

	if (mbox_stat(mb, &st)) {
		check(0, "mbox_stat: %s", strerror(errno));
		return;
	}
	say("  stat: capacity %u, queued %u (%llu bytes), sent %llu, received %llu,",
	    st.capacity, st.queued, (unsigned long long)st.queued_bytes,
	    (unsigned long long)st.sent, (unsigned long long)st.received);
	say("        waiting senders %u, waiting receivers %u, shut down: %s",
	    st.waiting_senders, st.waiting_receivers,
	    st.shutdown ? "yes" : "no");
}

/* ------------------------------------------------------------------ */
/* Part 1: client and server over two rendezvous mailboxes             */

struct rendezvous {
	char requests[64];
	char replies[64];
	pid_t server;
};

static void server(void *arg)
{
	struct rendezvous *rv = arg;
	struct mbox_msginfo info;
	char buf[MSG_MAX + 1], want[MSG_MAX], reply[MSG_MAX];
	pid_t client = 0;
	int in, out, i;
	ssize_t n;

	in = mbox_open(rv->requests, O_RDONLY | O_CLOEXEC);
	out = mbox_open(rv->replies, O_WRONLY | O_CLOEXEC);
	if (in < 0 || out < 0) {
		check(0, "mbox_open: %s", strerror(errno));
		return;
	}
	say("opened \"%s\" to receive and \"%s\" to send", rv->requests,
	    rv->replies);

	for (i = 1; i <= REQUESTS; i++) {
		sleep_ms(SERVER_DELAY_MS);	/* keep the client waiting */
		n = mbox_recv(in, buf, MSG_MAX, &info);
		if (n < 0) {
			check(0, "mbox_recv: %s", strerror(errno));
			return;
		}
		buf[n] = '\0';
		snprintf(want, sizeof(want), "ping %d", i);
		snprintf(reply, sizeof(reply), "pong %d", i);
		say("got \"%s\" from pid %d uid %u seq %llu; replying \"%s\"",
		    buf, (int)info.pid, (unsigned int)info.uid,
		    (unsigned long long)info.seq, reply);
		check(!strcmp(buf, want), "expected \"%s\"", want);
		check(info.seq == (uint64_t)i, "expected seq %d", i);
		if (i == 1)
			client = info.pid;
		check(info.pid == client, "requests from two pids");

		if (mbox_send(out, reply, strlen(reply))) {
			check(0, "mbox_send: %s", strerror(errno));
			return;
		}
	}
	mbox_close(in);
	mbox_close(out);
}

static void client(void *arg)
{
	struct rendezvous *rv = arg;
	struct mbox_msginfo info;
	char buf[MSG_MAX + 1], req[MSG_MAX], want[MSG_MAX];
	int out, in, i;
	int64_t t0, waited;
	ssize_t n;

	out = mbox_open(rv->requests, O_WRONLY | O_CLOEXEC);
	in = mbox_open(rv->replies, O_RDONLY | O_CLOEXEC);
	if (in < 0 || out < 0) {
		check(0, "mbox_open: %s", strerror(errno));
		return;
	}

	for (i = 1; i <= REQUESTS; i++) {
		snprintf(req, sizeof(req), "ping %d", i);
		t0 = now_ms();
		if (mbox_send(out, req, strlen(req))) {
			check(0, "mbox_send: %s", strerror(errno));
			return;
		}
		waited = now_ms() - t0;
		n = mbox_recv(in, buf, MSG_MAX, &info);
		if (n < 0) {
			check(0, "mbox_recv: %s", strerror(errno));
			return;
		}
		buf[n] = '\0';
		say("sent \"%s\" (the send waited %lld ms for the server to take it);"
		    " got \"%s\" from pid %d uid %u seq %llu", req,
		    (long long)waited, buf, (int)info.pid,
		    (unsigned int)info.uid, (unsigned long long)info.seq);
		snprintf(want, sizeof(want), "pong %d", i);
		check(!strcmp(buf, want), "expected \"%s\"", want);
		check(info.pid == rv->server, "reply not from the server (pid %d)",
		      (int)rv->server);
		check(info.seq == (uint64_t)i, "expected seq %d", i);
		/* The server sleeps before each receive: we must have waited. */
		check(waited >= SERVER_DELAY_MS / 4,
		      "a rendezvous send returned before the server received");
	}
	mbox_close(out);
	mbox_close(in);
}

static void part_rendezvous(void)
{
	struct mbox_attr attr = { .capacity = 0, .msg_size = MSG_MAX, .mode = 0600 };
	struct rendezvous rv;
	struct mbox_stat st;
	int req, rep, ret, err;
	pid_t cl;

	printf("\n== Part 1: a rendezvous mailbox (capacity 0): client and server ==\n");
	snprintf(rv.requests, sizeof(rv.requests), "mbox-demo.%d.requests", (int)getpid());
	snprintf(rv.replies, sizeof(rv.replies), "mbox-demo.%d.replies", (int)getpid());

	req = mbox_create(rv.requests, &attr, O_RDWR | O_CLOEXEC);
	if (req < 0) {
		check(0, "mbox_create(\"%s\"): %s", rv.requests, strerror(errno));
		return;
	}
	rep = mbox_create(rv.replies, &attr, O_RDWR | O_CLOEXEC);
	if (rep < 0) {
		check(0, "mbox_create(\"%s\"): %s", rv.replies, strerror(errno));
		mbox_unlink(rv.requests);
		mbox_close(req);
		return;
	}
	say("created rendezvous mailboxes \"%s\" and \"%s\"", rv.requests, rv.replies);

	/* Nobody is receiving yet: a send that may not wait is refused and
	 * leaves nothing behind. */
	errno = 0;
	ret = mbox_trysend(req, "early", 5);
	err = errno;
	say("trysend \"early\" with no receiver waiting: %s; nothing is left on offer",
	    ret ? errstr(err) : "sent");
	check(ret == -1 && err == EAGAIN, "expected EAGAIN");
	check(!mbox_stat(req, &st) && st.waiting_senders == 0 && st.sent == 0,
	      "a refused rendezvous send left something behind");

	rv.server = spawn("server", server, &rv);
	cl = spawn("client", client, &rv);
	reap(cl, "client");
	reap(rv.server, "server");

	say("the requests mailbox after the exchange:");
	show_stat(req);

	check(!mbox_unlink(rv.requests), "mbox_unlink: %s", strerror(errno));
	check(!mbox_unlink(rv.replies), "mbox_unlink: %s", strerror(errno));
	mbox_close(req);
	mbox_close(rep);
	say("unlinked and closed both mailboxes");
}

/* ------------------------------------------------------------------ */
/* Part 2: producers and a consumer over a bounded mailbox             */

static char jobs_name[64];
static int jobs_mb = -1;	/* the consumer's fd */
/* A producer writes one byte here just before its blocking send, so the
 * consumer knows which send the waiting_senders count it sees belongs to. */
static int ready_pipe[2] = { -1, -1 };

static void tell_ready(void)
{
	if (write(ready_pipe[1], "r", 1) != 1)
		check(0, "write(ready pipe): %s", strerror(errno));
}

/* Wait for a producer's tell_ready() and then for it to block in send. */
static void wait_blocked(const char *name)
{
	char c;

	if (read(ready_pipe[0], &c, 1) != 1) {
		check(0, "%s never got to its blocking send", name);
		return;
	}
	check(!wait_for_senders(jobs_mb, 1), "%s never blocked", name);
}

static int open_jobs(void)
{
	int mb = mbox_open(jobs_name, O_WRONLY | O_CLOEXEC);

	if (mb < 0)
		check(0, "mbox_open(\"%s\"): %s", jobs_name, strerror(errno));
	return mb;
}

/* Fills the mailbox: jobs 1..capacity go in without waiting. */
static void producer_fill(void *arg)
{
	char msg[MSG_MAX];
	int mb, i;

	(void)arg;
	mb = open_jobs();
	if (mb < 0)
		return;
	for (i = 1; i <= JOBS_CAPACITY; i++) {
		snprintf(msg, sizeof(msg), "job %d", i);
		if (mbox_send(mb, msg, strlen(msg))) {
			check(0, "mbox_send(\"%s\"): %s", msg, strerror(errno));
			return;
		}
		say("sent \"%s\" (queued at once)", msg);
	}
	mbox_close(mb);
}

/* Finds the mailbox full: refused, timed out, then blocks until room. */
static void producer_block(void *arg)
{
	const char *msg = arg;
	int64_t t0, waited;
	int mb, ret, err;

	mb = open_jobs();
	if (mb < 0)
		return;

	errno = 0;
	ret = mbox_trysend(mb, msg, strlen(msg));
	err = errno;
	say("trysend \"%s\": %s", msg, ret ? errstr(err) : "sent");
	check(ret == -1 && err == EAGAIN, "expected EAGAIN: the mailbox is full");

	t0 = now_ms();
	errno = 0;
	ret = mbox_timedsend(mb, msg, strlen(msg), 100 * 1000000LL);
	err = errno;
	waited = now_ms() - t0;
	say("timedsend \"%s\" with a 100 ms timeout: %s after %lld ms", msg,
	    ret ? errstr(err) : "sent", (long long)waited);
	check(ret == -1 && err == ETIMEDOUT && waited >= 100,
	      "expected ETIMEDOUT after at least 100 ms");

	say("send \"%s\": waiting for room...", msg);
	tell_ready();
	t0 = now_ms();
	if (mbox_send(mb, msg, strlen(msg))) {
		check(0, "mbox_send(\"%s\"): %s", msg, strerror(errno));
		return;
	}
	say("send \"%s\" returned after %lld ms: the consumer made room", msg,
	    (long long)(now_ms() - t0));
	mbox_close(mb);
}

/* Blocks on the full mailbox and is failed by the shutdown. */
static void producer_shutdown(void *arg)
{
	const char *msg = arg;
	int mb, ret, err;

	mb = open_jobs();
	if (mb < 0)
		return;
	say("send \"%s\": waiting for room...", msg);
	tell_ready();
	errno = 0;
	ret = mbox_send(mb, msg, strlen(msg));
	err = errno;
	say("send \"%s\": %s; the message was not delivered", msg,
	    ret ? errstr(err) : "sent");
	check(ret == -1 && err == EPIPE, "expected EPIPE after the shutdown");
	mbox_close(mb);
}

struct expect {
	const char *text;
	pid_t pid;
};

/*
 * Receive one message and check it is the next one expected. If @unblocked
 * is a producer that this receive lets finish its send, reap it first so
 * its report prints before ours.
 */
static int consume(int mb, const struct expect *e, uint64_t seq,
		   pid_t unblocked, const char *unblocked_name)
{
	struct mbox_msginfo info;
	char buf[MSG_MAX + 1];
	ssize_t n;

	n = mbox_recv(mb, buf, MSG_MAX, &info);
	if (n < 0) {
		check(0, "mbox_recv: %s (expected \"%s\")", strerror(errno), e->text);
		return -1;
	}
	buf[n] = '\0';
	if (unblocked > 0)
		reap(unblocked, unblocked_name);
	say("received \"%s\" from pid %d uid %u seq %llu", buf, (int)info.pid,
	    (unsigned int)info.uid, (unsigned long long)info.seq);
	check(!strcmp(buf, e->text), "expected \"%s\"", e->text);
	check(info.pid == e->pid, "expected sender pid %d", (int)e->pid);
	check(info.uid == geteuid(), "expected sender uid %u",
	      (unsigned int)geteuid());
	check(info.seq == seq, "expected seq %llu", (unsigned long long)seq);
	return 0;
}

static void part_bounded(void)
{
	struct mbox_attr attr = {
		.capacity = JOBS_CAPACITY, .msg_size = MSG_MAX, .mode = 0600,
	};
	struct expect expect[JOBS_CAPACITY + 1];
	char texts[JOBS_CAPACITY][16];
	struct mbox_stat st;
	pid_t p1, p2, p3;
	uint64_t seq = 0;
	int mb, i;

	printf("\n== Part 2: a bounded mailbox (capacity %d): producers and a consumer ==\n",
	       JOBS_CAPACITY);
	role = "consumer";
	snprintf(jobs_name, sizeof(jobs_name), "mbox-demo.%d.jobs", (int)getpid());
	mb = mbox_create(jobs_name, &attr, O_RDWR | O_CLOEXEC);
	if (mb < 0) {
		check(0, "mbox_create(\"%s\"): %s", jobs_name, strerror(errno));
		return;
	}
	say("created \"%s\": capacity %d, messages up to %d bytes", jobs_name,
	    JOBS_CAPACITY, MSG_MAX);
	jobs_mb = mb;
	if (pipe2(ready_pipe, O_CLOEXEC)) {
		check(0, "pipe2: %s", strerror(errno));
		goto out;
	}

	/* producer-1 fills the mailbox. */
	p1 = spawn("producer-1", producer_fill, NULL);
	reap(p1, "producer-1");
	for (i = 0; i < JOBS_CAPACITY; i++) {
		snprintf(texts[i], sizeof(texts[i]), "job %d", i + 1);
		expect[i] = (struct expect){ texts[i], p1 };
	}
	say("the mailbox is full:");
	show_stat(mb);

	/* producer-2 finds it full and ends up blocked in mbox_send(). */
	p2 = spawn("producer-2", producer_block, "job 5");
	expect[JOBS_CAPACITY] = (struct expect){ "job 5", p2 };
	wait_blocked("producer-2");
	sleep_ms(200);
	say("producer-2 is blocked:");
	show_stat(mb);

	/* Taking one message lets producer-2's send complete. */
	if (consume(mb, &expect[0], ++seq, p2, "producer-2"))
		goto out;

	/* producer-3 blocks on the full mailbox; the shutdown fails it. */
	p3 = spawn("producer-3", producer_shutdown, "job 6");
	wait_blocked("producer-3");
	say("shutting the mailbox down (producer-3 is blocked in send)");
	check(!mbox_shutdown(mb), "mbox_shutdown: %s", strerror(errno));
	reap(p3, "producer-3");
	show_stat(mb);

	/* After the shutdown the queue still drains, in order; then EPIPE. */
	for (i = 1; i <= JOBS_CAPACITY; i++)
		if (consume(mb, &expect[i], ++seq, 0, NULL))
			goto out;
	{
		char buf[MSG_MAX];
		ssize_t n;
		int err;

		errno = 0;
		n = mbox_recv(mb, buf, sizeof(buf), NULL);
		err = errno;
		say("recv: %s: shut down and drained", n < 0 ? errstr(err) : "a message?!");
		check(n == -1 && err == EPIPE, "expected EPIPE");
	}

	if (!mbox_stat(mb, &st)) {
		check(st.sent == JOBS_CAPACITY + 1 && st.received == JOBS_CAPACITY + 1 &&
		      st.queued == 0 && st.queued_bytes == 0 && st.shutdown,
		      "final counters: sent %llu received %llu queued %u",
		      (unsigned long long)st.sent,
		      (unsigned long long)st.received, st.queued);
	}
	show_stat(mb);
out:
	/* Already shut down unless a check failed: then this releases any
	 * producer still blocked. */
	mbox_shutdown(mb);
	check(!mbox_unlink(jobs_name), "mbox_unlink: %s", strerror(errno));
	mbox_close(mb);
	close(ready_pipe[0]);
	close(ready_pipe[1]);
	say("unlinked and closed \"%s\"", jobs_name);
}

int main(void)
{
	struct mbox_info info;

	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(60);
	umask(022);

	if (mbox_get_info(&info)) {
		int err = errno;

		fprintf(stderr, "mbox-demo: cannot use /dev/mbox: %s%s\n",
			strerror(err), err == ENOENT ?
			" (is the mbox module loaded? try: modprobe mbox)" : "");
		return 1;
	}
	printf("mbox ABI version %u: names up to %u bytes; at most %u mailboxes,"
	       " capacity %u, messages of %u bytes; %u mailboxes exist now\n",
	       info.version, info.name_max, info.max_mailboxes,
	       info.max_capacity, info.max_msg_size, info.nr_mailboxes);

	part_rendezvous();
	part_bounded();

	role = "main";
	if (failures) {
		printf("\nmbox-demo: %d check(s) FAILED\n", failures);
		return 1;
	}
	printf("\nmbox-demo: all checks passed: every message arrived exactly once,"
	       " in order, from the right sender\n");
	return 0;
}
