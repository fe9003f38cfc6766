#include "sample.h"

#include <math.h>
#include <string.h>
#include <time.h>

void hw_sample_clear(hw_sample *sample)
{
    memset(sample, 0, sizeof(*sample));
    sample->interval_ms = NAN;
    sample->cpu_usage_ratio = NAN;
    sample->cpu_power_watts = NAN;
    sample->gpu_power_watts = NAN;
    sample->ane_power_watts = NAN;
    sample->gpu_active_ratio = NAN;
    sample->gpu_freq_mhz = NAN;
    sample->cpu_temp_celsius = NAN;
    sample->gpu_temp_celsius = NAN;
    sample->thermal_pressure = HW_PRESSURE_UNKNOWN;
    sample->memory_total_bytes = NAN;
    sample->memory_used_bytes = NAN;
    sample->memory_cached_bytes = NAN;
    sample->swap_total_bytes = NAN;
    sample->swap_used_bytes = NAN;
    sample->memory_pressure = -1;
    sample->memory_stall_ratio = NAN;
}

void hw_info_clear(hw_info *info)
{
    memset(info, 0, sizeof(*info));
    info->performance_cores = -1;
    info->efficiency_cores = -1;
    info->gpu_cores = -1;
    info->neural_engine = -1;
    info->memory_bytes = NAN;
}

double hw_monotonic_seconds(void)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);

    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

int64_t hw_epoch_ms(void)
{
    struct timespec now;

    clock_gettime(CLOCK_REALTIME, &now);

    return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}
