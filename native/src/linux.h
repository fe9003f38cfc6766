#ifndef HWHELPER_LINUX_H
#define HWHELPER_LINUX_H

#include <stddef.h>
#include <stdint.h>

#include "sample.h"

#define LINUX_MAX_CPUS 1024
#define LINUX_MAX_ZONES 64

/*
 * Builds "<root><absolute>" where root is $HWHELPER_SYSROOT (empty when
 * unset). Tests point it at a fake /proc and /sys tree.
 */
const char *linux_path(char *buffer, size_t size, const char *absolute);

/* Reads a small text file; returns 0, or -1 when it is missing or unreadable. */
int linux_read_text(const char *absolute, char *buffer, size_t size);

/* Reads a file holding one integer. */
int linux_read_u64(const char *absolute, uint64_t *value);

/* Jiffies of each logical CPU, and the cluster each one belongs to. */
typedef struct {
    int count;
    int ids[LINUX_MAX_CPUS];
    uint64_t busy[LINUX_MAX_CPUS];
    uint64_t total[LINUX_MAX_CPUS];
} linux_cpu_times;

typedef struct {
    int count;
    char names[HW_MAX_CLUSTERS][HW_NAME_LEN];
    int cpu_cluster[LINUX_MAX_CPUS];   /* cluster index per entry of linux_cpu_times */
} linux_topology;

int linux_read_cpu_times(linux_cpu_times *times, int debug);
void linux_read_topology(const linux_cpu_times *times, linux_topology *topology);
void linux_fill_clusters(const linux_cpu_times *before, const linux_cpu_times *after,
                         const linux_topology *topology, hw_sample *sample, int debug);

int linux_read_memory(hw_sample *sample, int debug);

void linux_read_temperatures(hw_sample *sample, int debug);

/* RAPL package and uncore counters from powercap; state between samples. */
typedef struct {
    int available;
    uint64_t package_uj;
    uint64_t package_range_uj;
    double read_at;
} linux_power_state;

void linux_open_power(linux_power_state *state, int debug);
void linux_read_power(linux_power_state *state, hw_sample *sample, int debug);

#endif
