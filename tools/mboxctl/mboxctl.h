/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mboxctl's shared pieces: messages and exit codes, argument parsing,
 * small helpers (util.c), the /proc/driver/mbox listing (listing.c), and
 * one function per command, each in a file of its own named after it.
 */
#ifndef MBOXCTL_H
#define MBOXCTL_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libmbox.h>

#ifndef MBOX_VERSION
#define MBOX_VERSION "unknown"
#endif

#define MBOX_DEV		"/dev/mbox"
#define MBOX_PROC		"/proc/driver/mbox"
/*
 * A name as the listing shows it (up to 255 bytes, each escaped to at most
 * four: module/show.c) or "(anonymous)", with its NUL.
 */
#define NAME_BUF		(4 * 255 + 1)

enum {
	EXIT_OK		= 0,
	EXIT_FAIL	= 1,
	EXIT_USAGE	= 2,
	EXIT_TIMEOUT	= 3,
	EXIT_SHUTDOWN	= 4,
	EXIT_NOREPLY	= 5,
};

/* The program's name, for messages (mboxctl.c). */
extern const char *prog;

/* util.c: messages and exit codes, argument parsing, helpers */
void __attribute__((noreturn, format(printf, 1, 2)))
usage_error(const char *fmt, ...);
int __attribute__((format(printf, 2, 3))) fail(int err, const char *fmt, ...);
int exit_code(int err);
unsigned long parse_ulong(const char *opt, const char *s, int base,
			  unsigned long max);
int64_t parse_timeout(const char *s);
void check_name(const char *cmd, const char *name);
void no_more_args(const char *cmd, int argc, char **argv);
int next_opt(int argc, char **argv, const char *shorts,
	     const struct option *longs, void (*help)(void));
int64_t now_ns(void);
int64_t remaining(int64_t timeout, int64_t start);
void mode_string(mode_t mode, char out[11]);
const char *user_name(uid_t uid, bool numeric, char *buf, size_t size);
const char *group_name(gid_t gid, bool numeric, char *buf, size_t size);
int flush_stdout(void);
int read_all(FILE *f, char **out, size_t *len, size_t max);

/* listing.c: the /proc/driver/mbox listing */
struct entry {
	char name[NAME_BUF];
	unsigned int uid, gid, mode, capacity, msg_size, queued;
	unsigned long long bytes;
	unsigned int senders, receivers, leased;
	unsigned long long sent, received;
	char flags[64];
};
const char *proc_path(void);
int read_listing(struct entry **out);

/* One per command (create.c, ls.c, ...). */
int cmd_create(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_send(int argc, char **argv);
int cmd_recv(int argc, char **argv);
int cmd_shutdown(int argc, char **argv);
int cmd_rm(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_call(int argc, char **argv);
int cmd_serve(int argc, char **argv);

#endif /* MBOXCTL_H */
