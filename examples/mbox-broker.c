// SPDX-License-Identifier: MIT
/*
 * mbox-broker: one event loop over many mailboxes with epoll.
 *
 * CLIENTS client processes each put JOBS requests ("square this number")
 * into their own request mailbox and then shut it down: "no more". A
 * broker waits on all request mailboxes, the workers' job mailboxes and
 * one results mailbox at once with edge-triggered epoll and never blocks
 * in a send or receive (mbox_trysend/mbox_tryrecv): it hands each request
 * to a worker with room in its job mailbox (round robin), holding requests
 * back while every job mailbox is full until epoll says one has room
 * again, and forwards each result to the reply mailbox of the client that
 * asked. WORKERS worker processes receive from their own job mailbox
 * (blocking) until the broker shuts it down.
 *
 * All mailboxes are anonymous (mbox_create(NULL, ...)) and reach the
 * children by fork(). Each process prints what it did; the exit status is
 * 0 only if every request was answered exactly once, correctly, each
 * request came from the client it names (the kernel's sender pid), each
 * result from a worker, and every process exited cleanly.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libmbox.h>

#define CLIENTS		3
#define WORKERS		2
#define JOBS		4	/* requests per client */
#define TOTAL		(CLIENTS * JOBS)
#define REQ_CAPACITY	2	/* small, so clients wait for the broker */
#define JOB_CAPACITY	1	/* smaller, so the broker must hold jobs back */

struct msg {
	int client;		/* 0..CLIENTS-1 */
	int job;		/* 0..JOBS-1 */
	int worker;		/* in results: who computed it */
	long x;			/* the number to square */
	long y;			/* in results: x * x */
};

/* Every mailbox, created by main() before forking. */
static int req[CLIENTS], reply[CLIENTS], jobs[WORKERS], results;
static pid_t client_pid[CLIENTS], worker_pid[WORKERS];

static char role[32] = "broker";
static int failures;

static void say(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("[%-8s %6d] %s\n", role, (int)getpid(), line);
	fflush(stdout);
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
	say("CHECK FAILED: %s", line);
	failures++;
}

