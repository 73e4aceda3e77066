// SPDX-License-Identifier: GPL-2.0
/*
 * Mailbox file descriptors: creating them, their ioctls, read(2) and
 * write(2), poll and fdinfo.
 *
 * Each ioctl handler copies its argument in, rejects what the ABI does not
 * define, checks limits, acts, and copies results out. The file's own
 * access mode (FMODE_READ for receive, FMODE_WRITE for send and shutdown)
 * and O_NONBLOCK are read at every call, so fcntl(F_SETFL) takes effect.
 */

#include <linux/anon_inodes.h>
#include <linux/build_bug.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "mbox.h"

/* Parse the MBOX_MSG_* waiting rules shared by send and receive. */
static int mbox_wait_from_user(const struct file *file, u32 flags,
			       u64 deadline_ns, struct mbox_wait *wait)
{
	if (flags & ~MBOX_MSG_ALL)
		return -EINVAL;
	if ((flags & MBOX_MSG_DONTWAIT) && (flags & MBOX_MSG_DEADLINE))
		return -EINVAL;
	if (!(flags & MBOX_MSG_DEADLINE) && deadline_ns)
		return -EINVAL;

	wait->nowait = (flags & MBOX_MSG_DONTWAIT) ||
		       (file->f_flags & O_NONBLOCK);
	wait->deadline = KTIME_MAX;
	if ((flags & MBOX_MSG_DEADLINE) && deadline_ns < KTIME_MAX)
		wait->deadline = ns_to_ktime(deadline_ns);
	return 0;
}

static long mbox_ioctl_send(struct file *file, struct mbox *mb,
			    struct mboxio_send __user *uarg)
{
	struct mboxio_send args;
	struct mbox_wait wait;
	int err;

	BUILD_BUG_ON(sizeof(args) != 24);

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	err = mbox_wait_from_user(file, args.flags, args.deadline_ns, &wait);
	if (err)
		return err;
	if (args.len > mb->msg_size)
		return -EMSGSIZE;
	return mbox_send(mb, u64_to_user_ptr(args.buf), args.len, &wait);
}

/*
 * Pass a delivery on to user space: one copy of the struct's output half,
 * len to seq; the caller's input half is left as it was.
 */
static int mbox_report_recv(const struct mbox_delivery *dlv, void __user *p)
{
	const size_t start = offsetof(struct mboxio_recv, len);
	struct mboxio_recv out = {
		.len = dlv->len,
		.pid = dlv->pid,
		.uid = dlv->uid,
		.gid = dlv->gid,
		.seq = dlv->seq,
	};

	BUILD_BUG_ON(start != 24);
	if (copy_to_user(p + start, (char *)&out + start, sizeof(out) - start))
		return -EFAULT;
	return 0;
}

static long mbox_ioctl_recv(struct file *file, struct mbox *mb,
			    struct mboxio_recv __user *uarg)
{
	struct mbox_delivery dlv = {};
	struct mboxio_recv args;
	struct mbox_wait wait;
	int ret;

	BUILD_BUG_ON(sizeof(args) != 48);

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	ret = mbox_wait_from_user(file, args.flags, args.deadline_ns, &wait);
	if (ret)
		return ret;

	/*
	 * The results are written before the message is taken: if they
	 * cannot be, the message goes back and the call fails with -EFAULT.
	 */
	ret = mbox_recv(mb, u64_to_user_ptr(args.buf), args.size, &wait, &dlv,
			mbox_report_recv, uarg);
	if (ret == -EMSGSIZE && put_user(dlv.len, &uarg->len))
		return -EFAULT;
	return ret;
}

static int mbox_batch_from_user(const struct file *file,
				struct mboxio_batch __user *uarg,
				struct mboxio_batch *args, struct mbox_wait *wait)
{
	int err;

	BUILD_BUG_ON(sizeof(*args) != 24);

	if (copy_from_user(args, uarg, sizeof(*args)))
		return -EFAULT;
	err = mbox_wait_from_user(file, args->flags, args->deadline_ns, wait);
	if (err)
		return err;
	if (args->count > MBOX_BATCH_MAX)
		return -EINVAL;
	return 0;
}

/*
 * A batch is a loop over single sends that stops at the first failure;
 * only the first message may wait. It saves a system call per message,
 * which is most of the cost of a small message.
 */
