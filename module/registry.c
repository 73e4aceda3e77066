// SPDX-License-Identifier: GPL-2.0
/*
 * The registry: every mailbox in existence, by IPC namespace (ns.c: for
 * max_mailboxes and the /proc/driver/mbox listing), the names of each
 * namespace, and the permission checks done when a name is opened or
 * unlinked.
 *
 * Locking. mbox_registry_lock (a mutex) protects mbox_names, the list of
 * namespaces and each one's mailboxes (ns.c), and every mailbox's @node,
 * @hnode and @linked. A linked
 * mailbox holds a reference for its name, so a lookup under the mutex may
 * take another reference without kref_get_unless_zero(). The mutex is
 * never held while dropping a reference: the final mbox_put() calls back
 * into mbox_forget(). Lock order: mbox_registry_lock, then mbox->lock (the
 * listing takes both).
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/ipc_namespace.h>
#include <linux/nsproxy.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/fs.h>
#include <linux/stringhash.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>

#include "mbox.h"

DEFINE_MUTEX(mbox_registry_lock);	/* see "Locking" above */
/* Names of every namespace, hashed with their namespace. */
static DEFINE_HASHTABLE(mbox_names, 7);

/**
 * mbox_name_from_user() - copy in and check a mailbox name
 * @name: buffer of MBOX_NAME_MAX + 1 bytes
 * @uptr: user pointer to a NUL-terminated name
 *
 * A name is what a POSIX message queue's is after its leading '/', or a
 * file name: any bytes but '/' (and the NUL that ends it). Where a name
 * is shown, the bytes that would not read back are escaped (show.c).
 *
 * Return: 0, -EFAULT, or -EINVAL for a null pointer or a name that is
 * empty, longer than MBOX_NAME_MAX bytes or has a '/'.
 */
int mbox_name_from_user(char *name, u64 uptr)
{
	long len;

	if (!uptr)
		return -EINVAL;
	len = strncpy_from_user(name, u64_to_user_ptr(uptr), MBOX_NAME_MAX + 1);
	if (len < 0)
		return len;
	if (len == 0 || len > MBOX_NAME_MAX || memchr(name, '/', len))
		return -EINVAL;
	return 0;
}

/*
 * Whether @nr_mq POSIX message queues (MBOX_CREATE_MQ) are as many as the
 * caller's IPC namespace's fs.mqueue.queues_max allows; CAP_SYS_RESOURCE
 * exceeds it, as for ipc/mqueue.c's queues.
 */
static bool mbox_mq_full(unsigned int nr_mq)
{
	unsigned int max = READ_ONCE(current->nsproxy->ipc_ns->mq_queues_max);

	return nr_mq >= max && !capable(CAP_SYS_RESOURCE);
}

static u32 mbox_name_hash(const struct mbox_ns *ns, const char *name)
{
	return full_name_hash(ns, name, strlen(name));
}

/* The mailbox named @name in namespace @ns (NULL: one with none), if any. */
static struct mbox *mbox_find(const struct mbox_ns *ns, const char *name)
{
	struct mbox *mb;

	lockdep_assert_held(&mbox_registry_lock);
	if (!ns)
		return NULL;
	hash_for_each_possible(mbox_names, mb, hnode, mbox_name_hash(ns, name))
		if (mb->ns == ns && !strcmp(mb->name, name))
			return mb;
	return NULL;
}

/**
 * mbox_mq_may_create() - what mq_open() checks before a new queue's sizes
 * @name:	its validated name, or NULL
 *
 * A POSIX message queue (MBOX_CREATE_MQ) that exists is EEXIST and one
 * past fs.mqueue.queues_max ENOSPC before its attributes are looked at,
 * as in ipc/mqueue.c. mbox_register() checks both again, under the same
 * lock, when it enters the mailbox.
 *
 * Return: 0, -EEXIST or -ENOSPC.
 */
int mbox_mq_may_create(const char *name)
{
	struct mbox_ns *ns;
	int err = 0;

	mutex_lock(&mbox_registry_lock);
	ns = mbox_ns_current(false);	/* NULL: none yet */
	if (name && ns && mbox_find(ns, name))
		err = -EEXIST;
	else if (mbox_mq_full(ns ? ns->nr_mq : 0))
		err = -ENOSPC;
	mutex_unlock(&mbox_registry_lock);
	return err;
}

