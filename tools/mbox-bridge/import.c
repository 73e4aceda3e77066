// SPDX-License-Identifier: GPL-2.0
/*
 * Import: JetStream stream -> local mailbox.
 *
 * A durable pull consumer, shared by every bridge that imports the stream
 * (each message goes to one of them), with explicit acks. The bridge
 * fetches no more messages than the mailbox has free slots, sends each
 * locally and acknowledges it only once the local send succeeded; a
 * message it could not send is negatively acknowledged, for the stream to
 * deliver again. A bridge that dies between the send and the ack has
 * delivered a message the stream will deliver again after the consumer's
 * AckWait: a duplicate, at most one fetch (the mailbox's free slots, at
 * most FETCH_MAX) per crash, and counted (Nats-Num-Delivered > 1 shows as
 * "redelivered" in the status).
 *
 * A rendezvous mailbox (capacity 0) is fed one message at a time, when a
 * receiver waits for it.
 */
#define _GNU_SOURCE	/* strerrorname_np() */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmbox.h>

#include "bridge.h"

#define FETCH_MAX	64
#define FETCH_WAIT_MS	500
#define SEND_SLICE_NS	500000000LL

/* How many messages the mailbox can take now without a sender waiting. */
static int room(int mb)
{
	struct mbox_stat st;
	long free_slots;

	if (mbox_stat(mb, &st))
		return -1;
	if (st.shutdown)
		return -1;
	if (!st.capacity)
		return st.waiting_receivers ? 1 : 0;
	free_slots = (long)st.capacity - st.queued - st.leased -
		     st.waiting_senders;
	if (free_slots <= 0)
		return 0;
	return free_slots > FETCH_MAX ? FETCH_MAX : (int)free_slots;
}

static unsigned int header_prio(natsMsg *m)
{
	const char *v = NULL;
	unsigned long p;
	char *end;

	if (natsMsgHeader_Get(m, HDR_PRIO, &v) != NATS_OK || !v)
		return 0;
	p = strtoul(v, &end, 10);
	return *end || p >= MBOX_PRIO_MAX ? 0 : (unsigned int)p;
}

/*
 * The origin the exporting bridge states, as the claim the local message
 * carries (mbox_timedsend_claim()): "host=H mailbox=M pid=P uid=U gid=G",
 * the values as the headers have them, each at most a word. A receiver
 * reads it beside the kernel-checked sender, this bridge.
 */
static int origin_claim(natsMsg *m, char *out, size_t size)
{
	static const struct { const char *hdr, *key; } f[] = {
		{ HDR_HOST, "host" }, { HDR_MAILBOX, "mailbox" },
		{ HDR_PID, "pid" }, { HDR_UID, "uid" }, { HDR_GID, "gid" },
	};
	size_t used = 0, i;
	int n;

	out[0] = '\0';
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		const char *v = NULL;

		if (natsMsgHeader_Get(m, f[i].hdr, &v) != NATS_OK || !v ||
		    !*v || strpbrk(v, " \t\r\n"))
			continue;
		n = snprintf(out + used, size - used, "%s%s=%.64s",
			     used ? " " : "", f[i].key, v);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
	return (int)used;
}

/*
 * Send one fetched message locally, with its origin as a claim, waiting in
 * slices so that a stop is noticed; 0 once sent, -1 (errno) if it cannot
 * be.
 */
static int deliver(struct bridge *b, int mb, natsMsg *m)
{
	const void *data = natsMsg_GetData(m);
	int len = natsMsg_GetDataLength(m);
	unsigned int prio = header_prio(m);
	char claim[MBOX_CLAIM_MAX];
	int claim_len = origin_claim(m, claim, sizeof(claim));

	for (;;) {
		if (!mbox_timedsend_claim(mb, data ? data : "", (size_t)len,
					  prio, claim, (size_t)claim_len,
					  SEND_SLICE_NS))
			return 0;
		if (errno != ETIMEDOUT && errno != EINTR)
			return -1;
		if (atomic_load(&b->stop)) {
			errno = ECANCELED;
			return -1;
		}
	}
}

/*
 * A call carried from an exporting host: made here, on this host's
 * mailbox, and its reply (or the errno name it failed with, in a header)
 * sent back. Runs on the NATS library's delivery thread for the
 * subscription, one call at a time.
 */
static void on_call(natsConnection *nc, natsSubscription *sub, natsMsg *m,
		    void *closure)
{
	struct link *l = closure;
	struct bridge *b = l->bridge;
	const char *to = natsMsg_GetReply(m);
	struct mbox_msginfo info;
	natsMsg *rsp = NULL;
	char *buf;
	ssize_t n = -1;

	(void)sub;
	atomic_fetch_add(&l->st.calls, 1);
	buf = malloc(l->call_size ? l->call_size : 1);
	if (buf)
		n = mbox_timedcall(l->call_mb, natsMsg_GetData(m) ?
				   natsMsg_GetData(m) : "",
				   (size_t)natsMsg_GetDataLength(m), buf,
				   l->call_size, &info, b->call_timeout_ns);
	if (to && natsMsg_Create(&rsp, to, NULL, n < 0 ? NULL : buf,
				 n < 0 ? 0 : (int)n) == NATS_OK) {
		if (n < 0) {
			natsMsgHeader_Set(rsp, HDR_ERROR,
					  strerrorname_np(buf ? errno : ENOMEM));
			atomic_fetch_add(&l->st.calls_failed, 1);
		}
		natsConnection_PublishMsg(nc, rsp);
		natsMsg_Destroy(rsp);
	}
	free(buf);
	natsMsg_Destroy(m);
}

