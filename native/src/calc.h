#ifndef HWHELPER_CALC_H
#define HWHELPER_CALC_H

#include <stddef.h>
#include <stdint.h>

/*
 * Arithmetic that turns raw counters into watts, ratios, megahertz and
 * degrees. Plain functions with no OS calls, so they compile and are tested
 * on every platform. NAN means "unknown" throughout.
 */

/* Watts from an energy delta in `unit` ("mJ", "uJ", "nJ", "J"; trailing spaces ignored) over `seconds`. */
double hw_energy_to_watts(double energy_delta, const char *unit, double seconds);

/* Difference of a counter that wraps at `range` (0 = never wraps); NAN when it went backwards without a range. */
double hw_counter_delta(uint64_t previous, uint64_t current, uint64_t range);

/* Busy share of CPU time between two (busy, total) jiffy readings; NAN when no time passed. */
double hw_cpu_usage_ratio(uint64_t busy_before, uint64_t total_before, uint64_t busy_after, uint64_t total_after);

/* 1 when a residency state name means "not running" (IDLE, DOWN, OFF), else 0. */
int hw_is_inactive_state(const char *name);

/*
 * Active ratio and average active frequency from state residencies. Active
 * states are those not named IDLE/DOWN/OFF; the k-th active state runs at
 * freqs_mhz[k]. With no active time the frequency is the lowest table entry.
 * With an empty table (freq_count 0) the frequency is NAN and only the ratio is computed.
 * Returns 0, or -1 when the total is zero or the table is shorter than the states.
 */
int hw_residency_summary(const char *const *names, const uint64_t *residencies, int state_count,
                         const double *freqs_mhz, int freq_count, double *active_ratio, double *freq_mhz);

/*
 * Frequencies in MHz from a pmgr `voltage-states` blob: 8-byte entries, a
 * little-endian u32 frequency then a u32 voltage. `hz_per_unit` is 1 for Hz
 * tables and 1000 for kHz tables. Zero entries are skipped. Returns the count.
 */
int hw_dvfs_table_mhz(const uint8_t *data, size_t length, double hz_per_unit, double *out, int max_count);

/* Unit of a CPU DVFS table from its first non-zero entry: Hz on M1-M3 (1), kHz from M4 on (1000). */
double hw_dvfs_hz_per_unit(uint32_t first_entry);

/* Mean of readings inside (min_celsius, max_celsius]; readings outside are sensor faults or gated clusters. */
double hw_average_temperature(const double *celsius, int count, double min_celsius, double max_celsius);

/* Lowest plausible die temperature: gated clusters report 4.6-9.8 degrees C. */
#define HW_TEMP_MIN_CELSIUS 15.0
#define HW_TEMP_MAX_CELSIUS 150.0

/* Core tiers of Apple CPU channels. */
enum { HW_TIER_E = 0, HW_TIER_P = 1, HW_TIER_M = 2 };

/*
 * Maps an IOReport "CPU Core Performance States" channel to its cluster.
 * ECPU3, PCPU1, MCPU0 (M1-M5) name a core only, so every core of a tier
 * joins one cluster ("E-Cluster", "P-Cluster", "M-Cluster"). Ultra chips
 * name the cluster too (DIE_1_PCPU1_CPU2), so the cluster is the part before
 * "_CPU" ("DIE_1_PCPU1"). Returns the tier, or -1 for other channels.
 */
int hw_core_channel_cluster(const char *channel, char *cluster, size_t size);

/* Memory pressure level (0 normal, 1 warning, 2 critical) from kern.memorystatus_vm_pressure_level (1, 2, 4). */
int hw_memory_pressure_from_kernel_level(int level);

/* Memory pressure level from Linux PSI "some" avg10, as a 0..1 ratio of stalled time. */
int hw_memory_pressure_from_stall_ratio(double stall_ratio);

#define HW_STALL_WARNING_RATIO 0.10
#define HW_STALL_CRITICAL_RATIO 0.40

/* Name of a macOS thermal pressure level 0..4, or NULL for anything else. */
const char *hw_thermal_pressure_name(int level);

/* Name of a memory pressure level 0..2, or NULL. */
const char *hw_memory_pressure_name(int level);

/* Linux memory figures in bytes from /proc/meminfo values in kB; used is NAN when MemAvailable exceeds MemTotal. */
void hw_linux_memory(double total_kb, double available_kb, double cached_kb, double buffers_kb,
                     double *used_bytes, double *cached_bytes);

/* Swap in use in bytes from SwapTotal and SwapFree in kB; NAN when either is unknown or SwapFree exceeds SwapTotal. */
double hw_linux_swap_used_bytes(double total_kb, double free_kb);

/* Clamps a ratio into 0..1; NAN stays NAN. */
double hw_clamp_ratio(double ratio);

/* macOS "used" as macmon and Stats count it: active+inactive+speculative+wired+compressor-purgeable-external pages. */
double hw_macos_used_bytes(double active, double inactive, double speculative, double wired, double compressor,
                           double purgeable, double external, double page_size);

#endif
