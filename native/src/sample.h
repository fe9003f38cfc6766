#ifndef HWHELPER_SAMPLE_H
#define HWHELPER_SAMPLE_H

#include <stdint.h>

#define HW_MAX_CLUSTERS 16
#define HW_NAME_LEN 64

/* Thermal pressure levels as macOS numbers them (OSThermalNotification.h); -1 = unknown. */
enum { HW_PRESSURE_UNKNOWN = -1 };

/* One CPU cluster: cores of one type, or all cores when the kernel reports no cluster topology. */
typedef struct {
    char name[HW_NAME_LEN];
    int cores;
    double usage_ratio;   /* 0..1, NAN when unknown */
    double freq_mhz;      /* average active frequency, NAN when unknown */
} hw_cluster;

/* One reading over [previous sample, this sample]. Every double is NAN when the machine cannot provide it. */
typedef struct {
    int64_t timestamp_ms;          /* Unix epoch, milliseconds */
    double interval_ms;            /* measured window, not the requested one */
    int cluster_count;
    hw_cluster clusters[HW_MAX_CLUSTERS];
    double cpu_usage_ratio;        /* all clusters, 0..1 */
    double cpu_power_watts;
    double gpu_power_watts;
    double ane_power_watts;
    double gpu_active_ratio;
    double gpu_freq_mhz;
    double cpu_temp_celsius;
    double gpu_temp_celsius;
    int thermal_pressure;          /* 0 nominal .. 4 sleeping, -1 unknown */
    double memory_total_bytes;
    double memory_used_bytes;
    double memory_cached_bytes;
    double swap_total_bytes;
    double swap_used_bytes;
    int memory_pressure;           /* 0 normal, 1 warning, 2 critical, -1 unknown */
    double memory_stall_ratio;     /* Linux PSI "some" avg10 as 0..1 */
} hw_sample;

/* What the machine is. Strings are empty and numbers -1 when unknown. */
typedef struct {
    char chip[HW_NAME_LEN * 2];
    char model[HW_NAME_LEN + 16];
    int performance_cores;
    int efficiency_cores;
    int gpu_cores;
    int neural_engine;             /* 1 present, 0 absent, -1 unknown */
    double memory_bytes;
    char os_name[HW_NAME_LEN + 16];
    char os_version[HW_NAME_LEN + 16];
} hw_info;

void hw_sample_clear(hw_sample *sample);
void hw_info_clear(hw_info *info);

/* Seconds on a monotonic clock, for measuring sample windows. */
double hw_monotonic_seconds(void);

/* Wall-clock time, milliseconds since the Unix epoch. */
int64_t hw_epoch_ms(void);

#endif
