#include "json.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "calc.h"

static void append(json_buffer *out, const char *format, ...)
{
    va_list args;
    size_t room = sizeof(out->data) - out->length;
    int written;

    if (out->overflow) return;

    va_start(args, format);
    written = vsnprintf(out->data + out->length, room, format, args);
    va_end(args);

    if (written < 0 || (size_t)written >= room) {
        out->overflow = 1;
        return;
    }
    out->length += (size_t)written;
}

/*
 * Length of the well-formed UTF-8 sequence at `c` (1..4), or 0 when it is
 * not one: a stray continuation byte, a truncated sequence, an overlong
 * form, a surrogate or a code point above U+10FFFF (RFC 3629, section 4).
 */
static int utf8_sequence_length(const unsigned char *c)
{
    int length;
    unsigned char low = 0x80, high = 0xBF;

    if (c[0] < 0x80) return 1;
    if (c[0] >= 0xC2 && c[0] <= 0xDF) length = 2;
    else if (c[0] >= 0xE0 && c[0] <= 0xEF) length = 3;
    else if (c[0] >= 0xF0 && c[0] <= 0xF4) length = 4;
    else return 0;

    if (c[0] == 0xE0) low = 0xA0;
    if (c[0] == 0xED) high = 0x9F;
    if (c[0] == 0xF0) low = 0x90;
    if (c[0] == 0xF4) high = 0x8F;
    if (c[1] < low || c[1] > high) return 0;
    for (int i = 2; i < length; i++) {
        if (c[i] < 0x80 || c[i] > 0xBF) return 0;
    }

    return length;
}

/* Writes `text` as a JSON string; each byte that is not part of valid UTF-8 becomes U+FFFD, so the line stays valid JSON. */
static void append_string(json_buffer *out, const char *text)
{
    const unsigned char *c = (const unsigned char *)text;

    append(out, "\"");
    while (*c != '\0') {
        int length = utf8_sequence_length(c);

        if (length == 0) {
            append(out, "\\ufffd");
            c++;
        } else if (length > 1) {
            append(out, "%.*s", length, (const char *)c);
            c += length;
        } else {
            if (*c == '"' || *c == '\\') append(out, "\\%c", *c);
            else if (*c < 0x20 || *c == 0x7F) append(out, "\\u%04x", *c);
            else append(out, "%c", *c);
            c++;
        }
    }
    append(out, "\"");
}

static void append_number(json_buffer *out, const char *key, double value)
{
    if (isnan(value) || isinf(value)) append(out, "\"%s\":null", key);
    else if (value == floor(value) && fabs(value) < 1e15) append(out, "\"%s\":%.0f", key, value);
    else append(out, "\"%s\":%.9g", key, value);
}

static void append_name(json_buffer *out, const char *key, const char *name)
{
    append(out, "\"%s\":", key);
    if (name == NULL) append(out, "null");
    else append_string(out, name);
}

static void append_clusters(json_buffer *out, const hw_sample *sample)
{
    append(out, "\"cpuClusters\":[");
    for (int i = 0; i < sample->cluster_count; i++) {
        const hw_cluster *cluster = &sample->clusters[i];

        append(out, i == 0 ? "{" : ",{");
        append_name(out, "name", cluster->name);
        append(out, ",\"cores\":%d,", cluster->cores);
        append_number(out, "usageRatio", cluster->usage_ratio);
        append(out, ",");
        append_number(out, "freqMhz", cluster->freq_mhz);
        append(out, "}");
    }
    append(out, "]");
}

void json_write_sample(json_buffer *out, const hw_sample *sample)
{
    out->length = 0;
    out->overflow = 0;

    append(out, "{\"timestampMs\":%lld,", (long long)sample->timestamp_ms);
    append_number(out, "intervalMs", sample->interval_ms);
    append(out, ",");
    append_clusters(out, sample);
    append(out, ",");
    append_number(out, "cpuUsageRatio", sample->cpu_usage_ratio);
    append(out, ",");
    append_number(out, "cpuPowerWatts", sample->cpu_power_watts);
    append(out, ",");
    append_number(out, "gpuPowerWatts", sample->gpu_power_watts);
    append(out, ",");
    append_number(out, "anePowerWatts", sample->ane_power_watts);
    append(out, ",");
    append_number(out, "gpuActiveRatio", sample->gpu_active_ratio);
    append(out, ",");
    append_number(out, "gpuFreqMhz", sample->gpu_freq_mhz);
    append(out, ",");
    append_number(out, "cpuTempCelsius", sample->cpu_temp_celsius);
    append(out, ",");
    append_number(out, "gpuTempCelsius", sample->gpu_temp_celsius);
    append(out, ",");
    append_name(out, "thermalPressure", hw_thermal_pressure_name(sample->thermal_pressure));
    append(out, ",");
    append_number(out, "memoryTotalBytes", sample->memory_total_bytes);
    append(out, ",");
    append_number(out, "memoryUsedBytes", sample->memory_used_bytes);
    append(out, ",");
    append_number(out, "memoryCachedBytes", sample->memory_cached_bytes);
    append(out, ",");
    append_number(out, "swapTotalBytes", sample->swap_total_bytes);
    append(out, ",");
    append_number(out, "swapUsedBytes", sample->swap_used_bytes);
    append(out, ",");
    append_name(out, "memoryPressure", hw_memory_pressure_name(sample->memory_pressure));
    append(out, ",");
    append_number(out, "memoryStallRatio", sample->memory_stall_ratio);
    append(out, "}");
}

static void append_count(json_buffer *out, const char *key, int value)
{
    if (value < 0) append(out, "\"%s\":null", key);
    else append(out, "\"%s\":%d", key, value);
}

static void append_text(json_buffer *out, const char *key, const char *text)
{
    append_name(out, key, text[0] == '\0' ? NULL : text);
}

void json_write_info(json_buffer *out, const hw_info *info)
{
    out->length = 0;
    out->overflow = 0;

    append(out, "{");
    append_text(out, "chip", info->chip);
    append(out, ",");
    append_text(out, "model", info->model);
    append(out, ",");
    append_count(out, "performanceCores", info->performance_cores);
    append(out, ",");
    append_count(out, "efficiencyCores", info->efficiency_cores);
    append(out, ",");
    append_count(out, "gpuCores", info->gpu_cores);
    append(out, ",\"neuralEngine\":%s,", info->neural_engine < 0 ? "null" : (info->neural_engine ? "true" : "false"));
    append_number(out, "memoryBytes", info->memory_bytes);
    append(out, ",");
    append_text(out, "osName", info->os_name);
    append(out, ",");
    append_text(out, "osVersion", info->os_version);
    append(out, "}");
}
