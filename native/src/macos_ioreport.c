#ifdef __APPLE__

#include <IOKit/IOKitLib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc.h"
#include "macos.h"

#define MAX_TABLE 48
#define MAX_STATES 64

struct macos_ioreport {
    int debug;
    CFMutableDictionaryRef channels;
    CFMutableDictionaryRef subscribed;
    IOReportSubscriptionRef subscription;
    CFDictionaryRef previous;
    double previous_at;
    /* DVFS tables in MHz; pmgr keys as macmon, Stats and mactop read them on M1-M4. */
    double e_freqs[MAX_TABLE];
    int e_count;
    double p_freqs[MAX_TABLE];
    int p_count;
    double gpu_freqs[MAX_TABLE];
    int gpu_count;
};

/* Per-cluster sums of per-core ratios and frequencies over one window. */
typedef struct {
    char name[HW_NAME_LEN];
    double ratio_sum;
    double freq_sum;
    int cores;
    int freq_cores;
} cluster_total;

typedef struct {
    cluster_total clusters[HW_MAX_CLUSTERS];
    int count;
} cluster_totals;

int macos_ioreport_open(macos_ioreport **out, int debug)
{
    macos_ioreport *report = calloc(1, sizeof(*report));
    CFDictionaryRef energy = NULL, cpu = NULL, gpu = NULL;
    int status = -1;

    if (report == NULL) return -1;
    report->debug = debug;

    energy = IOReportCopyChannelsInGroup(CFSTR("Energy Model"), NULL, 0, 0, 0);
    cpu = IOReportCopyChannelsInGroup(CFSTR("CPU Stats"), CFSTR("CPU Core Performance States"), 0, 0, 0);
    gpu = IOReportCopyChannelsInGroup(CFSTR("GPU Stats"), CFSTR("GPU Performance States"), 0, 0, 0);
    if (energy == NULL || cpu == NULL || gpu == NULL) goto cleanup;

    IOReportMergeChannels(energy, cpu, NULL);
    IOReportMergeChannels(energy, gpu, NULL);
    report->channels = CFDictionaryCreateMutableCopy(kCFAllocatorDefault, CFDictionaryGetCount(energy), energy);
    if (report->channels == NULL) goto cleanup;

    report->subscription = IOReportCreateSubscription(NULL, report->channels, &report->subscribed, 0, NULL);
    if (report->subscription == NULL) goto cleanup;

    report->previous = IOReportCreateSamples(report->subscription, report->channels, NULL);
    if (report->previous == NULL) goto cleanup;
    report->previous_at = hw_monotonic_seconds();

    report->e_count = macos_read_dvfs_table("voltage-states1-sram", 1, report->e_freqs, MAX_TABLE);
    report->p_count = macos_read_dvfs_table("voltage-states5-sram", 1, report->p_freqs, MAX_TABLE);
    report->gpu_count = macos_read_dvfs_table("voltage-states9", 0, report->gpu_freqs, MAX_TABLE);
    if (debug) fprintf(stderr, "debug: dvfs entries e=%d p=%d gpu=%d\n", report->e_count, report->p_count, report->gpu_count);
    status = 0;

cleanup:
    if (energy != NULL) CFRelease(energy);
    if (cpu != NULL) CFRelease(cpu);
    if (gpu != NULL) CFRelease(gpu);
    if (status != 0) {
        if (debug) fprintf(stderr, "debug: IOReport subscription failed\n");
        macos_ioreport_close(report);
        return -1;
    }
    *out = report;

    return 0;
}

static void add_energy(CFDictionaryRef item, const char *name, double seconds, hw_sample *sample, int debug)
{
    char unit[16] = "";
    double watts;
    size_t length = strlen(name);

    if (macos_cstring(IOReportChannelGetUnitLabel(item), unit, sizeof(unit)) != 0) return;
    watts = hw_energy_to_watts((double)IOReportSimpleGetIntegerValue(item, 0), unit, seconds);
    if (isnan(watts)) return;
    if (debug) fprintf(stderr, "debug: energy %s %.4f W (%s)\n", name, watts, unit);

    /* Only the aggregate rails: per-core rails (EACC_CPU0 ...) would count a core twice. */
    if (length >= 10 && strcmp(name + length - 10, "CPU Energy") == 0) {
        sample->cpu_power_watts = (isnan(sample->cpu_power_watts) ? 0 : sample->cpu_power_watts) + watts;
    } else if (strcmp(name, "GPU Energy") == 0) {
        sample->gpu_power_watts = watts;
    } else if (strncmp(name, "ANE", 3) == 0) {
        sample->ane_power_watts = (isnan(sample->ane_power_watts) ? 0 : sample->ane_power_watts) + watts;
    }
}

/* Active ratio and frequency of one state channel; returns -1 when the channel is empty or malformed. */
static int summarize_states(CFDictionaryRef item, const double *freqs, int freq_count, double *ratio, double *freq)
{
    char names[MAX_STATES][16];
    const char *name_refs[MAX_STATES];
    uint64_t residencies[MAX_STATES];
    int32_t count = IOReportStateGetCount(item);

    if (count <= 0 || count > MAX_STATES) return -1;

    for (int32_t i = 0; i < count; i++) {
        if (macos_cstring(IOReportStateGetNameForIndex(item, i), names[i], sizeof(names[i])) != 0) names[i][0] = '\0';
        name_refs[i] = names[i];
        residencies[i] = (uint64_t)IOReportStateGetResidency(item, i);
    }

    return hw_residency_summary(name_refs, residencies, count, freqs, freq_count, ratio, freq);
}