static long job_value(int client, int job)
{
	return 10 * (client + 1) + job;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* ------------------------------------------------------------------ */

static void client(int c)
{
	struct mbox_msginfo info;
	struct msg m;
	int got[JOBS] = { 0 }, j;
	ssize_t n;

	for (j = 0; j < JOBS; j++) {
		memset(&m, 0, sizeof(m));
		m.client = c;
		m.job = j;
		m.x = job_value(c, j);
		/* Blocks while REQ_CAPACITY requests wait for the broker. */
		if (mbox_send(req[c], &m, sizeof(m))) {
			check(0, "mbox_send: %s", strerror(errno));
			return;
		}
		say("request %d.%d: %ld squared?", c, j, m.x);
	}
	/* Like closing a pipe's write end: the broker sees EPIPE once it
	 * has taken every request. */
	mbox_shutdown(req[c]);
	say("sent %d requests, shut my request mailbox down", JOBS);

	for (j = 0; j < JOBS; j++) {
		n = mbox_recv(reply[c], &m, sizeof(m), &info);
		if (n != (ssize_t)sizeof(m)) {
			check(0, "mbox_recv: %s", n < 0 ? strerror(errno) : "short message");
			return;
		}
		check(m.client == c && m.job >= 0 && m.job < JOBS,
		      "reply for %d.%d is not mine", m.client, m.job);
		if (m.client != c || m.job < 0 || m.job >= JOBS)
			continue;
		check(!got[m.job]++, "reply %d.%d came twice", c, m.job);
		check(m.y == m.x * m.x && m.x == job_value(c, m.job),
		      "reply %d.%d: %ld squared is not %ld", c, m.job, m.x, m.y);
		say("reply %d.%d: %ld squared = %ld (worker %d, seq %llu)", c,
		    m.job, m.x, m.y, m.worker, (unsigned long long)info.seq);
	}
}

static void worker(int w)
{
	struct mbox_msginfo info;
	struct msg m;
	int done = 0;
	ssize_t n;

	for (;;) {
		n = mbox_recv(jobs[w], &m, sizeof(m), &info);
		if (n < 0 && errno == EPIPE)
			break;		/* the broker has no more work */
		if (n != (ssize_t)sizeof(m)) {
			check(0, "mbox_recv: %s", n < 0 ? strerror(errno) : "short message");
			return;
		}
		check(info.pid == getppid(), "job from pid %d, not the broker",
		      (int)info.pid);
		sleep_ms(20 + 10 * w);	/* work, at different speeds */
		m.worker = w;
		m.y = m.x * m.x;
		say("job %d.%d: %ld squared = %ld", m.client, m.job, m.x, m.y);
		if (mbox_send(results, &m, sizeof(m))) {
			check(0, "mbox_send(results): %s", strerror(errno));
			return;
		}
		done++;
	}
	say("job mailbox shut down: done after %d jobs", done);
}

/* ------------------------------------------------------------------ */
/* The broker: one epoll loop, no blocking sends or receives           */

/* epoll_event.data.u32: what an fd is. */
#define TAG_REQ		0x100
#define TAG_JOB		0x200
#define TAG_RESULTS	0x300

static struct msg pending[TOTAL];	/* taken from clients, not yet dispatched */
static int npending, head, next_worker;
static int answered[CLIENTS][JOBS];
static int dispatched_to[WORKERS];

/* Hand held-back requests to workers with room; stop when all are full. */
static void dispatch(void)
{
	int tried;

	while (npending) {
		struct msg *m = &pending[head];

		for (tried = 0; tried < WORKERS; tried++) {
			int w = (next_worker + tried) % WORKERS;

			if (mbox_trysend(jobs[w], m, sizeof(*m)) == 0) {
				say("request %d.%d -> worker %d", m->client, m->job, w);
				dispatched_to[w]++;
				next_worker = (w + 1) % WORKERS;
				break;
			}
			if (errno != EAGAIN) {
				check(0, "mbox_trysend(job %d): %s", w, strerror(errno));
				return;
			}
		}
		if (tried == WORKERS) {
			say("every job mailbox is full: holding %d request(s)", npending);
			return;	/* wait for EPOLLOUT on a job mailbox */
		}
		head = (head + 1) % TOTAL;
		npending--;
	}
}

/* Take every request a client has queued; returns 1 at its end of stream. */
static int take_requests(int c)
{
	struct mbox_msginfo info;
	struct msg m;
	ssize_t n;

	for (;;) {
		n = mbox_tryrecv(req[c], &m, sizeof(m), &info);
		if (n < 0 && errno == EAGAIN)
			return 0;	/* edge-triggered: drained, wait for the next edge */
		if (n < 0 && errno == EPIPE)
			return 1;
		if (n != (ssize_t)sizeof(m)) {
			check(0, "mbox_tryrecv(request %d): %s", c,
			      n < 0 ? strerror(errno) : "short message");
			return 1;
		}
		check(m.client == c && info.pid == client_pid[c],
		      "request claiming client %d came from pid %d", m.client,
		      (int)info.pid);
		check(m.x == job_value(c, m.job), "request %d.%d: bad value", c, m.job);
		say("request %d.%d from pid %d (seq %llu), %d held", c, m.job,
		    (int)info.pid, (unsigned long long)info.seq, npending + 1);
		if (npending == TOTAL) {
			check(0, "more requests than expected");
			return 1;
		}
		pending[(head + npending) % TOTAL] = m;
		npending++;
	}
}

/* Forward every result to its client; returns how many. */
static int take_results(void)
{
	struct mbox_msginfo info;
	struct msg m;
	ssize_t n;
	int count = 0, w, from_worker;

	for (;;) {
		n = mbox_tryrecv(results, &m, sizeof(m), &info);
		if (n < 0 && errno == EAGAIN)
			return count;
		if (n != (ssize_t)sizeof(m)) {
			check(0, "mbox_tryrecv(results): %s",
			      n < 0 ? strerror(errno) : "short message");
			return count;
		}
		from_worker = 0;
		for (w = 0; w < WORKERS; w++)
			from_worker |= info.pid == worker_pid[w] && m.worker == w;
		check(from_worker, "result %d.%d from pid %d, not worker %d",
		      m.client, m.job, (int)info.pid, m.worker);
		if (m.client < 0 || m.client >= CLIENTS || m.job < 0 || m.job >= JOBS) {
			check(0, "result for unknown request %d.%d", m.client, m.job);
			continue;
		}
		check(!answered[m.client][m.job]++, "result %d.%d came twice",
		      m.client, m.job);
		/* reply[c] holds JOBS messages: a reply never has to wait. */
		if (mbox_trysend(reply[m.client], &m, sizeof(m)))
			check(0, "mbox_trysend(reply %d): %s", m.client, strerror(errno));
		else
			say("result %d.%d = %ld from worker %d -> client %d",
			    m.client, m.job, m.y, m.worker, m.client);
		count++;
	}
}

static int hung_up(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLHUP);
}