static long mbox_ioctl_sendv(struct file *file, struct mbox *mb,
			     struct mboxio_batch __user *uarg)
{
	struct mboxio_sendmsg __user *uvec;
	struct mboxio_sendmsg m;
	struct mboxio_batch args;
	struct mbox_wait wait;
	int err;
	u32 i;

	BUILD_BUG_ON(sizeof(m) != 16);

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	err = mbox_batch_from_user(file, uarg, &args, &wait);
	if (err)
		return err;

	uvec = u64_to_user_ptr(args.vec);
	for (i = 0; i < args.count; i++, wait.nowait = true) {
		if (copy_from_user(&m, &uvec[i], sizeof(m)))
			err = -EFAULT;
		else if (m.__pad)
			err = -EINVAL;
		else if (m.len > mb->msg_size)
			err = -EMSGSIZE;
		else
			err = mbox_send(mb, u64_to_user_ptr(m.buf), m.len, &wait);
		if (err)
			break;
	}
	return i ? i : err;
}

/* As mbox_report_recv(), for one element of a batch (__pad stays 0). */
static int mbox_report_recvmsg(const struct mbox_delivery *dlv,
			       void __user *p)
{
	const size_t start = offsetof(struct mboxio_recvmsg, len);
	struct mboxio_recvmsg out = {
		.len = dlv->len,
		.pid = dlv->pid,
		.uid = dlv->uid,
		.gid = dlv->gid,
		.seq = dlv->seq,
	};

	BUILD_BUG_ON(start != 12);
	if (copy_to_user(p + start, (char *)&out + start, sizeof(out) - start))
		return -EFAULT;
	return 0;
}

static int mbox_recv_one(struct mbox *mb, struct mboxio_recvmsg __user *um,
			 const struct mbox_wait *wait)
{
	struct mbox_delivery dlv = {};
	struct mboxio_recvmsg m;
	int ret;

	BUILD_BUG_ON(sizeof(m) != 40);

	if (copy_from_user(&m, um, sizeof(m)))
		return -EFAULT;
	if (m.__pad)
		return -EINVAL;
	/* As for MBOXIO_RECV: the results are written before the take. */
	ret = mbox_recv(mb, u64_to_user_ptr(m.buf), m.size, wait, &dlv,
			mbox_report_recvmsg, um);
	if (ret == -EMSGSIZE && put_user(dlv.len, &um->len))
		return -EFAULT;
	return ret < 0 ? ret : 0;
}

static long mbox_ioctl_recvv(struct file *file, struct mbox *mb,
			     struct mboxio_batch __user *uarg)
{
	struct mboxio_recvmsg __user *uvec;
	struct mboxio_batch args;
	struct mbox_wait wait;
	int err;
	u32 i;

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	err = mbox_batch_from_user(file, uarg, &args, &wait);
	if (err)
		return err;

	uvec = u64_to_user_ptr(args.vec);
	for (i = 0; i < args.count; i++, wait.nowait = true) {
		err = mbox_recv_one(mb, &uvec[i], &wait);
		if (err)
			break;
	}
	return i ? i : err;
}

static long mbox_ioctl_stat(struct mbox *mb, struct mboxio_stat __user *uarg)
{
	struct mboxio_stat st;

	BUILD_BUG_ON(sizeof(st) != 64);

	mbox_stat(mb, &st);
	if (copy_to_user(uarg, &st, sizeof(st)))
		return -EFAULT;
	return 0;
}

static long mbox_file_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	struct mbox *mb = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case MBOXIO_SEND:
		return mbox_ioctl_send(file, mb, uarg);
	case MBOXIO_RECV:
		return mbox_ioctl_recv(file, mb, uarg);
	case MBOXIO_STAT:
		return mbox_ioctl_stat(mb, uarg);
	case MBOXIO_SENDV:
		return mbox_ioctl_sendv(file, mb, uarg);
	case MBOXIO_RECVV:
		return mbox_ioctl_recvv(file, mb, uarg);
	case MBOXIO_SHUTDOWN:
		if (!(file->f_mode & FMODE_WRITE))
			return -EBADF;
		mbox_shutdown(mb);
		return 0;
	default:
		return -ENOTTY;
	}
}

/* read(2) and write(2) wait as the fd's O_NONBLOCK says, with no deadline. */
static void mbox_wait_from_file(const struct file *file, struct mbox_wait *wait)
{
	wait->nowait = file->f_flags & O_NONBLOCK;
	wait->deadline = KTIME_MAX;
}

