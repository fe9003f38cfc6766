#ifndef __APPLE__

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "backend.h"
#include "linux.h"

/* CPU name from /proc/cpuinfo: "model name" on x86, else the device-tree model on Arm boards. */
static void read_chip_name(hw_info *info, int debug)
{
    char path[4096];
    char line[512];
    FILE *file = fopen(linux_path(path, sizeof(path), "/proc/cpuinfo"), "r");

    if (file != NULL) {
        while (fgets(line, sizeof(line), file) != NULL) {
            char *colon = strchr(line, ':');

            if (strncmp(line, "model name", 10) != 0 || colon == NULL) continue;
            colon += 2;
            colon[strcspn(colon, "\n")] = '\0';
            snprintf(info->chip, sizeof(info->chip), "%s", colon);
            break;
        }
        fclose(file);
    }
    if (info->chip[0] == '\0') linux_read_text("/proc/device-tree/model", info->chip, sizeof(info->chip));
    if (debug) fprintf(stderr, "debug: chip=%s\n", info->chip);
}

static void read_memory_size(hw_info *info)
{
    hw_sample sample;

    hw_sample_clear(&sample);
    if (linux_read_memory(&sample, 0) == 0) info->memory_bytes = sample.memory_total_bytes;
}

int hw_read_info(hw_info *info, int debug)
{
    struct utsname system;
    long online = sysconf(_SC_NPROCESSORS_ONLN);

    read_chip_name(info, debug);
    read_memory_size(info);

    /* Linux reports no core tiers here, so every online CPU counts as a performance core. */
    info->performance_cores = online > 0 ? (int)online : -1;
    info->efficiency_cores = online > 0 ? 0 : -1;

    if (uname(&system) == 0) {
        snprintf(info->os_name, sizeof(info->os_name), "%s", system.sysname);
        snprintf(info->os_version, sizeof(info->os_version), "%s", system.release);
        if (info->model[0] == '\0') snprintf(info->model, sizeof(info->model), "%s", system.machine);
    }

    return 0;
}

#endif
