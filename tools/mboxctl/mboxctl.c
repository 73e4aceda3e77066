// SPDX-License-Identifier: GPL-2.0
/*
 * mboxctl: create, list, inspect, use and remove mbox mailboxes from the
 * command line, in the style of ipcs(1)/ipcrm(1) and ip(8).
 *
 *   mboxctl create NAME [--capacity N] [--msg-size B] [--mode MODE]
 *   mboxctl ls [--numeric]
 *   mboxctl stat NAME
 *   mboxctl send NAME [--timeout MS] [--lines] [MESSAGE...|-]
 *   mboxctl recv NAME [--timeout MS] [--count N] [--raw] [--verbose]
 *   mboxctl shutdown NAME
 *   mboxctl rm [--force] NAME...
 *   mboxctl info
 *   mboxctl call NAME [--timeout MS] [--raw] [--verbose] [MESSAGE|-]
 *   mboxctl serve NAME [--count N] -- COMMAND [ARG...]
 *
 * Exit status (man/man8/mboxctl.8 is the reference):
 *   0  success
 *   1  the operation failed (the message says why, with the errno text)
 *   2  usage error (bad command, option or argument)
 *   3  timed out: a send or receive would have had to wait longer than
 *      --timeout allowed (ETIMEDOUT, or EAGAIN with --timeout 0)
 *   4  the mailbox is shut down: a send was refused, or recv found the
 *      mailbox shut down and drained (EPIPE), before --count messages
 *   5  call: a server took the request and will never reply (ECONNRESET)
 */
#include "mboxctl.h"

const char *prog = "mboxctl";

/* ------------------------------------------------------------------ */

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args;
	const char *summary;
} commands[] = {
	{ "create",   cmd_create,   "NAME [-c N] [-s BYTES] [-m MODE]", "create a mailbox" },
	{ "ls",       cmd_ls,       "[-n]", "list all mailboxes" },
	{ "stat",     cmd_stat,     "NAME", "show one mailbox" },
	{ "send",     cmd_send,     "NAME [-t MS] [-l] [MESSAGE...|-]", "send messages" },
	{ "recv",     cmd_recv,     "NAME [-t MS] [-n N] [-r] [-v]", "receive and print messages" },
	{ "shutdown", cmd_shutdown, "NAME", "shut a mailbox down" },
	{ "rm",       cmd_rm,       "[-f] NAME...", "remove mailbox names" },
	{ "info",     cmd_info,     "", "show the module's version and limits" },
	{ "call",     cmd_call,     "NAME [-t MS] [-r] [-v] [MESSAGE|-]", "send a request, print the reply" },
	{ "serve",    cmd_serve,    "NAME [-n N] -- COMMAND [ARG...]", "answer requests with a command" },
};

static void help(void)
{
	size_t i;

	printf("Usage: %s COMMAND [ARGS]\n"
	       "       %s COMMAND --help\n"
	       "Manage mbox mailboxes (%s, %s).\n\nCommands:\n",
	       prog, prog, MBOX_DEV, MBOX_PROC);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  %-8s %-33s %s\n", commands[i].name, commands[i].args,
		       commands[i].summary);
	printf("\nOptions:\n"
	       "  -h, --help     show this help\n"
	       "  -V, --version  show the version\n"
	       "\nExit status: 0 success, 1 failure, 2 usage error, 3 timed out,\n"
	       "4 mailbox shut down. See mboxctl(8).\n");
}

int main(int argc, char **argv)
{
	const char *cmd;
	size_t i;

	if (argc < 2)
		usage_error("missing COMMAND");
	cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 ||
	    strcmp(cmd, "help") == 0) {
		help();
		return flush_stdout();
	}
	if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
		printf("mboxctl (mbox) %s\n", MBOX_VERSION);
		return flush_stdout();
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(cmd, commands[i].name) == 0) {
			/* The command's arguments, with its name as argv[0]. */
			opterr = 0;
			optind = 1;
			return commands[i].fn(argc - 1, argv + 1);
		}
	}
	if (cmd[0] == '-')
		usage_error("unknown option '%s'", cmd);
	usage_error("unknown command '%s'", cmd);
}
