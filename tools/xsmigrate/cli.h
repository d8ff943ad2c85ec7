/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * What the xsmigrate subcommands share: exit statuses, usage, option
 * parsing helpers and error reporting.
 */
#ifndef XSM_TOOLS_CLI_H
#define XSM_TOOLS_CLI_H

#include <cstdio>
#include <string>

#include "common/status.h"
#include "stream/format.h"

namespace xsm {

/* Exit statuses; documented in docs/xsmigrate.1.  A failure's is
 * ExitStatusOf() its kind: the one table, exit_status.cc. */
enum Exit {
    kOk = 0,
    kInvalid = 1,        /* invalid stream, or refused as hostile */
    kUsage = 2,
    kIo = 3,             /* a file could not be read or written */
    kCannotConvert = 4,  /* valid, but not convertible as asked */
    kXenstored = 5,      /* xenstored unreachable or refused */
};

/*
 * Every message has one shape, "xsmigrate CMD: what: why"; why is
 * "CMD: what...".
 */
int Usage(const char *why);
/* Prints "xsmigrate CMD: msg", returns status. */
int Fail(const char *cmd, int status, const std::string &msg);
/* The exit status a failure of this kind is (docs/xsmigrate.1). */
int ExitStatusOf(StatusCode code);
/* Prints "xsmigrate CMD: message", returns ExitStatusOf(s.code()). */
int Fail(const char *cmd, const Status &s);
/* help.cc: the synopsis of every command, --version and help. */
void PrintUsage(FILE *out);
bool PrintCommandHelp(const char *cmd, FILE *out);
/* True if argv[1..] (before any "--") has -h or --help. */
bool AsksForHelp(int argc, char **argv);
int Help(int argc, char **argv);
int Version();
bool ParseLayout(const char *s, Layout *out);
/* "xsmigrate CMD: warning: what" */
void PrintWarning(const char *cmd, const std::string &what);
/* A decimal number up to max, with no sign, spaces, base prefix or leading zero. */
bool ParseDecimal(const char *s, unsigned long long max, unsigned long long *out);

/* Std fds opened onto /dev/null if closed; SIGPIPE ignored.  First thing in main. */
void PrepareProcess();
bool StdFdWasClosed(int fd);

int Dump(int argc, char **argv);
int Verify(int argc, char **argv);
int Convert(int argc, char **argv);
int Save(int argc, char **argv);
int Restore(int argc, char **argv);
int Resume(int argc, char **argv);

} // namespace xsm

#endif
