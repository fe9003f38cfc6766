/*
 * hwhelper: prints hardware information and samples as JSON for the MLOps Hub.
 * Commands, the output schema and the exit codes are documented in README.md.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend.h"
#include "json.h"

#define EXIT_USAGE 2
#define EXIT_NO_SOURCE 3
#define EXIT_WRITE_FAILED 4

#define MIN_INTERVAL_MS 100
#define MAX_INTERVAL_MS 60000
#define DEFAULT_INTERVAL_MS 1000

typedef struct {
    const char *command;
    long interval_ms;
    long count;          /* 0 = until stopped */
    int debug;
} options;

static volatile sig_atomic_t stop_requested = 0;

static void handle_stop_signal(int signal_number)
{
    (void)signal_number;
    stop_requested = 1;
}

static void print_usage(FILE *stream)
{
    fputs("usage: hwhelper info [--debug]\n"
          "       hwhelper stream [--interval-ms N] [--count N] [--debug]\n"
          "  --interval-ms N  time between samples in milliseconds, 100..60000 (default 1000)\n"
          "  --count N        stop after N samples (default: run until SIGTERM or stdin closes)\n"
          "  --debug          print raw readings to stderr\n",
          stream);
}

static int parse_long(const char *flag, const char *text, long min, long max, long *out)
{
    char *end = NULL;
    long value;

    if (text == NULL) {
        fprintf(stderr, "hwhelper: %s needs a value (%ld..%ld)\n", flag, min, max);
        return -1;
    }
    errno = 0;
    value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < min || value > max) {
        fprintf(stderr, "hwhelper: invalid %s '%s': expected an integer in %ld..%ld\n", flag, text, min, max);
        return -1;
    }
    *out = value;

    return 0;
}

static int parse_options(int argc, char **argv, options *opts)
{
    opts->command = argc > 1 ? argv[1] : NULL;
    opts->interval_ms = DEFAULT_INTERVAL_MS;
    opts->count = 0;
    opts->debug = 0;

    if (opts->command == NULL || (strcmp(opts->command, "info") != 0 && strcmp(opts->command, "stream") != 0)) {
        fprintf(stderr, "hwhelper: unknown or missing command '%s': expected 'info' or 'stream'\n",
                opts->command == NULL ? "" : opts->command);
        return -1;
    }
    for (int i = 2; i < argc; i++) {
        int is_stream = strcmp(opts->command, "stream") == 0;

        if (strcmp(argv[i], "--debug") == 0) {
            opts->debug = 1;
        } else if (is_stream && strcmp(argv[i], "--interval-ms") == 0) {
            if (parse_long("--interval-ms", i + 1 < argc ? argv[++i] : NULL, MIN_INTERVAL_MS, MAX_INTERVAL_MS, &opts->interval_ms) != 0) return -1;
        } else if (is_stream && strcmp(argv[i], "--count") == 0) {
            if (parse_long("--count", i + 1 < argc ? argv[++i] : NULL, 1, 1000000000L, &opts->count) != 0) return -1;
        } else {
            fprintf(stderr, "hwhelper: unknown option '%s' for '%s'\n", argv[i], opts->command);
            return -1;
        }
    }

    return 0;
}

/* Writes the whole line with as few write(2) calls as the pipe allows; lines under PIPE_BUF go in one. */
static int write_line(json_buffer *line)
{
    size_t done = 0;

    if (line->overflow || line->length + 1 >= sizeof(line->data)) {
        fprintf(stderr, "hwhelper: sample does not fit in %zu bytes; skipped\n", sizeof(line->data));
        return 0;
    }
    line->data[line->length++] = '\n';

    while (done < line->length) {
        ssize_t written = write(STDOUT_FILENO, line->data + done, line->length - done);

        if (written < 0 && errno == EINTR) continue;
        if (written < 0) {
            fprintf(stderr, "hwhelper: writing to stdout failed: %s\n", strerror(errno));
            return -1;
        }
        done += (size_t)written;
    }

    return 0;
}

