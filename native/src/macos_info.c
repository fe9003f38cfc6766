#ifdef __APPLE__

#include <IOKit/IOKitLib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysctl.h>

#include "backend.h"
#include "calc.h"
#include "macos.h"

static void read_sysctl_text(const char *name, char *buffer, size_t size)
{
    size_t length = size;

    if (sysctlbyname(name, buffer, &length, NULL, 0) != 0) buffer[0] = '\0';
}

static int read_sysctl_int(const char *name)
{
    int value = 0;
    size_t size = sizeof(value);

    return sysctlbyname(name, &value, &size, NULL, 0) == 0 ? value : -1;
}

/* Level 0 is the fastest tier and the last level the slowest (xnu cpu_type_for_perflevel). */
static void read_core_tiers(hw_info *info)
{
    int levels = read_sysctl_int("hw.nperflevels");
    char name[64];

    info->performance_cores = read_sysctl_int("hw.perflevel0.physicalcpu");
    if (levels < 2) {
        info->efficiency_cores = levels == 1 ? 0 : -1;
        return;
    }
    snprintf(name, sizeof(name), "hw.perflevel%d.physicalcpu", levels - 1);
    info->efficiency_cores = read_sysctl_int(name);
}

static int read_gpu_cores(void)
{
    io_service_t gpu = IOServiceGetMatchingService(MACH_PORT_NULL, IOServiceMatching("AGXAccelerator"));
    CFTypeRef value = NULL;
    int cores = -1;

    if (gpu == IO_OBJECT_NULL) goto cleanup;
    value = IORegistryEntryCreateCFProperty(gpu, CFSTR("gpu-core-count"), kCFAllocatorDefault, 0);
    if (value == NULL || CFGetTypeID(value) != CFNumberGetTypeID()) goto cleanup;
    if (!CFNumberGetValue(value, kCFNumberIntType, &cores)) cores = -1;

cleanup:
    if (value != NULL) CFRelease(value);
    if (gpu != IO_OBJECT_NULL) IOObjectRelease(gpu);

    return cores;
}

/* The Neural Engine driver service; absence is reported as unknown, since no public tool confirms the name on every chip. */
static int read_neural_engine(void)
{
    io_service_t engine = IOServiceGetMatchingService(MACH_PORT_NULL, IOServiceMatching("H11ANEIn"));

    if (engine == IO_OBJECT_NULL) return -1;
    IOObjectRelease(engine);

    return 1;
}

int macos_read_dvfs_table(const char *key, int cpu_table, double *out, int max_count)
{
    io_iterator_t iterator = IO_OBJECT_NULL;
    io_registry_entry_t entry = IO_OBJECT_NULL;
    CFStringRef property = NULL;
    CFTypeRef data = NULL;
    int count = 0;

    if (IOServiceGetMatchingServices(MACH_PORT_NULL, IOServiceMatching("AppleARMIODevice"), &iterator) != KERN_SUCCESS) goto cleanup;
    property = CFStringCreateWithCString(kCFAllocatorDefault, key, kCFStringEncodingUTF8);
    if (property == NULL) goto cleanup;

    while ((entry = IOIteratorNext(iterator)) != IO_OBJECT_NULL) {
        io_name_t name;

        if (IORegistryEntryGetName(entry, name) == KERN_SUCCESS && strcmp(name, "pmgr") == 0) {
            data = IORegistryEntryCreateCFProperty(entry, property, kCFAllocatorDefault, 0);
            IOObjectRelease(entry);
            break;
        }
        IOObjectRelease(entry);
    }
    if (data == NULL || CFGetTypeID(data) != CFDataGetTypeID()) goto cleanup;

    {
        const uint8_t *bytes = CFDataGetBytePtr(data);
        size_t length = (size_t)CFDataGetLength(data);
        double hz_per_unit = 1.0;

        /* CPU tables are Hz on M1-M3 and kHz from M4; GPU tables stay Hz. */
        for (size_t offset = 0; cpu_table && offset + 8 <= length; offset += 8) {
            uint32_t first = (uint32_t)bytes[offset] | ((uint32_t)bytes[offset + 1] << 8) |
                             ((uint32_t)bytes[offset + 2] << 16) | ((uint32_t)bytes[offset + 3] << 24);
            if (first == 0) continue;
            hz_per_unit = hw_dvfs_hz_per_unit(first);
            break;
        }
        count = hw_dvfs_table_mhz(bytes, length, hz_per_unit, out, max_count);
    }

cleanup:
    if (data != NULL) CFRelease(data);
    if (property != NULL) CFRelease(property);
    if (iterator != IO_OBJECT_NULL) IOObjectRelease(iterator);

    return count;
}

int hw_read_info(hw_info *info, int debug)
{
    uint64_t memory = 0;
    size_t size = sizeof(memory);

    read_sysctl_text("machdep.cpu.brand_string", info->chip, sizeof(info->chip));
    read_sysctl_text("hw.model", info->model, sizeof(info->model));
    read_sysctl_text("kern.osproductversion", info->os_version, sizeof(info->os_version));
    snprintf(info->os_name, sizeof(info->os_name), "macOS");
    if (sysctlbyname("hw.memsize", &memory, &size, NULL, 0) == 0) info->memory_bytes = (double)memory;

    read_core_tiers(info);
    info->gpu_cores = read_gpu_cores();
    info->neural_engine = read_neural_engine();
    if (debug) fprintf(stderr, "debug: chip=%s model=%s gpu_cores=%d\n", info->chip, info->model, info->gpu_cores);

    return info->chip[0] == '\0' ? -1 : 0;
}

#endif
