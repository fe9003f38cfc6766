#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "calc.h"
#include "linux.h"

/* Package domain of the first socket; intel-rapl:0 also appears on AMD with the amd_energy/rapl driver. */
#define RAPL_DIR "/sys/class/powercap/intel-rapl:0"

void linux_open_power(linux_power_state *state, int debug)
{
    state->available = linux_read_u64(RAPL_DIR "/energy_uj", &state->package_uj) == 0;
    if (!state->available) {
        if (debug) fprintf(stderr, "debug: powercap %s/energy_uj not readable; CPU power is null\n", RAPL_DIR);
        return;
    }

    if (linux_read_u64(RAPL_DIR "/max_energy_range_uj", &state->package_range_uj) != 0) state->package_range_uj = 0;
    state->read_at = hw_monotonic_seconds();
}

void linux_read_power(linux_power_state *state, hw_sample *sample, int debug)
{
    uint64_t current;
    double now;

    if (!state->available) return;
    if (linux_read_u64(RAPL_DIR "/energy_uj", &current) != 0) return;

    now = hw_monotonic_seconds();
    sample->cpu_power_watts = hw_energy_to_watts(hw_counter_delta(state->package_uj, current, state->package_range_uj),
                                                 "uJ", now - state->read_at);
    if (debug) fprintf(stderr, "debug: powercap energy_uj=%" PRIu64 " previous=%" PRIu64 " seconds=%.3f\n", current,
                       state->package_uj, now - state->read_at);

    state->package_uj = current;
    state->read_at = now;
}