/*
 * Sleeps up to `timeout_ms` while watching stdin. Returns 1 when the helper
 * should stop (stdin reached end of file or a stop signal arrived), else 0.
 * Input on stdin is read and ignored, so a terminal user can type safely.
 */
static int wait_watching_stdin(int timeout_ms, int *watch_stdin)
{
    struct pollfd watched = { .fd = STDIN_FILENO, .events = POLLIN };
    char discard[256];
    int ready;

    ready = poll(&watched, *watch_stdin ? 1 : 0, timeout_ms);
    if (stop_requested) return 1;
    if (ready <= 0) return 0;

    if (watched.revents & POLLNVAL) {
        /* No stdin at all (closed before exec): nothing to watch. */
        *watch_stdin = 0;
        return 0;
    }
    if (read(STDIN_FILENO, discard, sizeof(discard)) <= 0) return 1;

    return 0;
}

/*
 * Watches stdin only when it is a pipe, a socket or a terminal: those close
 * when the parent goes away (or on Ctrl-D). /dev/null and regular files are at
 * end of file from the start and would stop the stream at once.
 */
static int stdin_is_watchable(void)
{
    struct stat info;

    if (fstat(STDIN_FILENO, &info) != 0) return 0;

    return S_ISFIFO(info.st_mode) || S_ISSOCK(info.st_mode) || isatty(STDIN_FILENO);
}

static int run_stream(const options *opts)
{
    hw_backend *backend = NULL;
    json_buffer line;
    hw_sample sample;
    int watch_stdin = stdin_is_watchable();
    int status = 0;
    long written = 0;
    double next_due;

    if (hw_backend_open(&backend, opts->debug) != 0) {
        fprintf(stderr, "hwhelper: no hardware source could be opened\n");
        return EXIT_NO_SOURCE;
    }
    next_due = hw_monotonic_seconds() + (double)opts->interval_ms / 1000.0;

    while (!stop_requested) {
        double remaining = next_due - hw_monotonic_seconds();

        if (remaining > 0) {
            if (wait_watching_stdin((int)ceil(remaining * 1000.0), &watch_stdin)) break;
            continue;
        }

        hw_sample_clear(&sample);
        hw_backend_sample(backend, &sample);
        json_write_sample(&line, &sample);
        if (write_line(&line) != 0) {
            status = EXIT_WRITE_FAILED;
            break;
        }
        written++;
        if (opts->count > 0 && written >= opts->count) break;

        /* Keep a fixed cadence, but never try to catch up after a stall. */
        next_due += (double)opts->interval_ms / 1000.0;
        if (next_due < hw_monotonic_seconds()) next_due = hw_monotonic_seconds() + (double)opts->interval_ms / 1000.0;
    }

    hw_backend_close(backend);

    return status;
}

static int run_info(const options *opts)
{
    hw_info info;
    json_buffer line;

    hw_info_clear(&info);
    if (hw_read_info(&info, opts->debug) != 0) {
        fprintf(stderr, "hwhelper: hardware information could not be read\n");
        return EXIT_NO_SOURCE;
    }
    json_write_info(&line, &info);

    return write_line(&line) == 0 ? 0 : EXIT_WRITE_FAILED;
}

int main(int argc, char **argv)
{
    struct sigaction stop_action;
    options opts;

    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        print_usage(stdout);
        return 0;
    }
    if (parse_options(argc, argv, &opts) != 0) {
        print_usage(stderr);
        return EXIT_USAGE;
    }

    /* No SA_RESTART, so a signal interrupts poll() and the loop exits promptly. */
    memset(&stop_action, 0, sizeof(stop_action));
    stop_action.sa_handler = handle_stop_signal;
    sigemptyset(&stop_action.sa_mask);
    sigaction(SIGTERM, &stop_action, NULL);
    sigaction(SIGINT, &stop_action, NULL);
    signal(SIGPIPE, SIG_IGN);

    return strcmp(opts.command, "info") == 0 ? run_info(&opts) : run_stream(&opts);
}