/* Answer calls for @l: a queue group, so one importing bridge takes each. */
static int serve_calls(struct bridge *b, struct link *l)
{
	struct mbox_stat st;
	natsStatus s;

	l->call_mb = mbox_open(l->mailbox, O_WRONLY | O_CLOEXEC);
	if (l->call_mb < 0 || mbox_stat(l->call_mb, &st))
		return -1;
	l->call_size = st.msg_size;
	s = natsConnection_QueueSubscribe(&l->call_sub, b->nc, l->call_subject,
					  l->durable, on_call, l);
	if (s != NATS_OK) {
		bridge_log("import %s: calls on %s: %s", l->mailbox,
			   l->call_subject, natsStatus_GetText(s));
		mbox_close(l->call_mb);
		l->call_mb = -1;
		return -1;
	}
	return 0;
}

static int subscribe(struct bridge *b, struct link *l, natsSubscription **sub)
{
	jsSubOptions so;
	jsErrCode jerr = 0;
	natsStatus s;

	jsSubOptions_Init(&so);
	so.Stream = l->stream;
	so.Config.AckPolicy = js_AckExplicit;
	so.Config.AckWait = b->ack_wait_ns;
	so.Config.MaxAckPending = FETCH_MAX * 16;
	s = js_PullSubscribe(sub, b->js, l->subject, l->durable, NULL, &so,
			     &jerr);
	if (s != NATS_OK) {
		bridge_log("import %s: subscribe to %s: %s (%d)", l->mailbox,
			   l->stream, natsStatus_GetText(s), (int)jerr);
		return -1;
	}
	return 0;
}

void *import_run(void *arg)
{
	struct link *l = arg;
	struct bridge *b = l->bridge;
	natsSubscription *sub = NULL;
	struct pollfd pfd;
	jsMsgMetaData *meta;
	natsMsgList list;
	jsErrCode jerr;
	int mb = -1, want, i;
	natsStatus s;

	while (!atomic_load(&b->stop)) {
		if (mb < 0) {
			mb = mbox_open(l->mailbox, O_WRONLY | O_CLOEXEC);
			if (mb < 0) {
				bridge_log("import %s: %s", l->mailbox,
					   strerror(errno));
				bridge_nap(b, 2000);
				continue;
			}
		}
		if (!l->call_sub && serve_calls(b, l)) {
			bridge_nap(b, 2000);
			continue;
		}
		if (!sub && (nats_stream_ensure(b, l) || subscribe(b, l, &sub))) {
			bridge_nap(b, 2000);
			continue;
		}
		want = room(mb);
		if (want < 0) {
			bridge_log("import %s: mailbox shut down", l->mailbox);
			break;
		}
		if (!want) {
			/* Full: wait until a send would not wait. */
			atomic_store(&l->st.blocked, 1);
			pfd.fd = mb;
			pfd.events = POLLOUT;
			poll(&pfd, 1, FETCH_WAIT_MS);
			continue;
		}
		atomic_store(&l->st.blocked, 0);
		memset(&list, 0, sizeof(list));
		jerr = 0;
		s = natsSubscription_Fetch(&list, sub, want, FETCH_WAIT_MS, &jerr);
		if (s == NATS_TIMEOUT)
			continue;
		if (s != NATS_OK) {
			atomic_fetch_add(&l->st.errors, 1);
			bridge_nap(b, 250);
			continue;
		}
		atomic_store(&l->st.inflight, (unsigned int)list.Count);
		for (i = 0; i < list.Count; i++) {
			natsMsg *m = list.Msgs[i];

			if (natsMsg_GetMetaData(&meta, m) == NATS_OK) {
				if (meta->NumDelivered > 1)
					atomic_fetch_add(&l->st.redelivered, 1);
				jsMsgMetaData_Destroy(meta);
			}
			if (deliver(b, mb, m)) {
				/* Not delivered: the stream keeps it for later. */
				if (errno != ECANCELED)
					atomic_fetch_add(&l->st.errors, 1);
				natsMsg_Nak(m, NULL);
			} else {
				atomic_fetch_add(&l->st.forwarded, 1);
				if (natsMsg_AckSync(m, NULL, NULL) == NATS_OK)
					atomic_fetch_add(&l->st.acked, 1);
				else
					atomic_fetch_add(&l->st.errors, 1);
			}
			atomic_fetch_sub(&l->st.inflight, 1);
		}
		natsMsgList_Destroy(&list);
	}
	/*
	 * Destroyed, not unsubscribed: the durable consumer stays, with what
	 * it has delivered and not had acknowledged, for the next run.
	 */
	if (sub)
		natsSubscription_Destroy(sub);
	if (l->call_sub) {
		natsSubscription_Unsubscribe(l->call_sub);
		natsSubscription_Destroy(l->call_sub);
	}
	if (l->call_mb >= 0)
		mbox_close(l->call_mb);
	if (mb >= 0)
		mbox_close(mb);
	return NULL;
}
