#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc.h"
#include "linux.h"

typedef struct {
    double cpu[LINUX_MAX_ZONES];
    int cpu_count;
    double gpu[LINUX_MAX_ZONES];
    int gpu_count;
} temperature_set;

static int contains_any(const char *text, const char *const *needles)
{
    for (int i = 0; needles[i] != NULL; i++) {
        if (strstr(text, needles[i]) != NULL) return 1;
    }

    return 0;
}

/* Sensor names that mean the CPU package or cores, from the usual drivers (coretemp, k10temp, SoC thermal zones). */
static const char *const cpu_names[] = { "x86_pkg_temp", "coretemp", "k10temp", "zenpower", "cpu", "CPU", "soc", NULL };
static const char *const gpu_names[] = { "amdgpu", "nouveau", "radeon", "gpu", "GPU", NULL };

static void add_reading(temperature_set *set, const char *name, double celsius, int debug, const char *source)
{
    if (debug) fprintf(stderr, "debug: %s %s=%.1f C\n", source, name, celsius);

    if (contains_any(name, gpu_names)) {
        if (set->gpu_count < LINUX_MAX_ZONES) set->gpu[set->gpu_count++] = celsius;
    } else if (contains_any(name, cpu_names)) {
        if (set->cpu_count < LINUX_MAX_ZONES) set->cpu[set->cpu_count++] = celsius;
    }
}

static void read_thermal_zones(temperature_set *set, int debug)
{
    char path[4096];
    DIR *dir = opendir(linux_path(path, sizeof(path), "/sys/class/thermal"));
    struct dirent *entry;

    if (dir == NULL) return;

    while ((entry = readdir(dir)) != NULL) {
        char file[512];
        char type[128];
        char value[64];

        if (strncmp(entry->d_name, "thermal_zone", 12) != 0) continue;

        snprintf(file, sizeof(file), "/sys/class/thermal/%s/type", entry->d_name);
        if (linux_read_text(file, type, sizeof(type)) != 0) continue;
        snprintf(file, sizeof(file), "/sys/class/thermal/%s/temp", entry->d_name);
        if (linux_read_text(file, value, sizeof(value)) != 0) continue;

        /* Millidegrees Celsius. */
        add_reading(set, type, strtod(value, NULL) / 1000.0, debug, "thermal_zone");
    }
    closedir(dir);
}

static void read_hwmon(temperature_set *set, int debug)
{
    char path[4096];
    DIR *dir = opendir(linux_path(path, sizeof(path), "/sys/class/hwmon"));
    struct dirent *entry;

    if (dir == NULL) return;

    while ((entry = readdir(dir)) != NULL) {
        char file[512];
        char name[128];

        if (strncmp(entry->d_name, "hwmon", 5) != 0) continue;
        snprintf(file, sizeof(file), "/sys/class/hwmon/%s/name", entry->d_name);
        if (linux_read_text(file, name, sizeof(name)) != 0) continue;

        /* temp1_input is the package or edge sensor on the common drivers. */
        for (int index = 1; index <= 16; index++) {
            char value[64];

            snprintf(file, sizeof(file), "/sys/class/hwmon/%s/temp%d_input", entry->d_name, index);
            if (linux_read_text(file, value, sizeof(value)) != 0) continue;
            add_reading(set, name, strtod(value, NULL) / 1000.0, debug, "hwmon");
        }
    }
    closedir(dir);
}

void linux_read_temperatures(hw_sample *sample, int debug)
{
    temperature_set set;

    memset(&set, 0, sizeof(set));
    read_thermal_zones(&set, debug);
    read_hwmon(&set, debug);

    sample->cpu_temp_celsius = hw_average_temperature(set.cpu, set.cpu_count, HW_TEMP_MIN_CELSIUS, HW_TEMP_MAX_CELSIUS);
    sample->gpu_temp_celsius = hw_average_temperature(set.gpu, set.gpu_count, HW_TEMP_MIN_CELSIUS, HW_TEMP_MAX_CELSIUS);
}
