#ifndef __APPLE__

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "linux.h"

struct hw_backend {
    int debug;
    int has_cpu_times;
    linux_cpu_times previous;
    linux_topology topology;
    linux_power_state power;
    double previous_at;
};

int hw_backend_open(hw_backend **out, int debug)
{
    hw_backend *backend = calloc(1, sizeof(*backend));
    hw_sample probe;

    if (backend == NULL) return -1;
    backend->debug = debug;

    backend->has_cpu_times = linux_read_cpu_times(&backend->previous, debug) == 0;
    if (backend->has_cpu_times) linux_read_topology(&backend->previous, &backend->topology);
    linux_open_power(&backend->power, debug);
    backend->previous_at = hw_monotonic_seconds();

    /* Without /proc/stat and /proc/meminfo there is nothing worth streaming. */
    hw_sample_clear(&probe);
    if (!backend->has_cpu_times && linux_read_memory(&probe, 0) != 0) {
        free(backend);
        return -1;
    }
    *out = backend;

    return 0;
}

int hw_backend_sample(hw_backend *backend, hw_sample *sample)
{
    linux_cpu_times current;
    double now = hw_monotonic_seconds();

    sample->timestamp_ms = hw_epoch_ms();
    sample->interval_ms = (now - backend->previous_at) * 1000.0;
    backend->previous_at = now;

    if (linux_read_cpu_times(&current, backend->debug) == 0) {
        if (!backend->has_cpu_times || current.count != backend->previous.count) {
            linux_read_topology(&current, &backend->topology);
        } else {
            linux_fill_clusters(&backend->previous, &current, &backend->topology, sample, backend->debug);
        }
        backend->previous = current;
        backend->has_cpu_times = 1;
    }

    linux_read_memory(sample, backend->debug);
    linux_read_temperatures(sample, backend->debug);
    linux_read_power(&backend->power, sample, backend->debug);

    return 0;
}

void hw_backend_close(hw_backend *backend)
{
    free(backend);
}

#endif
