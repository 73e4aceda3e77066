// SPDX-License-Identifier: GPL-2.0
/*
 * The registry: every mailbox in existence (for max_mailboxes and the
 * /proc/driver/mbox listing), one global namespace of names, and the
 * permission checks done when a name is opened or unlinked.
 *
 * Locking. mbox_registry_lock (a mutex) protects mbox_all, mbox_nr,
 * mbox_names, and every mailbox's @node, @hnode and @linked. A linked
 * mailbox holds a reference for its name, so a lookup under the mutex may
 * take another reference without kref_get_unless_zero(). The mutex is
 * never held while dropping a reference: the final mbox_put() calls back
 * into mbox_forget(). Lock order: mbox_registry_lock, then mbox->lock (the
 * listing takes both).
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/fs.h>
#include <linux/stringhash.h>
#include <linux/uaccess.h>

#include "mbox.h"

static DEFINE_MUTEX(mbox_registry_lock);
static LIST_HEAD(mbox_all);
static unsigned int mbox_nr;
static DEFINE_HASHTABLE(mbox_names, 7);

/*
 * ASCII only: the kernel's isalnum() also takes Latin-1 letters
 * (0xC0-0xFF), which are not in the documented alphabet.
 */
static bool mbox_name_char_valid(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/**
 * mbox_name_from_user() - copy in and check a mailbox name
 * @name: buffer of MBOX_NAME_MAX + 1 bytes
 * @uptr: user pointer to a NUL-terminated name
 *
 * Return: 0, -EFAULT, or -EINVAL for a null pointer or a name that is not
 * 1..MBOX_NAME_MAX bytes of [A-Za-z0-9._-].
 */
int mbox_name_from_user(char *name, u64 uptr)
{
	long len, i;

	if (!uptr)
		return -EINVAL;
	len = strncpy_from_user(name, u64_to_user_ptr(uptr), MBOX_NAME_MAX + 1);
	if (len < 0)
		return len;
	if (len == 0 || len > MBOX_NAME_MAX)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (!mbox_name_char_valid(name[i]))
			return -EINVAL;
	return 0;
}

static u32 mbox_name_hash(const char *name)
{
	return full_name_hash(NULL, name, strlen(name));
}

static struct mbox *mbox_find(const char *name)
{
	struct mbox *mb;

	lockdep_assert_held(&mbox_registry_lock);
	hash_for_each_possible(mbox_names, mb, hnode, mbox_name_hash(name))
		if (!strcmp(mb->name, name))
			return mb;
	return NULL;
}

/**
 * mbox_register() - enter a new mailbox, and give it its name
 * @mb:		a mailbox from mbox_new(), not yet visible to anyone
 * @name:	its validated name, or NULL for an anonymous mailbox
 *
 * The name takes a reference of its own, dropped by unlink.
 *
 * Return: 0, -EEXIST if the name is taken, or -ENOSPC if max_mailboxes
 * mailboxes exist.
 */
int mbox_register(struct mbox *mb, const char *name)
{
	int err = 0;

	mutex_lock(&mbox_registry_lock);
	if (name && mbox_find(name)) {
		err = -EEXIST;
		goto out_unlock;
	}
	if (mbox_nr >= mbox_limit(&mbox_max_mailboxes)) {
		err = -ENOSPC;
		goto out_unlock;
	}
	list_add_tail(&mb->node, &mbox_all);
	WRITE_ONCE(mbox_nr, mbox_nr + 1);
	if (name) {
		strscpy(mb->name, name, sizeof(mb->name));
		mbox_get(mb);
		hash_add(mbox_names, &mb->hnode, mbox_name_hash(name));
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
	WRITE_ONCE(mbox_nr, mbox_nr - 1);
	mutex_unlock(&mbox_registry_lock);
}

/**
 * mbox_count() - how many mailboxes exist
 *
 * Return: the number, for MBOXIO_INFO.
 */
unsigned int mbox_count(void)
{
	return READ_ONCE(mbox_nr);
}

/*
 * The /proc/driver/mbox iterator (proc.c): every mailbox in creation
 * order, under the registry mutex, so none can be freed while listed.
 */
void *mbox_seq_start(struct seq_file *m, loff_t *pos)
{
	mutex_lock(&mbox_registry_lock);
	return seq_list_start_head(&mbox_all, *pos);
}

void *mbox_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	return seq_list_next(v, &mbox_all, pos);
}

void mbox_seq_stop(struct seq_file *m, void *v)
{
	mutex_unlock(&mbox_registry_lock);
}

/* The header line is the list head itself (seq_list_start_head()). */
bool mbox_seq_is_header(void *v)
{
	return v == &mbox_all;
}

/*
 * File-style access check against the mailbox's owner, group and mode,
 * by effective ids, as mq_open() does for its queues.
 */
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
	if ((mode & want) == want || capable(CAP_DAC_OVERRIDE))
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
	mb = mbox_find(name);
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
	mb = mbox_find(name);
	if (!mb)
		err = -ENOENT;
	else if (!uid_eq(current_euid(), mb->uid) && !capable(CAP_DAC_OVERRIDE))
		err = -EACCES;
	else
		mbox_unhash(mb);
	mutex_unlock(&mbox_registry_lock);
	if (!err)
		mbox_put(mb);
	return err;
}
