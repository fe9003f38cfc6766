/*
 * Unit tests of the arithmetic in src/calc.c and the JSON writer, fed with
 * values recorded by `powermetrics -f plist` on an M1 MacBook Pro
 * (test/unit/core/hardware/__fixtures__/pumas-powermetrics-output-m1.xml).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "calc.h"
#include "json.h"

static int failures = 0;

static void expect_near(const char *what, double actual, double expected, double tolerance)
{
    if (fabs(actual - expected) <= tolerance) return;
    fprintf(stderr, "FAIL %s: expected %.9g, got %.9g\n", what, expected, actual);
    failures++;
}

static void expect_true(const char *what, int condition)
{
    if (condition) return;
    fprintf(stderr, "FAIL %s\n", what);
    failures++;
}

static void test_energy_to_watts(void)
{
    /* M1 record: cpu_energy 89 mJ and gpu_energy 31 mJ over elapsed_ns 2019178750 -> 44.0773 and 15.3528 mW. */
    expect_near("cpu watts", hw_energy_to_watts(89, "mJ", 2.019178750), 0.0440773, 1e-6);
    expect_near("gpu watts", hw_energy_to_watts(31, "mJ", 2.019178750), 0.0153528, 1e-6);
    expect_near("padded unit label", hw_energy_to_watts(89e6, "nJ  ", 2.019178750), 0.0440773, 1e-6);
    expect_near("microjoules", hw_energy_to_watts(5e6, "uJ", 0.5), 10.0, 1e-9);
    expect_true("unknown unit is NAN", isnan(hw_energy_to_watts(1, "kWh", 1)));
    expect_true("zero window is NAN", isnan(hw_energy_to_watts(1, "mJ", 0)));
}

static void test_counter_delta(void)
{
    expect_near("plain delta", hw_counter_delta(100, 350, 0), 250, 0);
    expect_near("wrapped delta", hw_counter_delta(262143328850ULL - 50, 100, 262143328850ULL), 150, 0);
    expect_true("backwards without range is NAN", isnan(hw_counter_delta(10, 5, 0)));
}

static void test_residency_m1_e_cluster(void)
{
    /* E-Cluster dvfm_states of the M1 record: 972..2064 MHz, freq_hz 1.02287e9. */
    const char *names[] = { "V0P5", "V1P4", "V2P3", "V3P2", "V4P1" };
    const uint64_t ticks[] = { 0, 1856923416, 88369250, 26039083, 47427791 };
    const double freqs[] = { 600, 972, 1332, 1704, 2064 };
    double ratio = NAN, freq = NAN;

    expect_true("summary ok", hw_residency_summary(names, ticks, 5, freqs, 5, &ratio, &freq) == 0);
    /* powermetrics prints 6 significant digits, so agreement within 0.02 MHz is exact enough. */
    expect_near("E-cluster frequency", freq, 1022.87, 0.02);
    expect_near("no idle state means fully active", ratio, 1.0, 0);
}

static void test_residency_m1_gpu(void)
{
    /* GPU block of the M1 record: idle_ns 1980028458, 396 and 720 MHz used; freq 714.836 MHz, idle_ratio 0.983341. */
    const char *names[] = { "OFF", "V0", "V1", "V2", "V3", "V4", "V5" };
    const uint64_t ticks[] = { 1980028458, 534666, 0, 33009083, 0, 0, 0 };
    const double freqs[] = { 396, 528, 720, 924, 1128, 1278 };
    double ratio = NAN, freq = NAN;

    expect_true("gpu summary ok", hw_residency_summary(names, ticks, 7, freqs, 6, &ratio, &freq) == 0);
    expect_near("GPU frequency", freq, 714.836, 0.001);
    expect_near("GPU active ratio", ratio, 1 - 0.983341, 1e-5);
}

static void test_residency_edges(void)
{
    const char *names[] = { "DOWN", "IDLE", "V0P5", "V1P4" };
    const uint64_t idle[] = { 10, 90, 0, 0 };
    const uint64_t none[] = { 0, 0, 0, 0 };
    const double freqs[] = { 912, 1284 };
    const double short_table[] = { 912 };
    double ratio = NAN, freq = NAN;

    expect_true("idle summary ok", hw_residency_summary(names, idle, 4, freqs, 2, &ratio, &freq) == 0);
    expect_near("idle ratio", ratio, 0, 0);
    expect_near("idle frequency is the table minimum", freq, 912, 0);
    expect_true("empty window fails", hw_residency_summary(names, none, 4, freqs, 2, &ratio, &freq) == -1);
    expect_true("no table summary ok", hw_residency_summary(names, idle, 4, NULL, 0, &ratio, &freq) == 0);
    expect_true("no table frequency is NAN", isnan(freq));
    expect_true("short table fails", hw_residency_summary(names, idle, 4, short_table, 1, &ratio, &freq) == -1);
}