/**
 * mbox_register() - enter a new mailbox in the caller's IPC namespace
 * @mb:		a mailbox from mbox_new(), not yet visible to anyone
 * @name:	its validated name, or NULL for an anonymous mailbox
 *
 * The name takes a reference of its own, dropped by unlink (or when the
 * namespace goes: ns.c); the mailbox holds one to its namespace's entry.
 *
 * Return: 0, -EEXIST if the name is taken in the namespace, -ENOSPC if the
 * namespace has max_mailboxes mailboxes, or -ENOMEM.
 */
int mbox_register(struct mbox *mb, const char *name)
{
	struct mbox_ns *ns;
	int err = 0;

	mutex_lock(&mbox_registry_lock);
	ns = mbox_ns_current(true);
	if (IS_ERR(ns)) {
		err = PTR_ERR(ns);
		goto out_unlock;
	}
	if (name && mbox_find(ns, name)) {
		err = -EEXIST;
		goto out_unlock;
	}
	if (ns->nr >= mbox_limit(&mbox_max_mailboxes) ||
	    (mb->mq && mbox_mq_full(ns->nr_mq))) {
		err = -ENOSPC;
		goto out_unlock;
	}
	mbox_ns_get(ns);
	mb->ns = ns;
	list_add_tail(&mb->node, &ns->all);
	ns->nr++;
	ns->nr_mq += mb->mq;
	if (name) {
		strscpy(mb->name, name, sizeof(mb->name));
		mbox_get(mb);
		hash_add(mbox_names, &mb->hnode, mbox_name_hash(ns, name));
		WRITE_ONCE(mb->linked, true);
	}
out_unlock:
	mutex_unlock(&mbox_registry_lock);
	return err;
}

/* Take @mb out of the name table; return whether it was there. */
static bool mbox_unhash(struct mbox *mb)
{
	lockdep_assert_held(&mbox_registry_lock);
	if (!mb->linked)
		return false;
	hash_del(&mb->hnode);
	WRITE_ONCE(mb->linked, false);
	return true;
}

/**
 * mbox_unregister() - undo mbox_register()'s name for a create that failed
 * @mb: the mailbox; the caller still holds its own reference
 *
 * Someone may have unlinked (and even re-created) the name meanwhile, so
 * the mailbox is matched by identity, not by name.
 */
void mbox_unregister(struct mbox *mb)
{
	bool unhashed;

	mutex_lock(&mbox_registry_lock);
	unhashed = mbox_unhash(mb);
	mutex_unlock(&mbox_registry_lock);
	if (unhashed)
		mbox_put(mb);
}

/**
 * mbox_forget() - take a mailbox being freed out of the registry
 * @mb: the mailbox; nothing refers to it any more
 */
void mbox_forget(struct mbox *mb)
{
	if (list_empty(&mb->node))
		return;		/* mbox_register() refused it */
	mutex_lock(&mbox_registry_lock);
	list_del(&mb->node);
	mb->ns->nr--;
	mb->ns->nr_mq -= mb->mq;
	mutex_unlock(&mbox_registry_lock);
	mbox_ns_put(mb->ns);
}

/**
 * mbox_unhash_one() - take a name of a namespace that has died (ns.c)
 * @ns:	the namespace, under mbox_registry_lock
 *
 * Return: a mailbox whose name was removed, with the name's reference now
 * the caller's to drop (after unlocking), or NULL if none is left.
 */
struct mbox *mbox_unhash_one(struct mbox_ns *ns)
{
	struct mbox *mb;

	lockdep_assert_held(&mbox_registry_lock);
	list_for_each_entry(mb, &ns->all, node)
		if (mbox_unhash(mb))
			return mb;
	return NULL;
}

/**
 * mbox_count() - how many mailboxes exist
 *
 * Return: the number, for MBOXIO_INFO.
 */
/* How many mailboxes the caller's IPC namespace has (MBOXIO_INFO). */
unsigned int mbox_count(void)
{
	struct mbox_ns *ns;
	unsigned int nr;

	mutex_lock(&mbox_registry_lock);
	ns = mbox_ns_current(false);
	nr = ns ? ns->nr : 0;
	mutex_unlock(&mbox_registry_lock);
	return nr;
}

/*
 * The /proc/driver/mbox iterator (proc.c): every mailbox in creation
 * order, under the registry mutex, so none can be freed while listed.
 */
/* A namespace with no entry yet has no mailboxes. */
static LIST_HEAD(mbox_none);

