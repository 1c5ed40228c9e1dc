/*
 * The floor of the native call overhead benchmark: the loop the binding runs
 * (virDomainLookupByName + virDomainGetState + virDomainFree), in plain C, timed per call.
 *
 * Usage: lookup_state_loop URI DOMAIN CALLS WARMUP_CALLS [event-loop]
 *   event-loop: first register libvirt's default event loop and run it on a thread of its own,
 *               as the binding always does (it needs events, keepalive and close notifications).
 * Prints one line per measured call: its duration in nanoseconds.
 */
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void *run_event_loop(void *unused)
{
    (void)unused;
    for (;;) {
        if (virEventRunDefaultImpl() < 0)
            return NULL;
    }
}

static long long monotonic_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec * 1000000000LL + now.tv_nsec;
}

static int lookup_and_get_state(virConnectPtr connection, const char *name)
{
    virDomainPtr domain = virDomainLookupByName(connection, name);
    if (domain == NULL)
        return -1;
    int state;
    int reason;
    int result = virDomainGetState(domain, &state, &reason, 0);
    virDomainFree(domain);
    return result;
}

int main(int argc, char **argv)
{
    if (argc < 5 || argc > 6 || (argc == 6 && strcmp(argv[5], "event-loop") != 0)) {
        fprintf(stderr, "usage: %s URI DOMAIN CALLS WARMUP_CALLS [event-loop]\n", argv[0]);
        return 2;
    }
    const char *uri = argv[1];
    const char *name = argv[2];
    long calls = atol(argv[3]);
    long warmup_calls = atol(argv[4]);
    if (calls <= 0 || warmup_calls < 0) {
        fprintf(stderr, "CALLS must be positive and WARMUP_CALLS not negative\n");
        return 2;
    }

    if (virInitialize() < 0) {
        fprintf(stderr, "virInitialize failed\n");
        return 1;
    }
    if (argc == 6) {
        pthread_t loop;
        if (virEventRegisterDefaultImpl() < 0 || pthread_create(&loop, NULL, run_event_loop, NULL) != 0) {
            fprintf(stderr, "cannot start the libvirt event loop\n");
            return 1;
        }
        pthread_detach(loop);
    }

    virConnectPtr connection = virConnectOpen(uri);
    if (connection == NULL) {
        fprintf(stderr, "cannot connect to %s: %s\n", uri, virGetLastErrorMessage());
        return 1;
    }

    long long *durations = malloc(sizeof *durations * (size_t)calls);
    if (durations == NULL) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }

    for (long call = 0; call < warmup_calls; call++) {
        if (lookup_and_get_state(connection, name) < 0) {
            fprintf(stderr, "lookup of %s failed: %s\n", name, virGetLastErrorMessage());
            return 1;
        }
    }
    for (long call = 0; call < calls; call++) {
        long long start = monotonic_ns();
        if (lookup_and_get_state(connection, name) < 0) {
            fprintf(stderr, "lookup of %s failed: %s\n", name, virGetLastErrorMessage());
            return 1;
        }
        durations[call] = monotonic_ns() - start;
    }

    for (long call = 0; call < calls; call++)
        printf("%lld\n", durations[call]);

    free(durations);
    virConnectClose(connection);
    return 0;
}