static void test_dvfs_table(void)
{
    /* Two 8-byte entries: 0 (GPU OFF slot, skipped), 396 MHz in Hz, and 1 020 000 kHz (M4-style). */
    const uint8_t hz_table[] = { 0, 0, 0, 0, 1, 0, 0, 0, 0x00, 0x7b, 0x9a, 0x17, 2, 0, 0, 0 };
    const uint8_t khz_table[] = { 0x60, 0x90, 0x0f, 0x00, 3, 0, 0, 0 };
    double out[4];

    expect_true("hz table count", hw_dvfs_table_mhz(hz_table, sizeof(hz_table), 1, out, 4) == 1);
    expect_near("hz entry", out[0], 396, 1e-9);
    expect_true("khz table count", hw_dvfs_table_mhz(khz_table, sizeof(khz_table), 1000, out, 4) == 1);
    expect_near("khz entry", out[0], 1020, 1e-9);
    expect_near("M1 E table is Hz", hw_dvfs_hz_per_unit(600000000u), 1, 0);
    expect_near("M4 Pro E table is kHz", hw_dvfs_hz_per_unit(1020000u), 1000, 0);
}

static void test_core_channels(void)
{
    char cluster[64];

    expect_true("ECPU3 tier", hw_core_channel_cluster("ECPU3", cluster, sizeof(cluster)) == HW_TIER_E);
    expect_true("ECPU3 cluster", strcmp(cluster, "E-Cluster") == 0);
    expect_true("PCPU7 tier", hw_core_channel_cluster("PCPU7", cluster, sizeof(cluster)) == HW_TIER_P);
    expect_true("PCPU7 cluster", strcmp(cluster, "P-Cluster") == 0);
    expect_true("MCPU0 tier", hw_core_channel_cluster("MCPU0", cluster, sizeof(cluster)) == HW_TIER_M);
    expect_true("Ultra P tier", hw_core_channel_cluster("DIE_1_PCPU1_CPU2", cluster, sizeof(cluster)) == HW_TIER_P);
    expect_true("Ultra P cluster", strcmp(cluster, "DIE_1_PCPU1") == 0);
    expect_true("Ultra E cluster", hw_core_channel_cluster("DIE_0_ECPU_CPU1", cluster, sizeof(cluster)) == HW_TIER_E && strcmp(cluster, "DIE_0_ECPU") == 0);
    expect_true("GPU channel is not a core", hw_core_channel_cluster("GPUPH", cluster, sizeof(cluster)) == -1);
}

static void test_temperatures(void)
{
    /* A gated cluster sentinel (9.8) and a faulty -21.5 reading are dropped. */
    const double readings[] = { 45.0, 9.8, 55.0, -21.5, 200.0 };
    const double gated[] = { 4.6, 9.8 };

    expect_near("average", hw_average_temperature(readings, 5, HW_TEMP_MIN_CELSIUS, HW_TEMP_MAX_CELSIUS), 50.0, 1e-9);
    expect_true("all gated is NAN", isnan(hw_average_temperature(gated, 2, HW_TEMP_MIN_CELSIUS, HW_TEMP_MAX_CELSIUS)));
}

static void test_levels(void)
{
    expect_true("kernel 1 normal", hw_memory_pressure_from_kernel_level(1) == 0);
    expect_true("kernel 2 warning", hw_memory_pressure_from_kernel_level(2) == 1);
    expect_true("kernel 4 critical", hw_memory_pressure_from_kernel_level(4) == 2);
    expect_true("kernel 3 unknown", hw_memory_pressure_from_kernel_level(3) == -1);
    expect_true("stall 0.05 normal", hw_memory_pressure_from_stall_ratio(0.05) == 0);
    expect_true("stall 0.2 warning", hw_memory_pressure_from_stall_ratio(0.2) == 1);
    expect_true("stall 0.5 critical", hw_memory_pressure_from_stall_ratio(0.5) == 2);
    expect_true("thermal 0", strcmp(hw_thermal_pressure_name(0), "nominal") == 0);
    expect_true("thermal 4", strcmp(hw_thermal_pressure_name(4), "sleeping") == 0);
    expect_true("thermal 5", hw_thermal_pressure_name(5) == NULL);
}

