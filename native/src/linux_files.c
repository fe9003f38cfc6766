#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linux.h"

const char *linux_path(char *buffer, size_t size, const char *absolute)
{
    const char *root = getenv("HWHELPER_SYSROOT");

    snprintf(buffer, size, "%s%s", root == NULL ? "" : root, absolute);

    return buffer;
}

int linux_read_text(const char *absolute, char *buffer, size_t size)
{
    char path[4096];
    FILE *file = fopen(linux_path(path, sizeof(path), absolute), "r");
    size_t length;

    if (file == NULL) return -1;

    length = fread(buffer, 1, size - 1, file);
    buffer[length] = '\0';
    fclose(file);

    while (length > 0 && (buffer[length - 1] == '\n' || buffer[length - 1] == ' ')) buffer[--length] = '\0';

    return 0;
}

int linux_read_u64(const char *absolute, uint64_t *value)
{
    char text[64];
    char *end = NULL;

    if (linux_read_text(absolute, text, sizeof(text)) != 0) return -1;

    errno = 0;
    *value = strtoull(text, &end, 10);

    return errno != 0 || end == text ? -1 : 0;
}
