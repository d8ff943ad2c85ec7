/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xensim: the slice of a hypervisor that xenstored needs, simulated over a
 * per-host state directory.
 *
 * Everything a real hypervisor keeps in its own memory (the domain list,
 * the event channel tables, the xenstore ring page of each domain) lives in
 * files under HOST/hv, so that any process of the simulated host (xenstored,
 * a guest, the xensim command) sees the same state, and so that the state
 * survives xenstored exec()ing itself for a live update.
 *
 *   HOST/hv/lock                  flock()ed around every state change
 *   HOST/hv/dom/ID/info           "dying D shutdown S reason R"
 *   HOST/hv/dom/ID/ring           the xenstore ring page (grant ref 1)
 *   HOST/hv/dom/ID/store-port     the guest's end of its store channel
 *   HOST/hv/dom/ID/mapped         while the page is grant-mapped: how often
 *   HOST/hv/dom/ID/unmapped       how often a grant mapping of it went
 *                                 (when Xen logs the page dirty)
 *   HOST/hv/dom/ID/refuse-map     a test's: grant mapping the page fails
 *   HOST/hv/dom/ID/port/N         one event channel, see struct hv_port
 *   HOST/hv/rx/PID.N               datagram sockets receiving events
 *
 * An event is delivered by sending the local port number (uint32_t) as one
 * datagram to the socket of the process that bound the port; that socket is
 * what xenevtchn_fd() returns, so it is pollable and, being a plain fd, it
 * survives exec() (xenstored passes it to xenevtchn_fdopen() after a live
 * update).
 */
#ifndef XENSIM_HV_H
#define XENSIM_HV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <sys/un.h>

#define HV_PAGE_SIZE	4096
#define HV_MAX_PORTS	4096	/* 2-level ABI limit for a 64-bit guest */
#define HV_MAX_DOMID	0x7FF0	/* DOMID_FIRST_RESERVED */

struct hv_host {
	char dir[PATH_MAX - 64];	/* absolute path of the host directory */
};

struct hv_dominfo {
	unsigned int domid;
	bool dying, shutdown;
	unsigned int reason;
};

enum hv_port_kind { HV_PORT_UNBOUND, HV_PORT_INTERDOMAIN, HV_PORT_VIRQ };

struct hv_port {
	enum hv_port_kind kind;
	unsigned int remote_dom;	/* unbound, interdomain */
	unsigned int remote_port;	/* interdomain */
	unsigned int virq;		/* virq */
	char rx[sizeof(((struct sockaddr_un *)0)->sun_path)]; /* "" = none */
};

/* Host directory. */
int hv_host_init(struct hv_host *h, const char *dir);
int hv_host_from_env(struct hv_host *h);	/* $XENSIM_HOST */
int hv_path(const struct hv_host *h, char *buf, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int hv_lock(const struct hv_host *h);		/* returns fd for hv_unlock */
void hv_unlock(int fd);

/* Small state files, replaced atomically. */
int hv_read_line(const char *path, char *buf, size_t len);
int hv_write_file(const char *path, const void *data, size_t len);

/* Domains; the caller holds the lock for the hv_dom_* and hv_port_* calls. */
int hv_dom_create(const struct hv_host *h, unsigned int domid);
int hv_dom_info(const struct hv_host *h, unsigned int domid,
		struct hv_dominfo *info);
int hv_dom_set_info(const struct hv_host *h, const struct hv_dominfo *info);
int hv_dom_list(const struct hv_host *h, unsigned int first,
		unsigned int *ids, unsigned int max);
int hv_dom_reap(const struct hv_host *h, unsigned int domid);
int hv_dom_read_uint(const struct hv_host *h, unsigned int domid,
		     const char *file, unsigned int *val);
int hv_dom_write_uint(const struct hv_host *h, unsigned int domid,
		      const char *file, unsigned int val);

/* Event channels. */
int hv_port_get(const struct hv_host *h, unsigned int domid,
		unsigned int port, struct hv_port *p);
int hv_port_put(const struct hv_host *h, unsigned int domid,
		unsigned int port, const struct hv_port *p);
int hv_port_alloc(const struct hv_host *h, unsigned int domid,
		  const struct hv_port *p);
int hv_port_close(const struct hv_host *h, unsigned int domid,
		  unsigned int port);
/* EVTCHNOP_send: signal the remote end of an interdomain channel. */
int hv_notify(const struct hv_host *h, unsigned int domid, unsigned int port);
/* Raise a global VIRQ (bound in dom0 only, as VIRQ_DOM_EXC is). */
void hv_raise_virq(const struct hv_host *h, unsigned int virq);

/* Event receiving sockets. */
int hv_rx_open(const struct hv_host *h, bool cloexec, char *path,
	       size_t len);
int hv_rx_path(int fd, char *path, size_t len);
int hv_rx_wait(int fd, int timeout_ms);		/* 1: event(s), 0: timeout */
int hv_rx_pending(int fd);			/* port, or -1 */

/* Map the ring page of a domain (MAP_SHARED on its ring file). */
void *hv_ring_map(const struct hv_host *h, unsigned int domid);

#endif /* XENSIM_HV_H */
