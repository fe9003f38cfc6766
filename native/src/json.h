#ifndef HWHELPER_JSON_H
#define HWHELPER_JSON_H

#include <stddef.h>

#include "sample.h"

/* Growable text buffer for one JSON line; output stops growing at its capacity and sets `overflow`. */
typedef struct {
    char data[8192];
    size_t length;
    int overflow;
} json_buffer;

/* Formats a sample as one JSON object without a newline. NAN numbers and unknown levels become null. */
void json_write_sample(json_buffer *out, const hw_sample *sample);

/* Formats hardware info as one JSON object without a newline. */
void json_write_info(json_buffer *out, const hw_info *info);

#endif
