#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc.h"
#include "linux.h"

/* Cluster ids that mean "the kernel does not know" (-1, or 65535 on some kernels). */
static int is_unknown_cluster_id(long id)
{
    return id < 0 || id == 65535;
}

int linux_read_cpu_times(linux_cpu_times *times, int debug)
{
    char path[4096];
    char line[512];
    FILE *file = fopen(linux_path(path, sizeof(path), "/proc/stat"), "r");
    int status = -1;

    times->count = 0;
    if (file == NULL) goto cleanup;

    while (fgets(line, sizeof(line), file) != NULL && times->count < LINUX_MAX_CPUS) {
        unsigned long long user, nice, system, idle, iowait, irq, softirq, steal = 0;
        int id;
        int fields;

        /* Per-CPU lines only: "cpu0 ...", not the "cpu " total. */
        if (strncmp(line, "cpu", 3) != 0 || line[3] < '0' || line[3] > '9') continue;

        fields = sscanf(line, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu", &id, &user, &nice, &system, &idle,
                        &iowait, &irq, &softirq, &steal);
        if (fields < 8) continue;

        times->ids[times->count] = id;
        times->busy[times->count] = user + nice + system + irq + softirq + steal;
        times->total[times->count] = times->busy[times->count] + idle + iowait;
        if (debug) fprintf(stderr, "debug: /proc/stat cpu%d busy=%" PRIu64 " total=%" PRIu64 "\n", id,
                           times->busy[times->count], times->total[times->count]);
        times->count++;
    }
    status = times->count > 0 ? 0 : -1;

cleanup:
    if (file != NULL) fclose(file);

    return status;
}

static int find_cluster(const linux_topology *topology, const char *name)
{
    for (int i = 0; i < topology->count; i++) {
        if (strcmp(topology->names[i], name) == 0) return i;
    }

    return -1;
}

void linux_read_topology(const linux_cpu_times *times, linux_topology *topology)
{
    topology->count = 0;

    for (int i = 0; i < times->count; i++) {
        char file[128];
        char text[32];
        char name[HW_NAME_LEN] = "cpu";
        int index;

        snprintf(file, sizeof(file), "/sys/devices/system/cpu/cpu%d/topology/cluster_id", times->ids[i]);
        if (linux_read_text(file, text, sizeof(text)) == 0 && !is_unknown_cluster_id(strtol(text, NULL, 10))) {
            snprintf(name, sizeof(name), "cluster%ld", strtol(text, NULL, 10));
        }

        index = find_cluster(topology, name);
        if (index < 0 && topology->count < HW_MAX_CLUSTERS) {
            index = topology->count++;
            snprintf(topology->names[index], HW_NAME_LEN, "%s", name);
        }
        topology->cpu_cluster[i] = index < 0 ? 0 : index;
    }
}

static double read_cpu_freq_mhz(int cpu_id)
{
    char file[128];
    uint64_t khz;

    snprintf(file, sizeof(file), "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_cur_freq", cpu_id);

    return linux_read_u64(file, &khz) == 0 ? (double)khz / 1000.0 : NAN;
}

void linux_fill_clusters(const linux_cpu_times *before, const linux_cpu_times *after,
                         const linux_topology *topology, hw_sample *sample, int debug)
{
    uint64_t busy_before[HW_MAX_CLUSTERS] = { 0 }, total_before[HW_MAX_CLUSTERS] = { 0 };
    uint64_t busy_after[HW_MAX_CLUSTERS] = { 0 }, total_after[HW_MAX_CLUSTERS] = { 0 };
    double freq_sum[HW_MAX_CLUSTERS] = { 0 };
    int freq_count[HW_MAX_CLUSTERS] = { 0 };
    uint64_t all[4] = { 0, 0, 0, 0 };

    /* A CPU that went offline between readings is skipped, since its counters cannot be compared. */
    for (int i = 0; i < after->count && i < before->count; i++) {
        int cluster = topology->cpu_cluster[i];
        double freq = read_cpu_freq_mhz(after->ids[i]);

        if (before->ids[i] != after->ids[i]) continue;
        busy_before[cluster] += before->busy[i];
        total_before[cluster] += before->total[i];
        busy_after[cluster] += after->busy[i];
        total_after[cluster] += after->total[i];
        if (!isnan(freq)) {
            freq_sum[cluster] += freq;
            freq_count[cluster]++;
            if (debug) fprintf(stderr, "debug: cpu%d scaling_cur_freq=%.0f MHz\n", after->ids[i], freq);
        }
    }

    sample->cluster_count = topology->count;
    for (int c = 0; c < topology->count; c++) {
        hw_cluster *cluster = &sample->clusters[c];

        snprintf(cluster->name, sizeof(cluster->name), "%s", topology->names[c]);
        cluster->cores = 0;
        for (int i = 0; i < after->count; i++) cluster->cores += topology->cpu_cluster[i] == c;
        cluster->usage_ratio = hw_cpu_usage_ratio(busy_before[c], total_before[c], busy_after[c], total_after[c]);
        cluster->freq_mhz = freq_count[c] > 0 ? freq_sum[c] / freq_count[c] : NAN;
        all[0] += busy_before[c];
        all[1] += total_before[c];
        all[2] += busy_after[c];
        all[3] += total_after[c];
    }
    sample->cpu_usage_ratio = hw_cpu_usage_ratio(all[0], all[1], all[2], all[3]);
}