/*
 * One message per read, as MBOXIO_RECV; a shut-down and drained mailbox
 * reads as end of file, so cat(1) and shell loops stop there.
 */
static ssize_t mbox_file_read(struct file *file, char __user *buf,
			      size_t count, loff_t *ppos)
{
	struct mbox_delivery dlv;
	struct mbox_wait wait;
	int ret;

	mbox_wait_from_file(file, &wait);
	ret = mbox_recv(file->private_data, buf, min_t(size_t, count, U32_MAX),
			&wait, &dlv, NULL, NULL);
	return ret == -EPIPE ? 0 : ret;
}

/* One message per write, as MBOXIO_SEND: all of @count or nothing. */
static ssize_t mbox_file_write(struct file *file, const char __user *buf,
			       size_t count, loff_t *ppos)
{
	struct mbox *mb = file->private_data;
	struct mbox_wait wait;
	int err;

	if (count > mb->msg_size)
		return -EMSGSIZE;
	mbox_wait_from_file(file, &wait);
	err = mbox_send(mb, buf, count, &wait);
	return err ? err : count;
}

static __poll_t mbox_file_poll(struct file *file, poll_table *pt)
{
	struct mbox *mb = file->private_data;

	poll_wait(file, &mb->poll_wq, pt);
	return mbox_poll_mask(mb, file->f_mode);
}

static void mbox_file_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct mbox *mb = file->private_data;
	struct mboxio_stat st;

	mbox_stat(mb, &st);
	seq_printf(m, "mbox-name:\t%s\n", mb->name[0] ? mb->name : "(anonymous)");
	seq_printf(m, "mbox-capacity:\t%u\nmbox-msg-size:\t%u\n",
		   st.capacity, st.msg_size);
	seq_printf(m, "mbox-mode:\t%04o\nmbox-uid:\t%u\nmbox-gid:\t%u\n",
		   st.mode, st.uid, st.gid);
	seq_printf(m, "mbox-queued:\t%u\nmbox-queued-bytes:\t%llu\n",
		   st.queued, st.queued_bytes);
	seq_printf(m, "mbox-senders:\t%u\nmbox-receivers:\t%u\n",
		   st.waiting_senders, st.waiting_receivers);
	seq_printf(m, "mbox-sent:\t%llu\nmbox-received:\t%llu\n",
		   st.sent, st.received);
	seq_puts(m, "mbox-flags:\t");
	mbox_show_flags(m, st.flags);
	seq_putc(m, '\n');
}

static int mbox_file_release(struct inode *inode, struct file *file)
{
	mbox_put(file->private_data);
	return 0;
}

static const struct file_operations mbox_fops = {
	.owner		= THIS_MODULE,
	.release	= mbox_file_release,
	.read		= mbox_file_read,
	.write		= mbox_file_write,
	.poll		= mbox_file_poll,
	.unlocked_ioctl	= mbox_file_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.show_fdinfo	= mbox_file_show_fdinfo,
};

/**
 * mbox_install_fd() - give the caller a new fd for a mailbox
 * @mb:		the mailbox
 * @fd_flags:	validated MBOX_FD_* flags
 *
 * On success the new file owns the caller's reference to @mb; on failure
 * the caller keeps it.
 *
 * Return: the fd, or -EMFILE, -ENFILE, -ENOMEM.
 */
int mbox_install_fd(struct mbox *mb, u32 fd_flags)
{
	static const int accmode[] = {
		[MBOX_FD_RECV] = O_RDONLY,
		[MBOX_FD_SEND] = O_WRONLY,
		[MBOX_FD_RDWR] = O_RDWR,
	};
	struct file *file;
	int oflags, fd;

	oflags = accmode[fd_flags & MBOX_FD_RDWR];
	if (fd_flags & MBOX_FD_NONBLOCK)
		oflags |= O_NONBLOCK;

	fd = get_unused_fd_flags(fd_flags & MBOX_FD_CLOEXEC ? O_CLOEXEC : 0);
	if (fd < 0)
		return fd;
	file = anon_inode_getfile("[mbox]", &mbox_fops, mb, oflags);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	/*
	 * Messages, not a byte stream with offsets: no seek, pread or pwrite
	 * (without FMODE_LSEEK, lseek fails with ESPIPE; no .llseek needed).
	 */
	stream_open(file_inode(file), file);
	fd_install(fd, file);
	return fd;
}