static void test_memory(void)
{
    double used = 0, cached = 0;

    hw_linux_memory(1000, 400, 200, 50, &used, &cached);
    expect_near("linux used", used, 600 * 1024.0, 0);
    expect_near("linux cached", cached, 250 * 1024.0, 0);
    expect_near("macos used", hw_macos_used_bytes(100, 50, 10, 40, 20, 5, 15, 16384), 200 * 16384.0, 0);
    expect_near("cpu usage", hw_cpu_usage_ratio(100, 1000, 150, 1100), 0.5, 1e-12);
}

static void test_memory_out_of_range(void)
{
    double used = 0, cached = 0;

    hw_linux_memory(1000, 1200, 200, 50, &used, &cached);
    expect_true("MemAvailable above MemTotal gives unknown used", isnan(used));
    expect_true("SwapFree above SwapTotal gives unknown swap used", isnan(hw_linux_swap_used_bytes(1000, 1500)));
    expect_near("swap used", hw_linux_swap_used_bytes(1000, 750), 250 * 1024.0, 0);
    expect_near("stall ratio above 1 is clamped", hw_clamp_ratio(1.5), 1.0, 0);
    expect_near("negative stall ratio is clamped", hw_clamp_ratio(-0.2), 0.0, 0);
    expect_near("stall ratio in range is kept", hw_clamp_ratio(0.125), 0.125, 0);
    expect_true("unknown stall ratio stays unknown", isnan(hw_clamp_ratio(NAN)));
}

/* Writes `chip` as the info's chip name and returns the JSON line. */
static const char *info_with_chip(json_buffer *line, const char *chip)
{
    hw_info info;

    memset(&info, 0, sizeof(info));
    info.performance_cores = info.efficiency_cores = info.gpu_cores = info.neural_engine = -1;
    snprintf(info.chip, sizeof(info.chip), "%s", chip);
    json_write_info(line, &info);
    line->data[line->length] = '\0';

    return line->data;
}

static void test_json_utf8(void)
{
    json_buffer line;

    expect_true("valid UTF-8 is kept", strstr(info_with_chip(&line, "Intel\xc2\xae Xeon\xe2\x84\xa2"), "\"chip\":\"Intel\xc2\xae Xeon\xe2\x84\xa2\"") != NULL);
    expect_true("Latin-1 byte becomes U+FFFD", strstr(info_with_chip(&line, "Intel\xae Xeon"), "\"chip\":\"Intel\\ufffd Xeon\"") != NULL);
    expect_true("truncated sequence becomes U+FFFD", strstr(info_with_chip(&line, "cpu \xe2\x84"), "\"chip\":\"cpu \\ufffd\\ufffd\"") != NULL);
    expect_true("overlong form becomes U+FFFD", strstr(info_with_chip(&line, "\xc0\xafx"), "\"chip\":\"\\ufffd\\ufffdx\"") != NULL);
    expect_true("surrogate becomes U+FFFD", strstr(info_with_chip(&line, "\xed\xa0\x80"), "\"chip\":\"\\ufffd\\ufffd\\ufffd\"") != NULL);
    expect_true("control byte is escaped", strstr(info_with_chip(&line, "a\x01" "b"), "\"chip\":\"a\\u0001b\"") != NULL);
}

static void test_json_nulls(void)
{
    hw_sample sample;
    json_buffer line;

    hw_sample_clear(&sample);
    sample.timestamp_ms = 1680355116000LL;
    sample.cpu_power_watts = 0.0440773;
    json_write_sample(&line, &sample);
    line.data[line.length] = '\0';

    expect_true("unknown power is null", strstr(line.data, "\"gpuPowerWatts\":null") != NULL);
    expect_true("known power is a number", strstr(line.data, "\"cpuPowerWatts\":0.0440773") != NULL);
    expect_true("unknown pressure is null", strstr(line.data, "\"thermalPressure\":null") != NULL);
}

int main(void)
{
    test_energy_to_watts();
    test_counter_delta();
    test_residency_m1_e_cluster();
    test_residency_m1_gpu();
    test_residency_edges();
    test_dvfs_table();
    test_core_channels();
    test_temperatures();
    test_levels();
    test_memory();
    test_memory_out_of_range();
    test_json_utf8();
    test_json_nulls();

    if (failures > 0) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return 1;
    }
    puts("test_calc: all checks passed");

    return 0;
}
