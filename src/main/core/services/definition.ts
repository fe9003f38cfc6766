import { z } from 'zod';

import { serviceNamePattern } from '../../../common/methods/services';

/** Signals a definition may name as its stop signal. */
export const stopSignals = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'] as const;

const portSchema = z
  .number({ error: 'must be a TCP port number' })
  .int('must be a whole number')
  .min(1, 'must be a TCP port between 1 and 65535')
  .max(65535, 'must be a TCP port between 1 and 65535');

/**
 * When a service counts as started: its TCP port accepts connections, an HTTP
 * URL returns a 2xx or 3xx status, or the process stayed alive for `forMs`.
 * URLs may use the `{port}` placeholder.
 */
export const readinessSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('tcp') }).strict(),
  z.object({ type: z.literal('http'), url: z.string().regex(/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/, 'must be an http:// URL on 127.0.0.1, localhost or [::1]') }).strict(),
  z.object({ type: z.literal('alive'), forMs: z.number().int().min(0).max(600_000) }).strict(),
]);

/**
 * Restart delays: the first restart after a crash is immediate, later ones wait
 * `initialMs`, then `factor` times longer each, up to `maxMs`. The count resets
 * after the service ran `resetAfterMs` without a crash. More than `maxRestarts`
 * restarts within `windowMs` is a crash loop and the service becomes failed.
 */
export const backoffSchema = z
  .object({
    initialMs: z.number().int().min(0).max(600_000).default(250),
    factor: z.number().min(1).max(10).default(2),
    maxMs: z.number().int().min(0).max(3_600_000).default(30_000),
    resetAfterMs: z.number().int().min(0).max(3_600_000).default(30_000),
    maxRestarts: z.number().int().min(0).max(1000).default(5),
    windowMs: z.number().int().min(1).max(3_600_000).default(60_000),
  })
  .strict();

/** A generated file written before each start, such as Prometheus's scrape config. */
export const generatedFileSchema = z.object({ path: z.string().min(1), content: z.string() }).strict();

/**
 * One service the supervisor can run. `args`, `env` values, `cwd`, the
 * readiness URL and generated files may contain `{port}`, `{dataDir}`,
 * `{serviceDir}`, `{hubHost}` (`127.0.0.1:PORT` of the hub) and `{tokenFile}`, replaced at start.
 */
export const serviceDefinitionSchema = z
  .object({
    name: z.string().regex(serviceNamePattern, 'must be lowercase letters, digits, dots and dashes, such as `model-server`'),
    description: z.string().max(500).default(''),
    command: z.string().min(1, 'must name the program to run, such as `python3`'),
    args: z.array(z.string()).default([]),
    port: portSchema.nullable().default(null),
    pickFreePort: z.boolean().default(false),
    cwd: z.string().min(1).nullable().default(null),
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'), z.string()).default({}),
    readiness: readinessSchema.default({ type: 'alive', forMs: 1000 }),
    startTimeoutMs: z.number().int().min(100).max(3_600_000).default(60_000),
    healthIntervalMs: z.number().int().min(500).max(3_600_000).default(10_000),
    restart: z.enum(['never', 'on-failure', 'always']).default('on-failure'),
    backoff: backoffSchema.default(backoffSchema.parse({})),
    stopSignal: z.enum(stopSignals).default('SIGTERM'),
    stopTimeoutMs: z.number().int().min(0).max(3_600_000).default(10_000),
    dependsOn: z.array(z.string()).default([]),
    installCommand: z.string().nullable().default(null),
    autostart: z.boolean().default(false),
    injectHubEnv: z.boolean().default(false),
    files: z.array(generatedFileSchema).default([]),
  })
  .strict();

export type ServiceDefinition = z.output<typeof serviceDefinitionSchema>;
export type ServiceDefinitionInput = z.input<typeof serviceDefinitionSchema>;
export type Readiness = ServiceDefinition['readiness'];
export type BackoffPolicy = ServiceDefinition['backoff'];

/**
 * Hub-settings override of one service: raw fields laid over the definition's
 * input, then validated together with it (a partial zod schema would fill in
 * every default and so reset fields the override does not name).
 */
export type ServiceOverride = Record<string, unknown>;

/** Services settings of the hub, read from `services.json` in the data folder. */
export const servicesSettingsSchema = z
  .object({
    /** Python environment folder (a venv or conda env) whose `bin` is searched before PATH. */
    pythonEnvDir: z.string().min(1).nullable().default(null),
    overrides: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    trackingTarget: z.enum(['embedded', 'managed']).default('embedded'),
    /** MLflow URI used as the managed target while the `mlflow` service runs; null means `http://127.0.0.1:<its port>`. */
    trackingServerUrl: z
      .string()
      .regex(/^http:\/\/(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\]):\d{1,5}\/?$/, 'must be an http:// URL on this machine with a port, such as http://127.0.0.1:5100')
      .nullable()
      .default(null),
    /** File holding a bearer token for the managed MLflow server, for a server behind authentication; null sends none. */
    trackingServerTokenFile: z.string().min(1).nullable().default(null),
  })
  .strict();

export type ServicesSettings = z.output<typeof servicesSettingsSchema>;

/** Formats zod issues as `field.path: message` lines for error messages. */
export function formatIssues(error: z.ZodError, prefix = ''): string {
  return error.issues.map((issue) => `${[prefix, ...issue.path.map(String)].filter(Boolean).join('.')}: ${issue.message}`).join('; ');
}
