// SPDX-License-Identifier: GPL-2.0
/*
 * Message memory: allocating a message and copying its payload in, the
 * per-mailbox cache of small messages, freeing.
 *
 * Every message is charged, from allocation to free, to the user that
 * sent it (struct mbox_sender, user.c): what it occupies counts against
 * that user's max_user_bytes, wherever the message is.
 *
 * A send allocates its message and copies the payload in before it takes
 * any mailbox lock. The memory is charged to the sender's memory cgroup: a
 * sender filling mailboxes pays for it, and when its cgroup (or the system)
 * is out of memory the send fails with -ENOMEM rather than invoking the OOM
 * killer or warning in the kernel log.
 *
 * Small messages are the ones whose cost is mostly allocation, so a mailbox
 * whose whole message (header and largest payload) fits in
 * MBOX_MSG_CACHE_BYTES keeps the messages its receivers are done with, up
 * to MBOX_MSG_CACHE_MAX or its capacity, and its senders take those first.
 * Every message of such a mailbox is allocated at that one size, so any
 * cached message fits any payload. A recycled message stays charged to the
 * cgroup that first allocated it; the cache holds at most a capacity's
 * worth of what was queued, and goes when the mailbox does.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/user_namespace.h>

#include "mbox.h"

#define MBOX_MSG_GFP	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

/**
 * mbox_msg_cache_init() - size a new mailbox's message cache
 * @mb: the mailbox, with its capacity and msg_size set
 */
void mbox_msg_cache_init(struct mbox *mb)
{
	size_t size = struct_size_t(struct mbox_msg, inline_data, mb->msg_size);

	spin_lock_init(&mb->cache_lock);
	INIT_LIST_HEAD(&mb->cache);
	mb->nr_cached = 0;
	mb->cache_max = 0;
	mb->cache_msg_bytes = 0;
	if (size > MBOX_MSG_CACHE_BYTES)
		return;
	/* The allocator's bucket: what each message really takes. */
	mb->cache_msg_bytes = kmalloc_size_roundup(size);
	/* A rendezvous mailbox holds one message per waiting sender. */
	mb->cache_max = clamp_t(u32, mb->capacity, 4, MBOX_MSG_CACHE_MAX);
}

static void mbox_msg_destroy(struct mbox_msg *msg)
{
	if (msg->data != msg->inline_data)
		kvfree(msg->data);
	kfree(msg);
}

/* A cached message, or NULL. */
static struct mbox_msg *mbox_msg_cache_get(struct mbox *mb)
{
	struct mbox_msg *msg;

	if (!READ_ONCE(mb->nr_cached))
		return NULL;
	spin_lock(&mb->cache_lock);
	msg = list_first_entry_or_null(&mb->cache, struct mbox_msg, node.link);
	if (msg) {
		list_del(&msg->node.link);
		WRITE_ONCE(mb->nr_cached, mb->nr_cached - 1);
	}
	spin_unlock(&mb->cache_lock);
	return msg;
}

/* Memory for a message of @len bytes, not yet filled in. */
static struct mbox_msg *mbox_msg_alloc(struct mbox *mb, u32 len)
{
	size_t size = struct_size_t(struct mbox_msg, inline_data, len);
	struct mbox_msg *msg;

	if (mb->cache_msg_bytes) {
		msg = mbox_msg_cache_get(mb);
		if (!msg)
			msg = kmalloc(mb->cache_msg_bytes, MBOX_MSG_GFP);
		if (msg)
			msg->data = msg->inline_data;
		return msg;
	}

	/*
	 * A payload that would push the header past a page gets a buffer of
	 * its own, so a 4 KiB message costs two order-0 allocations rather
	 * than one order-1, and a large one can fall back to vmalloc.
	 */
	if (size <= PAGE_SIZE) {
		msg = kmalloc(size, MBOX_MSG_GFP);
		if (msg)
			msg->data = msg->inline_data;
		return msg;
	}
	msg = kmalloc(sizeof(*msg), MBOX_MSG_GFP);
	if (!msg)
		return NULL;
	msg->data = kvmalloc(len, MBOX_MSG_GFP);
	if (!msg->data) {
		kfree(msg);
		return NULL;
	}
	return msg;
}

/**
 * mbox_msg_cost() - what a message of @len bytes for @mb occupies
 * @mb:		the mailbox
 * @len:	payload length
 *
 * As its sender is charged for it (user.c): the sizes the allocator really
 * hands out for it.
 *
 * Return: bytes.
 */
size_t mbox_msg_cost(const struct mbox *mb, u32 len)
{
	size_t size = struct_size_t(struct mbox_msg, inline_data, len);

	if (mb->cache_msg_bytes)
		return mb->cache_msg_bytes;
	if (size <= PAGE_SIZE)
		return kmalloc_size_roundup(size);
	/* Two allocations; a vmalloc'ed payload takes no more than this. */
	return kmalloc_size_roundup(sizeof(struct mbox_msg)) +
	       kmalloc_size_roundup(len);
}

/**
 * mbox_msg_cache_charge() - the most a mailbox's message cache may hold
 * @mb: the mailbox, its cache sized (mbox_msg_cache_init())
 *
 * Spare messages are kept after their senders' charges are given back, so
 * the mailbox's creator is charged for a full cache up front.
 *
 * Return: bytes.
 */
u32 mbox_msg_cache_charge(const struct mbox *mb)
{
	if (!mb->cache_msg_bytes)
		return 0;
	return mb->cache_max * mb->cache_msg_bytes;
}

/**
 * mbox_sender_charge() - charge @cost bytes to @sender's user
 * @sender:	who pays
 * @cost:	bytes
 *
 * Against the user's max_user_bytes, unless the sender may exceed it.
 *
 * Return: 0, or -EDQUOT.
 */
