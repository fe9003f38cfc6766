#ifdef __APPLE__

#include <mach/mach.h>
#include <math.h>
#include <notify.h>
#include <stdio.h>
#include <sys/sysctl.h>
#include <unistd.h>

#include "calc.h"
#include "macos.h"

/* Libc's kOSThermalNotificationPressureLevelName; levels 0 nominal .. 4 sleeping on macOS. */
#define THERMAL_PRESSURE_KEY "com.apple.system.thermalpressurelevel"

int macos_cstring(CFStringRef text, char *buffer, size_t size)
{
    if (text == NULL) return -1;

    return CFStringGetCString(text, buffer, (CFIndex)size, kCFStringEncodingUTF8) ? 0 : -1;
}

int macos_thermal_open(int debug)
{
    int token = -1;
    uint32_t status = notify_register_check(THERMAL_PRESSURE_KEY, &token);

    if (status != NOTIFY_STATUS_OK) {
        if (debug) fprintf(stderr, "debug: notify_register_check(%s) failed: %u\n", THERMAL_PRESSURE_KEY, status);
        return -1;
    }

    return token;
}

void macos_thermal_read(int token, hw_sample *sample)
{
    uint64_t level = 0;

    if (token < 0) return;
    if (notify_get_state(token, &level) != NOTIFY_STATUS_OK) return;

    sample->thermal_pressure = hw_thermal_pressure_name((int)level) != NULL ? (int)level : HW_PRESSURE_UNKNOWN;
}

void macos_thermal_close(int token)
{
    if (token >= 0) notify_cancel(token);
}

static void read_swap(hw_sample *sample)
{
    struct xsw_usage swap;
    size_t size = sizeof(swap);

    if (sysctlbyname("vm.swapusage", &swap, &size, NULL, 0) != 0) return;

    sample->swap_total_bytes = (double)swap.xsu_total;
    sample->swap_used_bytes = (double)swap.xsu_used;
}

static void read_pressure_level(hw_sample *sample, int debug)
{
    int level = 0;
    size_t size = sizeof(level);

    /* Masked from `sysctl -a` on release kernels, but readable by name without privileges. */
    if (sysctlbyname("kern.memorystatus_vm_pressure_level", &level, &size, NULL, 0) != 0) return;
    if (debug) fprintf(stderr, "debug: kern.memorystatus_vm_pressure_level=%d\n", level);

    sample->memory_pressure = hw_memory_pressure_from_kernel_level(level);
}

int macos_read_memory(hw_sample *sample, int debug)
{
    vm_statistics64_data_t stats;
    mach_msg_type_number_t count = HOST_VM_INFO64_COUNT;
    uint64_t total = 0;
    size_t size = sizeof(total);
    double page = (double)sysconf(_SC_PAGESIZE);

    if (sysctlbyname("hw.memsize", &total, &size, NULL, 0) == 0) sample->memory_total_bytes = (double)total;
    read_swap(sample);
    read_pressure_level(sample, debug);

    /* A failing call blanks the memory figures; it must not stop the stream. */
    if (host_statistics64(mach_host_self(), HOST_VM_INFO64, (host_info64_t)&stats, &count) != KERN_SUCCESS) return -1;
    if (debug) fprintf(stderr, "debug: vm active=%u inactive=%u wired=%u compressor=%u purgeable=%u external=%u\n",
                       stats.active_count, stats.inactive_count, stats.wire_count, stats.compressor_page_count,
                       stats.purgeable_count, stats.external_page_count);

    sample->memory_used_bytes = hw_macos_used_bytes(stats.active_count, stats.inactive_count, stats.speculative_count,
                                                    stats.wire_count, stats.compressor_page_count,
                                                    stats.purgeable_count, stats.external_page_count, page);
    sample->memory_cached_bytes = ((double)stats.purgeable_count + (double)stats.external_page_count) * page;

    return 0;
}

#endif
