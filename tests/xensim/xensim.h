/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xensim command: shared helpers.
 */
#ifndef XENSIM_H
#define XENSIM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <xen/io/xs_wire.h>

#include "hv.h"

#define XENSIM_GUEST_GFN	0xfeffcUL	/* conventional HVM store pfn */
#define XENSIM_VIRQ_DOM_EXC	3

struct xs_msg {
	struct xsd_sockmsg hdr;
	char body[XENSTORE_PAYLOAD_MAX + 1];	/* always NUL terminated */
};

/* Report a broken simulation and exit(2); never returns. */
void die(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

/* $XENSIM_TIMEOUT_MS, default 10000: the bound on every wait. */
int xensim_timeout_ms(void);
int64_t now_ms(void);

/* Absolute host directory from the command line (created if asked). */
void host_open(struct hv_host *h, const char *dir, int create);
/* $HOST/run/socket: the daemon's socket, what XENSTORED_PATH names. */
void host_socket(const struct hv_host *h, char *buf, size_t len);

/* Name of an XS_ERROR reply body for errno-like results. */
const char *xs_errname(int err);

/*
 * One request over xenstored's socket, as dom0 tools make it.  Returns 0
 * and fills reply, or an errno value (the daemon's error reply, ETIMEDOUT,
 * ECONNREFUSED...).
 */
int xs_sock_request(const struct hv_host *h, uint32_t type, uint32_t tx,
		    const void *body, size_t len, struct xs_msg *reply,
		    int timeout_ms);

/* host.c: the daemon of a host. */
void host_file(const struct hv_host *h, char *buf, const char *name);
pid_t daemon_pid(const struct hv_host *h);		/* 0: not running */
void show_log(const struct hv_host *h);			/* tail, to stderr */
int wait_serving(const struct hv_host *h, pid_t child);	/* 0 or errno */
void write_text(const char *path, const char *text);
/* lu.c */
int host_live_update(const struct hv_host *h, const char *capture,
		     int force, const char *filter);

int cmd_host(int argc, char **argv);
int cmd_domain(int argc, char **argv);
int cmd_guest(int argc, char **argv);

#endif /* XENSIM_H */
