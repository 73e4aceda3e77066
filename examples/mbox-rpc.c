// SPDX-License-Identifier: MIT
/*
 * mbox-rpc: request/reply over one mailbox, and what a client learns when
 * the server dies holding its request.
 *
 * Part 1. One server process runs THREADS threads, each looping on
 * mbox_reply_recv(): it answers the request it holds and takes the next
 * one in a single system call. CLIENTS client processes each make CALLS
 * calls with mbox_call() ("square 7"), one system call per round trip, and
 * check every answer and who gave it (the reply carries the server's pid).
 * The mailbox is a rendezvous one (capacity 0): a call waits for a server
 * thread to take it.
 *
 * Part 2. A second server takes one request and is killed (SIGKILL)
 * before it answers. The client's call does not hang: it fails with
 * ECONNRESET, and info.seq says the request was taken, so the client knows
 * the server may have acted on it. A call that times out before any server
 * took its request reports seq 0: nothing was delivered, a retry is safe.
 *
 * The exit status is 0 only if every call was answered correctly, once,
 * and part 2 saw exactly those outcomes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libmbox.h>

#define CLIENTS		4
#define CALLS		5	/* per client */
#define THREADS		2	/* server threads */

struct req {
	int client;
	long x;
};

struct rep {
	long x, y;
	int thread;
};

struct server_thread {
	int mb;
	int id;
	int answered;
};

/* One server thread: reply to the last request and take the next, in one call. */
static void *serve(void *arg)
{
	struct server_thread *t = arg;
	struct mbox_msginfo info;
	struct rep rep;
	struct req req;
	uint64_t id = 0;
	ssize_t n;

	for (;;) {
		n = mbox_reply_recv(t->mb, id, &rep, id ? sizeof(rep) : 0,
				    &req, sizeof(req), &info);
		if (n < 0)
			break;		/* EPIPE: shut down and drained */
		id = info.reply_id;
		if (!id || n != sizeof(req))
			continue;	/* not a request we understand */
		rep.x = req.x;
		rep.y = req.x * req.x;
		rep.thread = t->id;
		t->answered++;
	}
	if (errno != EPIPE)
		perror("server: mbox_reply_recv");
	return NULL;
}

static int run_server(int mb)
{
	struct server_thread t[THREADS];
	pthread_t th[THREADS];
	int i, total = 0;

	for (i = 0; i < THREADS; i++) {
		t[i] = (struct server_thread){ .mb = mb, .id = i };
		pthread_create(&th[i], NULL, serve, &t[i]);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		printf("server %d, thread %d: answered %d calls\n", (int)getpid(),
		       i, t[i].answered);
		total += t[i].answered;
	}
	return total == CLIENTS * CALLS ? 0 : 1;
}

static int run_client(int mb, int client, pid_t server)
{
	struct mbox_msginfo info;
	struct req req;
	struct rep rep;
	int i, bad = 0, by[THREADS] = { 0 };
	ssize_t n;

	for (i = 0; i < CALLS; i++) {
		req.client = client;
		req.x = client * 10 + i;
		n = mbox_call(mb, &req, sizeof(req), &rep, sizeof(rep), &info);
		if (n != sizeof(rep) || rep.x != req.x || rep.y != req.x * req.x ||
		    info.pid != server) {
			fprintf(stderr, "client %d: call %d: %s\n", client, i,
				n < 0 ? strerror(errno) : "wrong answer");
			bad = 1;
			continue;
		}
		by[rep.thread]++;
	}
	printf("client %d: %d calls, %d squares right; answered by threads %d/%d of pid %d\n",
	       client, CALLS, bad ? -1 : CALLS, by[0], by[1], (int)server);
	return bad;
}

static int wait_ok(pid_t pid)
{
	int status;

	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

static int part1(void)
{
	struct mbox_attr attr = { .capacity = 0, .msg_size = 64, .mode = 0600 };
	pid_t server, clients[CLIENTS];
	int mb, i, ok = 1;

	mb = mbox_create(NULL, &attr, O_RDWR | O_CLOEXEC);
	if (mb < 0) {
		perror("mbox_create");
		return 0;
	}
	server = fork();
	if (server == 0)
		_exit(run_server(mb));
	for (i = 0; i < CLIENTS; i++) {
		clients[i] = fork();
		if (clients[i] == 0)
			_exit(run_client(mb, i, server));
	}
	for (i = 0; i < CLIENTS; i++)
		ok &= wait_ok(clients[i]);
	/* No more calls: the server threads drain and stop. */
	mbox_shutdown(mb);
	ok &= wait_ok(server);
	mbox_close(mb);
	printf("part 1: %d clients x %d calls, %s\n", CLIENTS, CALLS,
	       ok ? "all answered once, correctly" : "FAILED");
	return ok;
}

static int part2(void)
{
	struct mbox_attr attr = { .capacity = 4, .msg_size = 64, .mode = 0600 };
	struct mbox_msginfo info;
	char name[64], reply[16];
	pid_t server, killer;
	int mb, sv[2], ok = 1;
	ssize_t n;

	/*
	 * Named, so that the server opens it for itself: a request is reset
	 * when the open file description it was received through goes, and
	 * a description shared with this process through fork() would not.
	 */
	snprintf(name, sizeof(name), "mbox-rpc-demo.%d", (int)getpid());
	mb = mbox_create(name, &attr, O_WRONLY | O_CLOEXEC);
	if (mb < 0 || pipe(sv)) {
		perror("setup");
		return 0;
	}
	/* Nobody serves yet: a timed call is withdrawn, never delivered. */
	n = mbox_timedcall(mb, "early", 5, reply, sizeof(reply), &info,
			   50 * 1000000LL);
	printf("part 2: call with no server, 50 ms timeout: %s, seq %llu (%s)\n",
	       n < 0 ? strerror(errno) : "answered",
	       (unsigned long long)info.seq,
	       info.seq ? "taken" : "not delivered, safe to retry");
	ok &= n < 0 && errno == ETIMEDOUT && info.seq == 0;

	server = fork();
	if (server == 0) {
		char buf[16];
		int s = mbox_open(name, O_RDONLY | O_CLOEXEC);

		if (s >= 0 && mbox_recv(s, buf, sizeof(buf), &info) >= 0 &&
		    info.reply_id)
			(void)!write(sv[1], "t", 1);
		pause();	/* killed with the request in hand */
		_exit(1);
	}
	killer = fork();
	if (killer == 0) {
		char c;

		if (read(sv[0], &c, 1) == 1)
			kill(server, SIGKILL);
		_exit(0);
	}
	n = mbox_call(mb, "doomed", 6, reply, sizeof(reply), &info);
	printf("part 2: call whose server is killed holding it: %s, seq %llu (%s)\n",
	       n < 0 ? strerror(errno) : "answered",
	       (unsigned long long)info.seq,
	       info.seq ? "taken: the server may have acted on it" : "not delivered");
	ok &= n < 0 && errno == ECONNRESET && info.seq != 0;
	ok &= wait_ok(killer);
	(void)waitpid(server, NULL, 0);
	close(sv[0]);
	close(sv[1]);
	mbox_unlink(name);
	mbox_close(mb);
	return ok;
}

int main(void)
{
	int ok;

	setvbuf(stdout, NULL, _IOLBF, 0);
	ok = part1();
	ok &= part2();
	return ok ? 0 : 1;
}
