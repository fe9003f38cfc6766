#ifdef __APPLE__

#include <CoreFoundation/CoreFoundation.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc.h"
#include "macos.h"

/* Private IOHID calls, declared as macmon (IOHIDSensors) and Stats (Modules/Sensors/reader.m) declare them. */
typedef struct __IOHIDEvent *IOHIDEventRef;
typedef struct __IOHIDServiceClient *IOHIDServiceClientRef;
typedef struct __IOHIDEventSystemClient *IOHIDEventSystemClientRef;
extern CFArrayRef IOHIDEventSystemClientCopyServices(IOHIDEventSystemClientRef client);
extern CFTypeRef IOHIDServiceClientCopyProperty(IOHIDServiceClientRef service, CFStringRef key);
extern IOHIDEventSystemClientRef IOHIDEventSystemClientCreate(CFAllocatorRef allocator);
extern int IOHIDEventSystemClientSetMatching(IOHIDEventSystemClientRef client, CFDictionaryRef matching);
extern IOHIDEventRef IOHIDServiceClientCopyEvent(IOHIDServiceClientRef service, int64_t type, int32_t options, int64_t timestamp);
extern double IOHIDEventGetFloatValue(IOHIDEventRef event, int32_t field);

#define HID_PAGE_APPLE_VENDOR 0xff00
#define HID_USAGE_TEMPERATURE 5
#define HID_EVENT_TEMPERATURE 15
#define MAX_SENSORS 128

struct macos_hid {
    int debug;
    IOHIDEventSystemClientRef client;
};

static CFDictionaryRef create_matching(void)
{
    int page = HID_PAGE_APPLE_VENDOR;
    int usage = HID_USAGE_TEMPERATURE;
    CFNumberRef values[2];
    CFStringRef keys[2] = { CFSTR("PrimaryUsagePage"), CFSTR("PrimaryUsage") };
    CFDictionaryRef matching = NULL;

    values[0] = CFNumberCreate(kCFAllocatorDefault, kCFNumberIntType, &page);
    values[1] = CFNumberCreate(kCFAllocatorDefault, kCFNumberIntType, &usage);
    if (values[0] == NULL || values[1] == NULL) goto cleanup;

    matching = CFDictionaryCreate(kCFAllocatorDefault, (const void **)keys, (const void **)values, 2,
                                  &kCFTypeDictionaryKeyCallBacks, &kCFTypeDictionaryValueCallBacks);

cleanup:
    if (values[0] != NULL) CFRelease(values[0]);
    if (values[1] != NULL) CFRelease(values[1]);

    return matching;
}

int macos_hid_open(macos_hid **out, int debug)
{
    macos_hid *hid = calloc(1, sizeof(*hid));
    CFDictionaryRef matching = NULL;
    int status = -1;

    if (hid == NULL) return -1;
    hid->debug = debug;

    /* One client for the helper's lifetime: creating it is the costly part of a read. */
    hid->client = IOHIDEventSystemClientCreate(kCFAllocatorDefault);
    if (hid->client == NULL) goto cleanup;
    matching = create_matching();
    if (matching == NULL) goto cleanup;
    IOHIDEventSystemClientSetMatching(hid->client, matching);
    status = 0;

cleanup:
    if (matching != NULL) CFRelease(matching);
    if (status != 0) {
        macos_hid_close(hid);
        return -1;
    }
    *out = hid;

    return 0;
}

/* Sensor names: pACC/eACC MTR on M1, PMU tdie on M2 and later (CPU die); GPU MTR for the GPU. */
static int is_cpu_sensor(const char *name)
{
    return strstr(name, "pACC MTR") != NULL || strstr(name, "eACC MTR") != NULL || strstr(name, "PMU tdie") != NULL;
}

void macos_hid_read(macos_hid *hid, hw_sample *sample)
{
    CFArrayRef services = IOHIDEventSystemClientCopyServices(hid->client);
    double cpu[MAX_SENSORS], gpu[MAX_SENSORS];
    int cpu_count = 0, gpu_count = 0;

    if (services == NULL) return;

    for (CFIndex i = 0; i < CFArrayGetCount(services); i++) {
        IOHIDServiceClientRef service = (IOHIDServiceClientRef)CFArrayGetValueAtIndex(services, i);
        CFTypeRef product = IOHIDServiceClientCopyProperty(service, CFSTR("Product"));
        IOHIDEventRef event = NULL;
        char name[128] = "";
        double celsius;

        if (product == NULL) continue;
        if (CFGetTypeID(product) != CFStringGetTypeID() || macos_cstring((CFStringRef)product, name, sizeof(name)) != 0) goto next;

        event = IOHIDServiceClientCopyEvent(service, HID_EVENT_TEMPERATURE, 0, 0);
        if (event == NULL) goto next;
        celsius = IOHIDEventGetFloatValue(event, HID_EVENT_TEMPERATURE << 16);
        if (hid->debug) fprintf(stderr, "debug: hid %s=%.1f C\n", name, celsius);

        if (is_cpu_sensor(name) && cpu_count < MAX_SENSORS) cpu[cpu_count++] = celsius;
        else if (strstr(name, "GPU MTR") != NULL && gpu_count < MAX_SENSORS) gpu[gpu_count++] = celsius;

    next:
        if (event != NULL) CFRelease(event);
        CFRelease(product);
    }
    CFRelease(services);

    sample->cpu_temp_celsius = hw_average_temperature(cpu, cpu_count, HW_TEMP_MIN_CELSIUS, HW_TEMP_MAX_CELSIUS);
    sample->gpu_temp_celsius = hw_average_temperature(gpu, gpu_count, HW_TEMP_MIN_CELSIUS, HW_TEMP_MAX_CELSIUS);
}

void macos_hid_close(macos_hid *hid)
{
    if (hid == NULL) return;
    if (hid->client != NULL) CFRelease(hid->client);
    free(hid);
}

#endif
