#ifndef HWHELPER_BACKEND_H
#define HWHELPER_BACKEND_H

#include "sample.h"

/*
 * One backend per OS (backend_linux.c, backend_macos.c). Each function
 * returns 0 on success and a negative value on failure. A single source that
 * fails leaves its fields NAN instead of failing the whole sample.
 */
typedef struct hw_backend hw_backend;

int hw_backend_open(hw_backend **out, int debug);
int hw_backend_sample(hw_backend *backend, hw_sample *sample);
void hw_backend_close(hw_backend *backend);
int hw_read_info(hw_info *info, int debug);

#endif