int mbox_sender_charge(const struct mbox_sender *sender, size_t cost)
{
	int err = mbox_user_charge_bytes(sender->user, cost, false);

	if (err != -EDQUOT)
		return err;
	/* Over the limit: asked only now, as mq asks for CAP_SYS_RESOURCE. */
	if (sender->file ?
	    !file_ns_capable(sender->file, &init_user_ns, CAP_SYS_RESOURCE) :
	    !capable(CAP_SYS_RESOURCE))
		return err;
	return mbox_user_charge_bytes(sender->user, cost, true);
}

/**
 * mbox_msg_new() - a message holding a copy of the caller's payload
 * @mb:		the mailbox it is for (its size limit, cache and size class)
 * @from:	the payload: all of it becomes the message
 * @sender:	whose identity it carries and who pays for its memory
 *
 * Records the calling task's process and @sender's effective ids as the
 * sender, and charges the message's memory to @sender's user until it is
 * freed. Must be called without @mb->lock: it allocates and copies from
 * user space.
 *
 * Return: the message, owned by the caller; ERR_PTR(-EMSGSIZE) if the
 * payload is longer than @mb->msg_size, ERR_PTR(-EDQUOT) if its memory
 * would take the user past max_user_bytes, ERR_PTR(-ENOMEM or -EFAULT).
 */
struct mbox_msg *mbox_msg_new(struct mbox *mb, struct iov_iter *from,
			      const struct mbox_sender *sender)
{
	size_t len = iov_iter_count(from);
	struct mbox_msg *msg;
	size_t cost;
	int err;

	if (len > mb->msg_size)
		return ERR_PTR(-EMSGSIZE);
	cost = mbox_msg_cost(mb, len);
	err = mbox_sender_charge(sender, cost);
	if (err)
		return ERR_PTR(err);
	msg = mbox_msg_alloc(mb, len);
	if (!msg) {
		mbox_user_uncharge_bytes(sender->user, cost);
		return ERR_PTR(-ENOMEM);
	}
	refcount_inc(&sender->user->ref);
	msg->user = sender->user;
	msg->charge = cost;
	msg->pid = NULL;
	msg->call = NULL;
	msg->claim = NULL;
	msg->claim_len = 0;
	if (!copy_from_iter_full(msg->data, len, from)) {
		mbox_msg_free(mb, msg);
		return ERR_PTR(-EFAULT);
	}
	INIT_LIST_HEAD(&msg->node.link);
	RB_CLEAR_NODE(&msg->node.rb);
	msg->node.prio = 0;
	msg->order = 0;
	msg->seq = 0;
	msg->deliveries = 0;
	msg->len = len;
	msg->pid = get_pid(task_tgid(current));
	msg->uid = sender->cred->euid;
	msg->gid = sender->cred->egid;
	return msg;
}

/**
 * mbox_msg_free() - be done with a message: recycle or free it
 * @mb:		the mailbox it was allocated for
 * @msg:	the message, owned by the caller and on no list
 *
 * Must be called without @mb->lock.
 */
void mbox_msg_free(struct mbox *mb, struct mbox_msg *msg)
{
	if (msg->call)
		mbox_call_put(msg->call);
	kfree(msg->claim);
	msg->claim = NULL;
	put_pid(msg->pid);
	mbox_user_uncharge_bytes(msg->user, msg->charge);
	mbox_user_put(msg->user);
	if (mb->cache_msg_bytes &&
	    READ_ONCE(mb->nr_cached) < mb->cache_max) {
		spin_lock(&mb->cache_lock);
		if (mb->nr_cached < mb->cache_max) {
			list_add(&msg->node.link, &mb->cache);
			WRITE_ONCE(mb->nr_cached, mb->nr_cached + 1);
			msg = NULL;
		}
		spin_unlock(&mb->cache_lock);
		if (!msg)
			return;
	}
	mbox_msg_destroy(msg);
}

/**
 * mbox_msg_claim() - attach what the sender claims about a new message
 * @msg:	a message from mbox_msg_new(), still the sender's
 * @sender:	who sends it: charged for the claim with the message
 * @uclaim:	the claim, in user memory
 * @len:	its length, 1..MBOX_CLAIM_MAX
 *
 * The bytes are kept as they are; receivers get them as the sender's
 * claim. On failure @msg is unchanged, still the caller's.
 *
 * Return: 0, -EDQUOT, -ENOMEM or -EFAULT.
 */
int mbox_msg_claim(struct mbox_msg *msg, const struct mbox_sender *sender,
		   const void __user *uclaim, u32 len)
{
	size_t cost = kmalloc_size_roundup(len);
	u8 *claim;
	int err;

	err = mbox_sender_charge(sender, cost);
	if (err)
		return err;
	claim = kmalloc(len, GFP_KERNEL_ACCOUNT);
	if (!claim) {
		err = -ENOMEM;
		goto out_uncharge;
	}
	if (copy_from_user(claim, uclaim, len)) {
		err = -EFAULT;
		goto out_free;
	}
	msg->claim = claim;
	msg->claim_len = len;
	msg->charge += cost;
	return 0;

out_free:
	kfree(claim);
out_uncharge:
	mbox_user_uncharge_bytes(sender->user, cost);
	return err;
}

/**
 * mbox_msg_cache_drain() - free every cached message of a dying mailbox
 * @mb: the mailbox; nobody else can reach it any more
 */
void mbox_msg_cache_drain(struct mbox *mb)
{
	struct mbox_msg *msg, *tmp;

	list_for_each_entry_safe(msg, tmp, &mb->cache, node.link)
		mbox_msg_destroy(msg);
	INIT_LIST_HEAD(&mb->cache);
	mb->nr_cached = 0;
}
