/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * gapwatch: runs inside the Linux e2e guest (make bench-e2e).  It measures
 * a move's downtime as the guest sees it: it wakes every millisecond and
 * records the largest step of its clock between two wake-ups.
 *
 *   gapwatch            (in the background, stdout to a file)
 *
 * On SIGUSR1 it prints "gap <boottime_us> <monotonic_us>", the largest
 * steps since the previous SIGUSR1 (or its start), and starts again.
 * CLOCK_BOOTTIME is the one that counts: on resume Linux adds the time the
 * guest was suspended (read from Xen's wall clock) to it, not to
 * CLOCK_MONOTONIC, which only shows the guest's own stalls.
 */
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t report;

static void on_usr1(int sig)
{
	(void)sig;
	report = 1;
}

static long long usec(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

int main(void)
{
	const struct timespec tick = { 0, 1000000 };
	struct sigaction sa = { .sa_handler = on_usr1 };
	long long boot = usec(CLOCK_BOOTTIME), mono = usec(CLOCK_MONOTONIC);
	long long max_boot = 0, max_mono = 0;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) != 0) {
		perror("gapwatch: sigaction");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ready\n");
	for (;;) {
		/* Interrupted by the signal: the step still counts below. */
		nanosleep(&tick, NULL);
		long long b = usec(CLOCK_BOOTTIME), m = usec(CLOCK_MONOTONIC);

		if (b - boot > max_boot)
			max_boot = b - boot;
		if (m - mono > max_mono)
			max_mono = m - mono;
		boot = b;
		mono = m;
		if (report) {
			report = 0;
			printf("gap %lld %lld\n", max_boot, max_mono);
			max_boot = max_mono = 0;
			boot = usec(CLOCK_BOOTTIME);
			mono = usec(CLOCK_MONOTONIC);
		}
	}
}