static int add_fd(int ep, int fd, unsigned int events, unsigned int tag)
{
	struct epoll_event ev = { .events = events | EPOLLET, .data.u32 = tag };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static void broker(void)
{
	struct epoll_event ev[16];
	int ep, open_clients = CLIENTS, done = 0, wakeups = 0, events = 0;
	int i, n, c, w;

	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0) {
		check(0, "epoll_create1: %s", strerror(errno));
		return;
	}
	for (c = 0; c < CLIENTS; c++)
		if (add_fd(ep, req[c], EPOLLIN, TAG_REQ | c))
			check(0, "epoll_ctl(request %d): %s", c, strerror(errno));
	for (w = 0; w < WORKERS; w++)
		if (add_fd(ep, jobs[w], EPOLLOUT, TAG_JOB | w))
			check(0, "epoll_ctl(job %d): %s", w, strerror(errno));
	if (add_fd(ep, results, EPOLLIN, TAG_RESULTS))
		check(0, "epoll_ctl(results): %s", strerror(errno));
	if (failures)
		return;
	say("waiting on %d mailboxes with one epoll", CLIENTS + WORKERS + 1);

	while (done < TOTAL) {
		n = epoll_wait(ep, ev, 16, 10000);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			check(0, "epoll_wait: %s", n ? strerror(errno) : "nothing for 10 s");
			break;
		}
		wakeups++;
		for (i = 0; i < n; i++) {
			unsigned int tag = ev[i].data.u32;

			events++;
			switch (tag & 0xf00) {
			case TAG_REQ:
				c = tag & 0xff;
				if (take_requests(c)) {
					/* Shut down and drained: POLLHUP from now on. */
					check(hung_up(req[c]),
					      "client %d's end of stream without POLLHUP", c);
					epoll_ctl(ep, EPOLL_CTL_DEL, req[c], NULL);
					open_clients--;
					say("client %d is done (EPIPE, POLLHUP); %d still sending",
					    c, open_clients);
				}
				break;
			case TAG_JOB:
				break;	/* room in a job mailbox: dispatch() below */
			case TAG_RESULTS:
				done += take_results();
				break;
			}
		}
		dispatch();
	}
	check(open_clients == 0, "%d clients never shut down", open_clients);
	check(npending == 0, "%d requests never dispatched", npending);

	/* No more work: each worker finishes its queue, then sees EPIPE. */
	for (w = 0; w < WORKERS; w++) {
		mbox_shutdown(jobs[w]);
		say("worker %d got %d jobs; shut its job mailbox down", w,
		    dispatched_to[w]);
	}
	say("%d results forwarded after %d epoll wakeups (%d events)", done,
	    wakeups, events);
	close(ep);
}

/* ------------------------------------------------------------------ */

static int make_mailbox(unsigned int capacity)
{
	struct mbox_attr attr = {
		.capacity = capacity,
		.msg_size = sizeof(struct msg),
		.mode = 0600,
	};
	int mb = mbox_create(NULL, &attr, O_RDWR | O_CLOEXEC);

	if (mb < 0) {
		fprintf(stderr, "mbox-broker: mbox_create: %s\n", strerror(errno));
		exit(1);
	}
	return mb;
}

static pid_t spawn(const char *name, int index, void (*fn)(int))
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("mbox-broker: fork");
		exit(1);
	}
	if (pid == 0) {
		snprintf(role, sizeof(role), "%s %d", name, index);
		failures = 0;
		alarm(60);	/* never hang a demo run */
		fn(index);
		_exit(failures ? 1 : 0);
	}
	return pid;
}

static void reap(pid_t pid, const char *name, int index)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		check(0, "waitpid(%s %d): %s", name, index, strerror(errno));
	else if (WIFSIGNALED(status))
		check(0, "%s %d killed by signal %d", name, index, WTERMSIG(status));
	else
		check(WEXITSTATUS(status) == 0, "%s %d reported failures", name, index);
}

int main(void)
{
	int c, w, j;

	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(90);
	for (c = 0; c < CLIENTS; c++) {
		req[c] = make_mailbox(REQ_CAPACITY);
		reply[c] = make_mailbox(JOBS);
	}
	for (w = 0; w < WORKERS; w++)
		jobs[w] = make_mailbox(JOB_CAPACITY);
	results = make_mailbox(TOTAL);
	say("%d clients x %d requests, %d workers, %d anonymous mailboxes",
	    CLIENTS, JOBS, WORKERS, 2 * CLIENTS + WORKERS + 1);

	for (w = 0; w < WORKERS; w++)
		worker_pid[w] = spawn("worker", w, worker);
	for (c = 0; c < CLIENTS; c++)
		client_pid[c] = spawn("client", c, client);

	broker();

	for (c = 0; c < CLIENTS; c++)
		reap(client_pid[c], "client", c);
	for (w = 0; w < WORKERS; w++)
		reap(worker_pid[w], "worker", w);
	for (c = 0; c < CLIENTS; c++)
		for (j = 0; j < JOBS; j++)
			check(answered[c][j] == 1, "request %d.%d answered %d times",
			      c, j, answered[c][j]);

	if (failures) {
		say("FAILED: %d check(s) failed", failures);
		return 1;
	}
	say("OK: %d requests from %d clients, each answered once by one of %d workers",
	    TOTAL, CLIENTS, WORKERS);
	return 0;
}