/* The listing's mailboxes: those of the namespace in m->private. */
static struct list_head *mbox_seq_list(struct seq_file *m)
{
	struct mbox_ns *ns = m->private;

	return ns ? &ns->all : &mbox_none;
}

void *mbox_seq_start(struct seq_file *m, loff_t *pos)
{
	mutex_lock(&mbox_registry_lock);
	return seq_list_start_head(mbox_seq_list(m), *pos);
}

void *mbox_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	return seq_list_next(v, mbox_seq_list(m), pos);
}

void mbox_seq_stop(struct seq_file *m, void *v)
{
	mutex_unlock(&mbox_registry_lock);
}

/* The header line is the list head itself (seq_list_start_head()). */
bool mbox_seq_is_header(struct seq_file *m, void *v)
{
	return v == mbox_seq_list(m);
}

/**
 * mbox_seq_ns() - the namespace a listing opened now shows
 *
 * Return: the caller's namespace's mailboxes with a reference the caller
 * drops with mbox_ns_put(), or NULL if it has none yet.
 */
struct mbox_ns *mbox_seq_ns(void)
{
	struct mbox_ns *ns;

	mutex_lock(&mbox_registry_lock);
	ns = mbox_ns_current(false);
	if (ns)
		mbox_ns_get(ns);
	mutex_unlock(&mbox_registry_lock);
	return ns;
}

/*
 * File-style access check against the mailbox's owner, group and mode,
 * by effective ids, as mq_open() does for its queues.
 */
/*
 * A capability over @mb: in the user namespace that owns the mailbox's IPC
 * namespace, and only if the mailbox's owner is mapped there (as
 * ipc/util.c's ipcperms() asks of SysV objects), so root of a container
 * rules its own namespace's mailboxes, not ones of users it cannot name.
 */
static bool mbox_capable(const struct mbox *mb, int cap)
{
	struct user_namespace *ns = mb->ns->user_ns;

	return kuid_has_mapping(ns, mb->uid) && kgid_has_mapping(ns, mb->gid) &&
	       ns_capable(ns, cap);
}

static int mbox_permission(const struct mbox *mb, u32 fd_flags)
{
	umode_t mode = mb->mode;
	umode_t want = 0;	/* MAY_READ and MAY_WRITE are the r and w bits */

	if (fd_flags & MBOX_FD_RECV)
		want |= MAY_READ;
	if (fd_flags & MBOX_FD_SEND)
		want |= MAY_WRITE;

	if (uid_eq(current_euid(), mb->uid))
		mode >>= 6;
	else if (in_egroup_p(mb->gid))
		mode >>= 3;
	if ((mode & want) == want || mbox_capable(mb, CAP_DAC_OVERRIDE))
		return 0;
	return -EACCES;
}

/**
 * mbox_lookup() - find a named mailbox for MBOXIO_OPEN
 * @name:	validated name
 * @fd_flags:	MBOX_FD_* asked for, checked against the mode
 *
 * Return: the mailbox with a new reference, or ERR_PTR(-ENOENT) or
 * ERR_PTR(-EACCES).
 */
struct mbox *mbox_lookup(const char *name, u32 fd_flags)
{
	struct mbox *mb;
	int err;

	mutex_lock(&mbox_registry_lock);
	mb = mbox_find(mbox_ns_current(false), name);
	if (!mb) {
		err = -ENOENT;
		goto out_unlock;
	}
	err = mbox_permission(mb, fd_flags);
	if (err)
		goto out_unlock;
	mbox_get(mb);
out_unlock:
	mutex_unlock(&mbox_registry_lock);
	return err ? ERR_PTR(err) : mb;
}

/**
 * mbox_unlink() - remove a name (MBOXIO_UNLINK)
 * @name: validated name
 *
 * Only the owner may unlink, as with a file in a sticky directory such as
 * /dev/mqueue. Open fds keep the mailbox alive.
 *
 * Return: 0, -ENOENT or -EACCES.
 */
int mbox_unlink(const char *name)
{
	struct mbox *mb;
	int err = 0;

	mutex_lock(&mbox_registry_lock);
	mb = mbox_find(mbox_ns_current(false), name);
	if (!mb)
		err = -ENOENT;
	else if (!uid_eq(current_euid(), mb->uid) &&
		 !mbox_capable(mb, CAP_DAC_OVERRIDE))
		err = -EACCES;
	else
		mbox_unhash(mb);
	mutex_unlock(&mbox_registry_lock);
	if (!err)
		mbox_put(mb);
	return err;
}
