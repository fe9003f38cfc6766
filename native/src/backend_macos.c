#ifdef __APPLE__

#include <stdio.h>
#include <stdlib.h>

#include "backend.h"
#include "macos.h"

struct hw_backend {
    int debug;
    macos_ioreport *report;     /* NULL when IOReport is unavailable: power and residency stay null */
    macos_hid *hid;             /* NULL when no HID client: temperatures stay null */
    int thermal_token;
    double previous_at;
};

int hw_backend_open(hw_backend **out, int debug)
{
    hw_backend *backend = calloc(1, sizeof(*backend));

    if (backend == NULL) return -1;
    backend->debug = debug;

    /* Each source is optional; a machine where one fails still streams the others. */
    if (macos_ioreport_open(&backend->report, debug) != 0) backend->report = NULL;
    if (macos_hid_open(&backend->hid, debug) != 0) backend->hid = NULL;
    backend->thermal_token = macos_thermal_open(debug);
    backend->previous_at = hw_monotonic_seconds();
    *out = backend;

    return 0;
}

int hw_backend_sample(hw_backend *backend, hw_sample *sample)
{
    double now = hw_monotonic_seconds();

    sample->timestamp_ms = hw_epoch_ms();
    sample->interval_ms = (now - backend->previous_at) * 1000.0;
    backend->previous_at = now;

    if (backend->report != NULL) macos_ioreport_sample(backend->report, sample);
    if (backend->hid != NULL) macos_hid_read(backend->hid, sample);
    macos_thermal_read(backend->thermal_token, sample);
    macos_read_memory(sample, backend->debug);

    return 0;
}

void hw_backend_close(hw_backend *backend)
{
    if (backend == NULL) return;
    macos_ioreport_close(backend->report);
    macos_hid_close(backend->hid);
    macos_thermal_close(backend->thermal_token);
    free(backend);
}

#endif
