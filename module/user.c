// SPDX-License-Identifier: GPL-2.0
/*
 * Per-user limits: how many mailboxes a user may own and how much kernel
 * memory may be charged to it, in the spirit of the kernel keyring's
 * per-user quotas (key_user, maxkeys/maxbytes, EDQUOT) and of POSIX mq's
 * RLIMIT_MSGQUEUE.
 *
 * A user is a real uid (kuid_t), as for RLIMIT_NPROC and RLIMIT_MSGQUEUE:
 * the same in every user namespace, so uid 1000 that maps itself to root
 * in a namespace of its own is still uid 1000 here. Charged to it:
 *  - each mailbox it creates, counted against max_user_mailboxes, and the
 *    mailbox's fixed memory (the struct and its message cache), against
 *    max_user_bytes, until the mailbox is freed;
 *  - each message sent as it, from allocation until the message is freed
 *    (received, dropped at shutdown, or freed with its mailbox), against
 *    max_user_bytes: queued, offered by a blocked sender, being copied
 *    out, or put back after a fault, it is the sender's.
 * Bytes are charged as they are held rather than the worst case at create
 * (as mq does with capacity * msg_size): a mailbox's capacity costs
 * nothing until it fills, a large mailbox that rarely fills needs no
 * special limit, and whoever fills a mailbox pays for it, not its owner.
 * A user with CAP_SYS_RESOURCE (in the initial user namespace) is counted
 * but never refused.
 *
 * Locking. mbox_users_lock protects the table and the lookup of a user
 * whose last reference may be going away (refcount_dec_and_lock()). A
 * user's counters are atomics, changed without any lock.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "mbox.h"

static DEFINE_SPINLOCK(mbox_users_lock);
static DEFINE_HASHTABLE(mbox_users, 6);

static struct mbox_user *mbox_user_find(kuid_t uid)
{
	struct mbox_user *u;

	lockdep_assert_held(&mbox_users_lock);
	hash_for_each_possible(mbox_users, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid))
			return u;
	return NULL;
}

/**
 * mbox_user_get() - the accounting of user @uid, made if need be
 * @uid: a real uid
 *
 * Return: the user with a new reference, or NULL if out of memory.
 */
struct mbox_user *mbox_user_get(kuid_t uid)
{
	struct mbox_user *u, *fresh;

	spin_lock(&mbox_users_lock);
	u = mbox_user_find(uid);
	if (u)
		refcount_inc(&u->ref);
	spin_unlock(&mbox_users_lock);
	if (u)
		return u;

	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL_ACCOUNT);
	if (!fresh)
		return NULL;
	refcount_set(&fresh->ref, 1);
	fresh->uid = uid;
	atomic_set(&fresh->mailboxes, 0);
	atomic64_set(&fresh->bytes, 0);

	spin_lock(&mbox_users_lock);
	u = mbox_user_find(uid);	/* someone else made it meanwhile? */
	if (u) {
		refcount_inc(&u->ref);
	} else {
		hash_add(mbox_users, &fresh->node, __kuid_val(uid));
		u = fresh;
		fresh = NULL;
	}
	spin_unlock(&mbox_users_lock);
	kfree(fresh);
	return u;
}

/* The last reference to @u is gone: unhash it and free it. */
static void mbox_user_free(struct mbox_user *u)
	__releases(&mbox_users_lock)
{
	hash_del(&u->node);
	spin_unlock(&mbox_users_lock);
	WARN_ON_ONCE(atomic_read(&u->mailboxes) || atomic64_read(&u->bytes));
	kfree(u);
}

/**
 * mbox_user_put() - drop a reference; the last one forgets the user
 * @u: the user, or NULL
 */
void mbox_user_put(struct mbox_user *u)
{
	/* __cond_lock(): tell sparse the lock is held when this is true. */
	if (u && __cond_lock(&mbox_users_lock,
			     refcount_dec_and_lock(&u->ref, &mbox_users_lock)))
		mbox_user_free(u);
}

/**
 * mbox_user_charge_bytes() - charge @bytes of kernel memory to @u
 * @u:		the user
 * @bytes:	how much
 * @unlimited:	whether the user may exceed max_user_bytes
 *
 * Return: 0, or -EDQUOT (nothing charged) if that would take @u past
 * max_user_bytes and it is not @unlimited.
 */
int mbox_user_charge_bytes(struct mbox_user *u, size_t bytes, bool unlimited)
{
	u64 limit = mbox_limit(&mbox_max_user_bytes);
	s64 old = atomic64_read(&u->bytes);

	/*
	 * Added only if the sum stays within the limit, so a request that
	 * fails never makes a concurrent one that fits fail too.
	 */
	do {
		if (!unlimited && (u64)old + bytes > limit)
			return -EDQUOT;
	} while (!atomic64_try_cmpxchg(&u->bytes, &old, old + bytes));
	return 0;
}

/**
 * mbox_user_uncharge_bytes() - give back what mbox_user_charge_bytes() took
 * @u:		the user
 * @bytes:	how much
 */
void mbox_user_uncharge_bytes(struct mbox_user *u, size_t bytes)
{
	atomic64_sub(bytes, &u->bytes);
}

/**
 * mbox_user_charge_mailbox() - count one more mailbox owned by @u
 * @u:		the user
 * @bytes:	the mailbox's fixed memory
 * @unlimited:	whether the user may exceed its limits
 *
 * Return: 0, or -EDQUOT (nothing charged) if @u owns max_user_mailboxes
 * already or @bytes would take it past max_user_bytes.
 */
int mbox_user_charge_mailbox(struct mbox_user *u, size_t bytes, bool unlimited)
{
	unsigned int limit = mbox_limit(&mbox_max_user_mailboxes);
	int old = atomic_read(&u->mailboxes);
	int err;

	/* As for bytes: counted only if it stays within the limit. */
	do {
		if (!unlimited && (unsigned int)old >= limit)
			return -EDQUOT;
	} while (!atomic_try_cmpxchg(&u->mailboxes, &old, old + 1));
	err = mbox_user_charge_bytes(u, bytes, unlimited);
	if (err)
		atomic_dec(&u->mailboxes);
	return err;
}

/**
 * mbox_user_uncharge_mailbox() - undo mbox_user_charge_mailbox()
 * @u:		the user
 * @bytes:	the same @bytes
 */
void mbox_user_uncharge_mailbox(struct mbox_user *u, size_t bytes)
{
	mbox_user_uncharge_bytes(u, bytes);
	atomic_dec(&u->mailboxes);
}

/**
 * mbox_user_usage() - what user @uid has charged now
 * @uid:	a real uid
 * @mailboxes:	set to the mailboxes it owns
 * @bytes:	set to the bytes charged to it
 */
void mbox_user_usage(kuid_t uid, u32 *mailboxes, u64 *bytes)
{
	struct mbox_user *u;

	*mailboxes = 0;
	*bytes = 0;
	spin_lock(&mbox_users_lock);
	u = mbox_user_find(uid);
	if (u) {
		*mailboxes = atomic_read(&u->mailboxes);
		*bytes = atomic64_read(&u->bytes);
	}
	spin_unlock(&mbox_users_lock);
}
