#ifndef HWHELPER_MACOS_H
#define HWHELPER_MACOS_H

#ifdef __APPLE__

#include <CoreFoundation/CoreFoundation.h>
#include <stdint.h>

#include "sample.h"

/*
 * libIOReport has no public header; these prototypes are the ones macmon,
 * mactop and Stats declare for the same calls (macmon src_lib/sources.rs,
 * mactop internal/app/ioreport.go, Stats Modules/Sensors/bridge.h).
 */
typedef struct IOReportSubscription *IOReportSubscriptionRef;

extern CFDictionaryRef IOReportCopyChannelsInGroup(CFStringRef group, CFStringRef subgroup, uint64_t a, uint64_t b, uint64_t c);
extern void IOReportMergeChannels(CFDictionaryRef a, CFDictionaryRef b, CFTypeRef unused);
extern IOReportSubscriptionRef IOReportCreateSubscription(void *unused, CFMutableDictionaryRef channels,
                                                          CFMutableDictionaryRef *subscribed, uint64_t channel_id,
                                                          CFTypeRef options);
extern CFDictionaryRef IOReportCreateSamples(IOReportSubscriptionRef subscription, CFMutableDictionaryRef channels,
                                             CFTypeRef unused);
extern CFDictionaryRef IOReportCreateSamplesDelta(CFDictionaryRef previous, CFDictionaryRef current, CFTypeRef unused);
extern CFStringRef IOReportChannelGetGroup(CFDictionaryRef channel);
extern CFStringRef IOReportChannelGetSubGroup(CFDictionaryRef channel);
extern CFStringRef IOReportChannelGetChannelName(CFDictionaryRef channel);
extern CFStringRef IOReportChannelGetUnitLabel(CFDictionaryRef channel);
extern int64_t IOReportSimpleGetIntegerValue(CFDictionaryRef channel, int32_t index);
extern int32_t IOReportStateGetCount(CFDictionaryRef channel);
extern CFStringRef IOReportStateGetNameForIndex(CFDictionaryRef channel, int32_t index);
extern int64_t IOReportStateGetResidency(CFDictionaryRef channel, int32_t index);

typedef struct macos_ioreport macos_ioreport;

/* Subscribes to Energy Model, CPU Core Performance States and GPU Performance States; takes the first sample. */
int macos_ioreport_open(macos_ioreport **out, int debug);

/* Fills power, cluster usage and frequency, GPU residency and frequency over the window since the last call. */
int macos_ioreport_sample(macos_ioreport *report, hw_sample *sample);

void macos_ioreport_close(macos_ioreport *report);

/* Reads the pmgr DVFS table `key` in MHz; `cpu_table` selects Hz/kHz detection. Returns the entry count. */
int macos_read_dvfs_table(const char *key, int cpu_table, double *out, int max_count);

typedef struct macos_hid macos_hid;

int macos_hid_open(macos_hid **out, int debug);
void macos_hid_read(macos_hid *hid, hw_sample *sample);
void macos_hid_close(macos_hid *hid);

/* Thermal pressure notify token; -1 when registration failed. */
int macos_thermal_open(int debug);
void macos_thermal_read(int token, hw_sample *sample);
void macos_thermal_close(int token);

int macos_read_memory(hw_sample *sample, int debug);

/* Copies a CFString into `buffer`; returns 0, or -1 when it is NULL or does not fit. */
int macos_cstring(CFStringRef text, char *buffer, size_t size);

#endif

#endif