static cluster_total *find_cluster(cluster_totals *totals, const char *name)
{
    for (int i = 0; i < totals->count; i++) {
        if (strcmp(totals->clusters[i].name, name) == 0) return &totals->clusters[i];
    }
    if (totals->count >= HW_MAX_CLUSTERS) return NULL;

    snprintf(totals->clusters[totals->count].name, HW_NAME_LEN, "%s", name);

    return &totals->clusters[totals->count++];
}

static void add_core(macos_ioreport *report, CFDictionaryRef item, const char *name, cluster_totals *totals)
{
    char cluster_name[HW_NAME_LEN];
    int tier = hw_core_channel_cluster(name, cluster_name, sizeof(cluster_name));
    cluster_total *cluster;
    double ratio, freq;
    const double *freqs;
    int freq_count;

    if (tier < 0) return;

    /* TODO: the M5 mid-tier table sits under a key found through pmgr `acc-clusters`; until that is read, M-cluster frequency is null. */
    freqs = tier == HW_TIER_E ? report->e_freqs : (tier == HW_TIER_P ? report->p_freqs : NULL);
    freq_count = tier == HW_TIER_E ? report->e_count : (tier == HW_TIER_P ? report->p_count : 0);
    if (summarize_states(item, freqs, freq_count, &ratio, &freq) != 0) return;
    if (report->debug) fprintf(stderr, "debug: core %s active=%.3f freq=%.0f MHz\n", name, ratio, freq);

    cluster = find_cluster(totals, cluster_name);
    if (cluster == NULL) return;
    cluster->ratio_sum += ratio;
    cluster->cores++;
    if (!isnan(freq)) {
        cluster->freq_sum += freq;
        cluster->freq_cores++;
    }
}

static void fill_clusters(const cluster_totals *totals, hw_sample *sample)
{
    double ratio_sum = 0;
    int cores = 0;

    for (int i = 0; i < totals->count; i++) {
        const cluster_total *total = &totals->clusters[i];
        hw_cluster *cluster = &sample->clusters[sample->cluster_count++];

        snprintf(cluster->name, sizeof(cluster->name), "%s", total->name);
        cluster->cores = total->cores;
        cluster->usage_ratio = total->ratio_sum / total->cores;
        cluster->freq_mhz = total->freq_cores > 0 ? total->freq_sum / total->freq_cores : NAN;
        ratio_sum += total->ratio_sum;
        cores += total->cores;
    }
    if (cores > 0) sample->cpu_usage_ratio = ratio_sum / cores;
}

static void walk_delta(macos_ioreport *report, CFDictionaryRef delta, double seconds, hw_sample *sample)
{
    CFArrayRef items = CFDictionaryGetValue(delta, CFSTR("IOReportChannels"));
    cluster_totals totals;

    memset(&totals, 0, sizeof(totals));
    if (items == NULL || CFGetTypeID(items) != CFArrayGetTypeID()) return;

    for (CFIndex i = 0; i < CFArrayGetCount(items); i++) {
        CFDictionaryRef item = CFArrayGetValueAtIndex(items, i);
        char group[64] = "", subgroup[64] = "", name[64] = "";

        if (macos_cstring(IOReportChannelGetGroup(item), group, sizeof(group)) != 0) continue;
        macos_cstring(IOReportChannelGetSubGroup(item), subgroup, sizeof(subgroup));
        if (macos_cstring(IOReportChannelGetChannelName(item), name, sizeof(name)) != 0) continue;

        if (strcmp(group, "Energy Model") == 0) {
            add_energy(item, name, seconds, sample, report->debug);
        } else if (strcmp(subgroup, "CPU Core Performance States") == 0) {
            add_core(report, item, name, &totals);
        } else if (strcmp(subgroup, "GPU Performance States") == 0 && strcmp(name, "GPUPH") == 0) {
            summarize_states(item, report->gpu_freqs, report->gpu_count, &sample->gpu_active_ratio, &sample->gpu_freq_mhz);
        }
    }
    fill_clusters(&totals, sample);
}

int macos_ioreport_sample(macos_ioreport *report, hw_sample *sample)
{
    CFDictionaryRef current = IOReportCreateSamples(report->subscription, report->channels, NULL);
    CFDictionaryRef delta = NULL;
    double now = hw_monotonic_seconds();
    int status = -1;

    if (current == NULL) goto cleanup;
    delta = IOReportCreateSamplesDelta(report->previous, current, NULL);
    if (delta == NULL) goto cleanup;

    /* Divide energy by the measured window, never the requested interval. */
    walk_delta(report, delta, now - report->previous_at, sample);
    status = 0;

cleanup:
    if (delta != NULL) CFRelease(delta);
    if (current != NULL) {
        /* The second sample is the next baseline, so windows tile the whole stream. */
        CFRelease(report->previous);
        report->previous = current;
        report->previous_at = now;
    }

    return status;
}

void macos_ioreport_close(macos_ioreport *report)
{
    if (report == NULL) return;
    if (report->previous != NULL) CFRelease(report->previous);
    if (report->subscribed != NULL) CFRelease(report->subscribed);
    if (report->channels != NULL) CFRelease(report->channels);
    /* NOTE: the subscription object is not released: no public tool frees it, and its type is private. */
    free(report);
}

#endif
