#include "calc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double hw_energy_to_watts(double energy_delta, const char *unit, double seconds)
{
    size_t length;
    double per_joule;

    if (unit == NULL || !(seconds > 0) || isnan(energy_delta)) return NAN;

    /* IOReport pads unit labels with spaces. */
    length = strlen(unit);
    while (length > 0 && unit[length - 1] == ' ') length--;

    if (length == 2 && strncmp(unit, "mJ", 2) == 0) per_joule = 1e3;
    else if (length == 2 && strncmp(unit, "uJ", 2) == 0) per_joule = 1e6;
    else if (length == 2 && strncmp(unit, "nJ", 2) == 0) per_joule = 1e9;
    else if (length == 1 && unit[0] == 'J') per_joule = 1.0;
    else return NAN;

    return energy_delta / per_joule / seconds;
}

double hw_counter_delta(uint64_t previous, uint64_t current, uint64_t range)
{
    if (current >= previous) return (double)(current - previous);
    if (range == 0 || previous > range) return NAN;

    return (double)(range - previous) + (double)current;
}

double hw_cpu_usage_ratio(uint64_t busy_before, uint64_t total_before, uint64_t busy_after, uint64_t total_after)
{
    double busy;
    double total;
    double ratio;

    if (total_after <= total_before || busy_after < busy_before) return NAN;

    busy = (double)(busy_after - busy_before);
    total = (double)(total_after - total_before);
    ratio = busy / total;

    return ratio > 1.0 ? 1.0 : ratio;
}

int hw_is_inactive_state(const char *name)
{
    return strcmp(name, "IDLE") == 0 || strcmp(name, "DOWN") == 0 || strcmp(name, "OFF") == 0;
}

int hw_residency_summary(const char *const *names, const uint64_t *residencies, int state_count,
                         const double *freqs_mhz, int freq_count, double *active_ratio, double *freq_mhz)
{
    double total = 0;
    double active = 0;
    double weighted = 0;
    int active_index = 0;

    for (int i = 0; i < state_count; i++) {
        double value = (double)residencies[i];

        total += value;
        if (hw_is_inactive_state(names[i])) continue;

        if (freq_count > 0 && active_index >= freq_count) return -1;
        active += value;
        if (freq_count > 0) weighted += value * freqs_mhz[active_index];
        active_index++;
    }
    if (total <= 0) return -1;

    *active_ratio = active / total;
    if (freq_count == 0) *freq_mhz = NAN;
    else *freq_mhz = active > 0 ? weighted / active : freqs_mhz[0];

    return 0;
}

int hw_dvfs_table_mhz(const uint8_t *data, size_t length, double hz_per_unit, double *out, int max_count)
{
    int count = 0;

    for (size_t offset = 0; offset + 8 <= length && count < max_count; offset += 8) {
        uint32_t freq = (uint32_t)data[offset] | ((uint32_t)data[offset + 1] << 8) |
                        ((uint32_t)data[offset + 2] << 16) | ((uint32_t)data[offset + 3] << 24);

        if (freq == 0) continue;
        out[count++] = (double)freq * hz_per_unit / 1e6;
    }

    return count;
}

double hw_dvfs_hz_per_unit(uint32_t first_entry)
{
    /* No Apple core runs below 100 MHz, so a smaller number can only be kHz. */
    return first_entry < 100000000u ? 1000.0 : 1.0;
}

double hw_average_temperature(const double *celsius, int count, double min_celsius, double max_celsius)
{
    double sum = 0;
    int used = 0;

    for (int i = 0; i < count; i++) {
        if (!(celsius[i] > min_celsius && celsius[i] <= max_celsius)) continue;
        sum += celsius[i];
        used++;
    }

    return used > 0 ? sum / used : NAN;
}

int hw_core_channel_cluster(const char *channel, char *cluster, size_t size)
{
    static const char *const tier_names[] = { "E-Cluster", "P-Cluster", "M-Cluster" };
    const char *core_suffix = strstr(channel, "_CPU");
    int tier;

    if (strstr(channel, "ECPU") != NULL) tier = HW_TIER_E;
    else if (strstr(channel, "MCPU") != NULL) tier = HW_TIER_M;
    else if (strstr(channel, "PCPU") != NULL) tier = HW_TIER_P;
    else return -1;

    if (core_suffix != NULL && core_suffix != channel) snprintf(cluster, size, "%.*s", (int)(core_suffix - channel), channel);
    else snprintf(cluster, size, "%s", tier_names[tier]);

    return tier;
}

int hw_memory_pressure_from_kernel_level(int level)
{
    switch (level) {
    case 1: return 0;
    case 2: return 1;
    case 4: return 2;
    default: return -1;
    }
}

int hw_memory_pressure_from_stall_ratio(double stall_ratio)
{
    if (isnan(stall_ratio) || stall_ratio < 0) return -1;
    if (stall_ratio >= HW_STALL_CRITICAL_RATIO) return 2;
    if (stall_ratio >= HW_STALL_WARNING_RATIO) return 1;

    return 0;
}

const char *hw_thermal_pressure_name(int level)
{
    static const char *const names[] = { "nominal", "moderate", "heavy", "trapping", "sleeping" };

    return level >= 0 && level <= 4 ? names[level] : NULL;
}

const char *hw_memory_pressure_name(int level)
{
    static const char *const names[] = { "normal", "warning", "critical" };

    return level >= 0 && level <= 2 ? names[level] : NULL;
}

void hw_linux_memory(double total_kb, double available_kb, double cached_kb, double buffers_kb,
                     double *used_bytes, double *cached_bytes)
{
    *used_bytes = isnan(total_kb) || isnan(available_kb) || available_kb > total_kb ? NAN : (total_kb - available_kb) * 1024.0;
    *cached_bytes = isnan(cached_kb) ? NAN : (cached_kb + (isnan(buffers_kb) ? 0 : buffers_kb)) * 1024.0;
}

double hw_linux_swap_used_bytes(double total_kb, double free_kb)
{
    if (isnan(total_kb) || isnan(free_kb) || free_kb > total_kb) return NAN;

    return (total_kb - free_kb) * 1024.0;
}

double hw_clamp_ratio(double ratio)
{
    if (isnan(ratio)) return NAN;

    if (ratio < 0) return 0;
    if (ratio > 1) return 1;

    return ratio;
}

double hw_macos_used_bytes(double active, double inactive, double speculative, double wired, double compressor,
                           double purgeable, double external, double page_size)
{
    double pages = active + inactive + speculative + wired + compressor - purgeable - external;

    return pages < 0 ? 0 : pages * page_size;
}
