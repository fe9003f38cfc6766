#include <math.h>
#include <stdio.h>
#include <string.h>

#include "calc.h"
#include "linux.h"

typedef struct {
    const char *key;
    double kb;
} meminfo_field;

static int read_meminfo(meminfo_field *fields, int field_count, int debug)
{
    char path[4096];
    char line[256];
    FILE *file = fopen(linux_path(path, sizeof(path), "/proc/meminfo"), "r");

    if (file == NULL) return -1;

    while (fgets(line, sizeof(line), file) != NULL) {
        for (int i = 0; i < field_count; i++) {
            size_t length = strlen(fields[i].key);
            double value;

            if (strncmp(line, fields[i].key, length) != 0 || line[length] != ':') continue;
            if (sscanf(line + length + 1, "%lf", &value) == 1) fields[i].kb = value;
            if (debug) fprintf(stderr, "debug: /proc/meminfo %s=%.0f kB\n", fields[i].key, fields[i].kb);
        }
    }
    fclose(file);

    return 0;
}

/* PSI "some avg10" of /proc/pressure/memory as a 0..1 ratio; NAN without PSI (kernels before 4.20, or disabled). */
static double read_memory_stall_ratio(int debug)
{
    char text[512];
    double percent;
    const char *some;

    if (linux_read_text("/proc/pressure/memory", text, sizeof(text)) != 0) return NAN;

    some = strstr(text, "some avg10=");
    if (some == NULL || sscanf(some, "some avg10=%lf", &percent) != 1) return NAN;
    if (debug) fprintf(stderr, "debug: /proc/pressure/memory some avg10=%.2f%%\n", percent);

    return hw_clamp_ratio(percent / 100.0);
}

int linux_read_memory(hw_sample *sample, int debug)
{
    meminfo_field fields[] = {
        { "MemTotal", NAN }, { "MemAvailable", NAN }, { "Cached", NAN },
        { "Buffers", NAN },  { "SwapTotal", NAN },    { "SwapFree", NAN },
    };

    if (read_meminfo(fields, (int)(sizeof(fields) / sizeof(fields[0])), debug) != 0) return -1;

    sample->memory_total_bytes = fields[0].kb * 1024.0;
    hw_linux_memory(fields[0].kb, fields[1].kb, fields[2].kb, fields[3].kb, &sample->memory_used_bytes,
                    &sample->memory_cached_bytes);
    sample->swap_total_bytes = fields[4].kb * 1024.0;
    sample->swap_used_bytes = hw_linux_swap_used_bytes(fields[4].kb, fields[5].kb);

    sample->memory_stall_ratio = read_memory_stall_ratio(debug);
    sample->memory_pressure = hw_memory_pressure_from_stall_ratio(sample->memory_stall_ratio);

    return 0;
}
