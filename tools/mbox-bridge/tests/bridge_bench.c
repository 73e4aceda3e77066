// SPDX-License-Identifier: GPL-2.0
/*
 * The bridge's benchmark (make bench, scripts/bridge-bench.sh): the same
 * traffic through mbox-bridge (host A -> NATS -> host B, two IPC
 * namespaces of one VM) and through a plain NATS client, so that the
 * bridge's overhead shows as a ratio.
 *
 *   bridge_bench nats-stream URL SIZE COUNT
 *	one thread publishes COUNT messages of SIZE bytes to a JetStream
 *	work-queue stream, one at a time, waiting for each ack (what the
 *	bridge's export does); another pulls them from a durable consumer
 *	and acks each (what its import does). Prints messages per second.
 *   bridge_bench nats-call URL SIZE COUNT
 *	request/reply of SIZE bytes each way to a responder on another
 *	connection. Prints microseconds per round trip.
 *   bridge_bench mbox-stream NS_A MAILBOX_A NS_B MAILBOX_B SIZE COUNT
 *	one thread sends COUNT messages to MAILBOX_A in the IPC namespace
 *	that the file NS_A names, another receives them from MAILBOX_B in
 *	NS_B, which the bridges carry between. Messages per second.
 *   bridge_bench mbox-call NS_A MAILBOX_A NS_B MAILBOX_B SIZE COUNT
 *	a call on MAILBOX_A, answered by a server thread on MAILBOX_B.
 *	Microseconds per round trip.
 *
 * Output: one CSV line "metric,size,mechanism,value,unit".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmbox.h>
#include <nats/nats.h>

static size_t size;
static long count;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *why)
{
	fprintf(stderr, "bridge_bench: %s: %s\n", what, why);
	exit(1);
}

static void check(natsStatus s, const char *what)
{
	if (s != NATS_OK)
		die(what, natsStatus_GetText(s));
}

static natsConnection *connect_to(const char *url)
{
	natsConnection *nc = NULL;

	check(natsConnection_ConnectTo(&nc, url), url);
	return nc;
}

/* ---- plain NATS ---- */

struct nats_side {
	const char *url;
	double end;
};

static void *nats_puller(void *arg)
{
	struct nats_side *p = arg;
	natsConnection *nc = connect_to(p->url);
	natsSubscription *sub = NULL;
	jsSubOptions so;
	jsCtx *js = NULL;
	long got = 0;
	int i;

	check(natsConnection_JetStream(&js, nc, NULL), "jetstream");
	jsSubOptions_Init(&so);
	so.Stream = "BENCH";
	so.Config.AckPolicy = js_AckExplicit;
	check(js_PullSubscribe(&sub, js, "bench.nats", "bench-pull", NULL, &so,
			       NULL), "pull subscribe");
	while (got < count) {
		natsMsgList list = { 0 };
		natsStatus s = natsSubscription_Fetch(&list, sub, 64, 1000, NULL);

		if (s == NATS_TIMEOUT)
			continue;
		check(s, "fetch");
		for (i = 0; i < list.Count; i++) {
			natsMsg_AckSync(list.Msgs[i], NULL, NULL);
			got++;
		}
		natsMsgList_Destroy(&list);
	}
	p->end = now_s();
	natsSubscription_Destroy(sub);
	jsCtx_Destroy(js);
	natsConnection_Destroy(nc);
	return NULL;
}

static void nats_stream(const char *url)
{
	const char *subjects[] = { "bench.nats" };
	natsConnection *nc = connect_to(url);
	struct nats_side puller = { .url = url };
	char *buf = calloc(1, size);
	jsStreamConfig cfg;
	jsCtx *js = NULL;
	pthread_t t;
	double t0;
	long i;

	check(natsConnection_JetStream(&js, nc, NULL), "jetstream");
	js_DeleteStream(js, "BENCH", NULL, NULL);
	jsStreamConfig_Init(&cfg);
	cfg.Name = "BENCH";
	cfg.Subjects = subjects;
	cfg.SubjectsLen = 1;
	cfg.Retention = js_WorkQueuePolicy;
	cfg.Storage = js_FileStorage;
	check(js_AddStream(NULL, js, &cfg, NULL, NULL), "add stream");
	pthread_create(&t, NULL, nats_puller, &puller);
	t0 = now_s();
	for (i = 0; i < count; i++)
		check(js_Publish(NULL, js, "bench.nats", buf, (int)size, NULL,
				 NULL), "publish");
	pthread_join(t, NULL);
	printf("stream,%zu,nats,%.1f,msg/s\n", size, count / (puller.end - t0));
	js_DeleteStream(js, "BENCH", NULL, NULL);
	jsCtx_Destroy(js);
	natsConnection_Destroy(nc);
	free(buf);
}

