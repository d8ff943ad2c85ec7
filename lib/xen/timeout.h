/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * A timeout as users write it (seconds, maybe fractional: --timeout,
 * $XSM_XENSTORED_TIMEOUT) and as the wire waits it (milliseconds).
 */
#ifndef XSM_XEN_TIMEOUT_H
#define XSM_XEN_TIMEOUT_H

namespace xsm {

/* What every xenstored request waits at most unless told otherwise. */
inline constexpr int kDefaultXenstoredTimeoutMs = 5000;

/* "5", "0.5": > 0 and at most a day, rounded to ms (at least 1).  False
 * for anything else (a sign of a typo, not a timeout to guess). */
bool ParseTimeoutSeconds(const char *s, int *ms);

/* $XSM_XENSTORED_TIMEOUT, else kDefaultXenstoredTimeoutMs. */
int DefaultXenstoredTimeoutMs();

} // namespace xsm

#endif
