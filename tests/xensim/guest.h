/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xensim guest: ring client state (guest.c) and commands (guestcmd.c).
 */
#ifndef XENSIM_GUEST_H
#define XENSIM_GUEST_H

#include <stdbool.h>
#include <stdint.h>
#include <xen/io/xs_wire.h>

#include "xensim.h"

struct guest_event {
	struct guest_event *next;
	uint32_t len;
	char body[];		/* "path\0token\0" */
};

struct guest {
	struct hv_host host;
	unsigned int domid;
	unsigned int port;	/* the guest's end of its store channel */
	struct xenstore_domain_interface *intf;
	int rxfd, lockfd;
	char rx[sizeof(((struct hv_port *)0)->rx)];
	uint32_t next_req;
	struct guest_event *events, **events_tail;
};

void guest_open(struct guest *g, const struct hv_host *h, unsigned int domid);
void guest_close(struct guest *g);
/* Read what the ring holds now; replies nobody waits for are dropped. */
void guest_poll(struct guest *g);
uint32_t guest_send(struct guest *g, uint32_t type, uint32_t tx,
		    const void *body, size_t len);
/* Header and only the first sent octets of the body: a half-written request. */
uint32_t guest_send_part(struct guest *g, uint32_t type, uint32_t tx,
			 const void *body, size_t len, size_t sent);
int guest_request(struct guest *g, uint32_t type, uint32_t tx,
		  const void *body, size_t len, struct xs_msg *reply);
unsigned int guest_wait_events(struct guest *g, unsigned int n, int timeout);

#endif /* XENSIM_GUEST_H */