static void on_request(natsConnection *nc, natsSubscription *sub, natsMsg *m,
		       void *closure)
{
	(void)sub;
	(void)closure;
	natsConnection_Publish(nc, natsMsg_GetReply(m), natsMsg_GetData(m),
			       natsMsg_GetDataLength(m));
	natsMsg_Destroy(m);
}

static void nats_call(const char *url)
{
	natsConnection *srv = connect_to(url), *nc = connect_to(url);
	natsSubscription *sub = NULL;
	char *buf = calloc(1, size);
	double t0;
	long i;

	check(natsConnection_Subscribe(&sub, srv, "bench.call", on_request,
				       NULL), "subscribe");
	natsConnection_Flush(srv);
	t0 = now_s();
	for (i = 0; i < count; i++) {
		natsMsg *rep = NULL;

		check(natsConnection_Request(&rep, nc, "bench.call", buf,
					     (int)size, 10000), "request");
		natsMsg_Destroy(rep);
	}
	printf("call,%zu,nats,%.1f,us\n", size, (now_s() - t0) * 1e6 / count);
	natsSubscription_Destroy(sub);
	natsConnection_Destroy(nc);
	natsConnection_Destroy(srv);
	free(buf);
}

/* ---- through the bridge ---- */

/* Open @name in the IPC namespace the file @ns names, with @flags. */
static int open_in(const char *ns, const char *name, int flags)
{
	int nsfd = open(ns, O_RDONLY | O_CLOEXEC), mb;

	if (nsfd < 0 || setns(nsfd, CLONE_NEWIPC))
		die(ns, strerror(errno));
	close(nsfd);
	mb = mbox_open(name, flags | O_CLOEXEC);
	if (mb < 0)
		die(name, strerror(errno));
	return mb;
}

struct mbox_side {
	int mb;
	double end;
};

static void *mbox_receiver(void *arg)
{
	struct mbox_side *r = arg;
	char *buf = malloc(size ? size : 1);
	long i;

	for (i = 0; i < count; i++)
		if (mbox_recv(r->mb, buf, size, NULL) < 0)
			die("recv", strerror(errno));
	r->end = now_s();
	free(buf);
	return NULL;
}

static void *mbox_server(void *arg)
{
	struct mbox_side *r = arg;
	char *buf = malloc(size ? size : 1);
	struct mbox_msginfo info;
	uint64_t id = 0;
	size_t len = 0;
	ssize_t n;
	long i;

	/* Each reply goes with the next receive, the last one alone. */
	for (i = 0; i < count; i++) {
		n = mbox_reply_recv(r->mb, id, buf, len, buf, size, &info);
		if (n < 0 || !info.reply_id)
			die("serve", n < 0 ? strerror(errno) : "not a call");
		id = info.reply_id;
		len = (size_t)n;
	}
	mbox_reply(r->mb, id, buf, len);
	free(buf);
	return NULL;
}

static void mbox_side_run(char **argv, bool call)
{
	struct mbox_side b_side = { 0 };
	char *buf = calloc(1, size ? size : 1);
	pthread_t t;
	double t0;
	int a;
	long i;

	b_side.mb = open_in(argv[0], argv[1], O_RDWR);	/* B's first: */
	a = open_in(argv[2], argv[3], call ? O_RDWR : O_WRONLY);
	pthread_create(&t, NULL, call ? mbox_server : mbox_receiver, &b_side);
	t0 = now_s();
	for (i = 0; i < count; i++) {
		if (call) {
			if (mbox_call(a, buf, size, buf, size, NULL) < 0)
				die("call", strerror(errno));
		} else if (mbox_send(a, buf, size)) {
			die("send", strerror(errno));
		}
	}
	pthread_join(t, NULL);
	if (call)
		printf("call,%zu,mbox-bridge,%.1f,us\n", size,
		       (now_s() - t0) * 1e6 / count);
	else
		printf("stream,%zu,mbox-bridge,%.1f,msg/s\n", size,
		       count / (b_side.end - t0));
	free(buf);
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strncmp(argv[1], "nats-", 5)) {
		size = strtoul(argv[3], NULL, 10);
		count = atol(argv[4]);
		if (!strcmp(argv[1], "nats-stream"))
			nats_stream(argv[2]);
		else
			nats_call(argv[2]);
		return 0;
	}
	if (argc == 8 && !strncmp(argv[1], "mbox-", 5)) {
		char *sides[4] = { argv[4], argv[5], argv[2], argv[3] };

		size = strtoul(argv[6], NULL, 10);
		count = atol(argv[7]);
		mbox_side_run(sides, !strcmp(argv[1], "mbox-call"));
		return 0;
	}
	fprintf(stderr, "usage: bridge_bench nats-stream|nats-call URL SIZE COUNT\n"
		"       bridge_bench mbox-stream|mbox-call NS_A MAILBOX_A NS_B MAILBOX_B SIZE COUNT\n");
	return 2;
}
