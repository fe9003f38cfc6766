import { z } from 'zod';

import { defineMethod } from '../contract';
import { projectSlugSchema } from './projects';

export type LeasePriority = 'high' | 'normal' | 'low';

/** Lease states: queued, then granted (or paused by request), then released, expired or revoked. */
export type LeaseState = 'queued' | 'granted' | 'paused' | 'released' | 'expired' | 'revoked';

/** Amounts of one lease. Memory is in GB of 2^30 bytes; the GPU is a share from 0 to 1; the Neural Engine is exclusive. */
export interface LeaseResources {
  memoryGb: number;
  gpuShare: number;
  neuralEngine: boolean;
  cpuCores: number;
}

export interface LeaseQueueInfo {
  /** 1 for the request served next. */
  position: number;
  /** `resources`, `priority`, `thermal` or `cap`. */
  reasonKind: string;
  /** Resource names the request waits for. */
  reasonResources: string[];
  /** Lease ids of the holders, or of the requests ahead, that it waits for. */
  blockingLeaseIds: string[];
  message: string;
  /** Estimated wait in milliseconds; null when a holder gave no expected duration. */
  estimateMs: number | null;
}

export interface LeaseView {
  leaseId: string;
  project: string;
  pid: number;
  label: string;
  priority: LeasePriority;
  preemptible: boolean;
  resources: LeaseResources;
  state: LeaseState;
  /** The arbiter asked the holder to pause; cleared when it may resume. */
  pauseRequested: boolean;
  pauseReason: string | null;
  queue: LeaseQueueInfo | null;
  /** Times in milliseconds since the Unix epoch. */
  requestedAt: number;
  grantedAt: number | null;
  endedAt: number | null;
  endReason: string | null;
  /** Time after which the lease expires without a heartbeat. */
  expiresAt: number;
  /** Resident memory of the holder's process tree in bytes at the last check; null before the first. */
  memoryUsedBytes: number | null;
  /** Memory grant in bytes, the value `mlx.core.metal.set_memory_limit` takes. */
  memoryLimitBytes: number;
  /** Increases on every change, for `leases:wait`. */
  version: number;
}

export interface LeaseCapacity {
  memoryGb: number;
  gpuShare: number;
  neuralEngine: number;
  cpuCores: number;
}

export interface LeaseProjectShare {
  project: string;
  weight: number;
  /** Largest share of any resource that the project holds, 0 to 1. */
  dominantShare: number;
}

export interface LeaseOverview {
  leases: LeaseView[];
  capacity: LeaseCapacity;
  used: LeaseCapacity;
  /** Thermal level the arbiter acts on, after hysteresis. */
  thermalLevel: string;
  queueLength: number;
  shares: LeaseProjectShare[];
}

const leaseIdSchema = z.string().min(1).max(100);
const pidSchema = z.number().int().min(1).max(4_194_304);

export const leaseResourcesSchema = z
  .object({
    memoryGb: z.number().finite().min(0).default(0),
    gpuShare: z.number().finite().min(0).max(1).default(0),
    neuralEngine: z.boolean().default(false),
    cpuCores: z.number().finite().min(0).default(0),
  })
  .strict();

export const leasesMethods = {
  'leases:request': defineMethod<LeaseView>()(
    'Request a lease for a process; returns at once with the lease granted, queued (with position and reason) or raises when it can never fit.',
    z
      .object({
        project: projectSlugSchema.default('default'),
        pid: pidSchema,
        resources: leaseResourcesSchema,
        priority: z.enum(['high', 'normal', 'low']).optional(),
        preemptible: z.boolean().default(true),
        /** Heartbeat time-to-live in milliseconds. */
        ttlMs: z.number().int().min(1_000).max(3_600_000).default(30_000),
        /** Longest wait in the queue before the request expires, in milliseconds. */
        maxWaitMs: z.number().int().min(0).max(7 * 24 * 3_600_000).optional(),
        /** Expected run time, for the queue estimates of others, in milliseconds. */
        expectedDurationMs: z.number().int().min(0).optional(),
        label: z.string().max(200).default(''),
      })
      .strict(),
  ),
  'leases:wait': defineMethod<LeaseView>()(
    'Wait until the lease changes past `afterVersion` or `timeoutMs` passes; returns the lease. Counts as a heartbeat.',
    z.object({ leaseId: leaseIdSchema, afterVersion: z.number().int().min(0).default(0), timeoutMs: z.number().int().min(0).max(60_000).default(25_000) }).strict(),
  ),
  'leases:heartbeat': defineMethod<LeaseView>()(
    'Renew a lease for another time-to-live.',
    z.object({ leaseId: leaseIdSchema, pid: pidSchema.optional() }).strict(),
  ),
  'leases:release': defineMethod<LeaseView>()(
    'Release a lease. With `project`, only a lease of that project; without it, as the user (CLI or GUI), which counts as a revoke of a lease that is not ended.',
    z.object({ leaseId: leaseIdSchema, project: projectSlugSchema.optional(), pid: pidSchema.optional() }).strict(),
  ),
  'leases:reportPaused': defineMethod<LeaseView>()(
    'Report that the holder has paused (true) or resumed work (false).',
    z.object({ leaseId: leaseIdSchema, paused: z.boolean(), pid: pidSchema.optional() }).strict(),
  ),
  'leases:list': defineMethod<LeaseOverview>()('List active and recently ended leases with capacity, usage, thermal level and project shares.', z.object({}).strict()),
} as const;
