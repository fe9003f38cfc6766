import { describe, expect, it } from 'vitest';

import { findNeverFitReason, planLeases, type PlanHolder, type PlanInput, type PlanRequest } from '../../../../src/main/core/arbiter/leaseQueue';
import { choosePauses } from '../../../../src/main/core/arbiter/preemption';
import type { Priority } from '../../../../src/main/core/arbiter/priorities';
import { emptyResources, type Resources } from '../../../../src/main/core/arbiter/resources';
import { rulesFor, type ThermalLevel } from '../../../../src/main/core/arbiter/thermalPolicy';

const capacity: Resources = { memoryGb: 32, gpuShare: 1, neuralEngine: 1, cpuCores: 8 };
const noCap: Resources = { memoryGb: Infinity, gpuShare: Infinity, neuralEngine: Infinity, cpuCores: Infinity };

function need(partial: Partial<Resources>): Resources {
  return { ...emptyResources(), ...partial };
}

let sequence = 0;

function request(leaseId: string, project: string, resources: Partial<Resources>, priority: Priority = 'normal', waitingSince = 0): PlanRequest {
  sequence += 1;
  return { leaseId, project, pid: 100, priority, resources: need(resources), waitingSince, sequence };
}

function holder(leaseId: string, project: string, resources: Partial<Resources>, options: Partial<PlanHolder> = {}): PlanHolder {
  return { leaseId, project, pid: 200, priority: 'normal', preemptible: true, paused: false, grantedAt: 0, expectedEndAt: null, resources: need(resources), ...options };
}

function input(partial: Partial<PlanInput>, level: ThermalLevel = 'nominal'): PlanInput {
  return {
    now: 0,
    capacity,
    holders: [],
    queue: [],
    weightOf: () => 1,
    capOf: () => noCap,
    agingMs: 60_000,
    thermalLevel: level,
    thermalRules: rulesFor(level),
    ...partial,
  };
}

describe('planLeases', () => {
  it('grants what fits and queues the rest with a reason', () => {
    const plan = planLeases(
      input({
        holders: [holder('h1', 'lora', { memoryGb: 24, gpuShare: 1 }, { expectedEndAt: 90_000 })],
        queue: [request('q1', 'diffusion', { memoryGb: 12, gpuShare: 0.5 }), request('q2', 'quant', { memoryGb: 4, cpuCores: 2 })],
        now: 10_000,
      }),
    );

    expect(plan.grants).toEqual(['q2']);
    const placement = plan.queued.get('q1');
    expect(placement?.position).toBe(1);
    expect(placement?.reason.kind).toBe('resources');
    expect(placement?.reason.resources).toEqual(['memoryGb', 'gpuShare']);
    expect(placement?.reason.holders.map((blocking) => blocking.leaseId)).toEqual(['h1']);
    expect(placement?.reason.message).toContain('12 GB of memory (8 GB of memory free)');
    expect(placement?.reason.message).toContain('lora (lease h1');
    expect(placement?.estimateMs).toBe(80_000);
  });

  it('serves the project with the smaller dominant share first', () => {
    const plan = planLeases(
      input({
        holders: [holder('h1', 'big', { memoryGb: 16 })],
        queue: [request('q-big', 'big', { memoryGb: 10 }, 'normal', 0), request('q-small', 'small', { memoryGb: 10 }, 'normal', 5)],
      }),
    );

    expect(plan.grants).toEqual(['q-small']);
    expect(plan.queued.get('q-big')?.position).toBe(1);
  });

  it('keeps arrival order within a millisecond', () => {
    const plan = planLeases(
      input({
        holders: [holder('h1', 'x', { memoryGb: 32 })],
        queue: [request('zz-first', 'a', { memoryGb: 4 }), request('aa-second', 'a', { memoryGb: 4 })],
      }),
    );

    expect(plan.queued.get('zz-first')?.position).toBe(1);
    expect(plan.queued.get('aa-second')?.position).toBe(2);
  });

  it('weights dominant shares', () => {
    const plan = planLeases(
      input({
        holders: [holder('h1', 'a', { memoryGb: 8 }), holder('h2', 'b', { memoryGb: 6 })],
        queue: [request('qa', 'a', { memoryGb: 10 }), request('qb', 'b', { memoryGb: 10 })],
        weightOf: (project) => (project === 'a' ? 2 : 1),
      }),
    );

    expect(plan.grants).toEqual(['qa']);
  });

  it('keeps lower classes off resources a higher class waits for', () => {
    const plan = planLeases(
      input({
        holders: [holder('h1', 'x', { memoryGb: 28 })],
        queue: [request('high', 'a', { memoryGb: 8 }, 'high'), request('low-mem', 'b', { memoryGb: 2 }, 'low'), request('low-cpu', 'c', { cpuCores: 2 }, 'low')],
      }),
    );

    expect(plan.grants).toEqual(['low-cpu']);
    expect(plan.queued.get('high')?.position).toBe(1);
    expect(plan.queued.get('low-mem')?.reason.kind).toBe('priority');
    expect(plan.queued.get('low-mem')?.reason.message).toContain('high-priority lease high of a');
  });

  it('lets an aged low request overtake a fresh high one', () => {
    const now = 3 * 60_000;
    const plan = planLeases(
      input({
        now,
        queue: [request('fresh-high', 'a', { memoryGb: 20 }, 'high', now), request('old-low', 'b', { memoryGb: 20 }, 'low', 0)],
      }),
    );

    expect(plan.grants).toEqual(['old-low']);
    expect(plan.queued.get('fresh-high')?.reason.kind).toBe('resources');
  });

  it('stops small requests from starving an aged large one', () => {
    const now = 10 * 60_000;
    const plan = planLeases(
      input({
        now,
        holders: [holder('h1', 'x', { memoryGb: 20 })],
        queue: [request('old-big', 'a', { memoryGb: 16 }, 'normal', 0), request('newer-small', 'b', { memoryGb: 2 }, 'normal', 60_000)],
      }),
    );

    expect(plan.grants).toEqual([]);
    expect(plan.queued.get('newer-small')?.reason.kind).toBe('priority');
  });

  it('holds low-priority grants at moderate pressure', () => {
    const plan = planLeases(input({ queue: [request('low', 'a', { memoryGb: 1 }, 'low'), request('normal', 'b', { memoryGb: 1 })] }, 'moderate'));

    expect(plan.grants).toEqual(['normal']);
    expect(plan.queued.get('low')?.reason.kind).toBe('thermal');
    expect(plan.queued.get('low')?.reason.message).toBe('thermal pressure is moderate: low-priority requests wait until it falls');
  });

  it('grants only high priority at trapping', () => {
    const plan = planLeases(input({ queue: [request('high', 'a', { memoryGb: 1 }, 'high'), request('normal', 'b', { memoryGb: 1 })] }, 'trapping'));

    expect(plan.grants).toEqual(['high']);
    expect(plan.queued.get('normal')?.reason.kind).toBe('thermal');
  });

  it('queues a request over its project cap', () => {
    const plan = planLeases(
      input({
        holders: [holder('h1', 'a', { memoryGb: 10 })],
        queue: [request('q1', 'a', { memoryGb: 8 })],
        capOf: (project) => (project === 'a' ? { ...noCap, memoryGb: 16 } : noCap),
      }),
    );

    expect(plan.queued.get('q1')?.reason.kind).toBe('cap');
    expect(plan.queued.get('q1')?.reason.message).toContain('cap of 16 GB of memory');
  });

  it('counts a paused lease as holding only memory', () => {
    const plan = planLeases(
      input({
        holders: [holder('h1', 'a', { memoryGb: 8, gpuShare: 1 }, { paused: true })],
        queue: [request('q1', 'b', { memoryGb: 8, gpuShare: 1 })],
      }),
    );

    expect(plan.grants).toEqual(['q1']);
  });
});

describe('choosePauses', () => {
  it('pauses low preemptible leases at heavy pressure', () => {
    const planInput = input(
      {
        holders: [
          holder('low-p', 'a', { gpuShare: 0.5 }, { priority: 'low' }),
          holder('low-np', 'b', { gpuShare: 0.2 }, { priority: 'low', preemptible: false }),
          holder('normal', 'c', { gpuShare: 0.2 }),
        ],
      },
      'heavy',
    );
    const pauses = choosePauses(planInput, planLeases(planInput));

    expect([...pauses.keys()]).toEqual(['low-p']);
    expect(pauses.get('low-p')?.kind).toBe('thermal');
  });

  it('pauses all but high at trapping', () => {
    const planInput = input(
      { holders: [holder('high', 'a', { gpuShare: 0.3 }, { priority: 'high' }), holder('normal-np', 'b', { gpuShare: 0.3 }, { preemptible: false })] },
      'trapping',
    );

    expect([...choosePauses(planInput, planLeases(planInput)).keys()]).toEqual(['normal-np']);
  });

  it('pauses a lower class to free the GPU for a higher one', () => {
    const planInput = input({
      holders: [holder('old-low', 'a', { gpuShare: 0.6 }, { priority: 'low', grantedAt: 1 }), holder('new-low', 'b', { gpuShare: 0.4 }, { priority: 'low', grantedAt: 2 })],
      queue: [request('urgent', 'c', { gpuShare: 0.4 }, 'high')],
    });
    const pauses = choosePauses(planInput, planLeases(planInput));

    expect([...pauses.keys()]).toEqual(['new-low']);
    expect(pauses.get('new-low')?.kind).toBe('priority');
  });

  it('lets aging reorder but not preempt', () => {
    const planInput = input({
      now: 10 * 60_000,
      holders: [holder('high-holder', 'a', { gpuShare: 1 }, { priority: 'high' })],
      queue: [request('aged-low', 'b', { gpuShare: 1 }, 'low', 0)],
    });

    expect(choosePauses(planInput, planLeases(planInput)).size).toBe(0);
  });

  it('preempts nobody for memory', () => {
    const planInput = input({
      holders: [holder('low', 'a', { memoryGb: 30 }, { priority: 'low' })],
      queue: [request('urgent', 'c', { memoryGb: 8 }, 'high')],
    });

    expect(choosePauses(planInput, planLeases(planInput)).size).toBe(0);
  });
});

describe('findNeverFitReason', () => {
  it('rejects more memory than the machine offers', () => {
    const reason = findNeverFitReason(need({ memoryGb: 200 }), capacity, 'a', noCap);

    expect(reason).toContain('requests 200 GB of memory but the machine offers 32 GB of memory');
  });

  it('advises on CPU cores, not memory, for too many cores', () => {
    const reason = findNeverFitReason(need({ cpuCores: 64 }), capacity, 'a', noCap);

    expect(reason).toContain(`requests 64 CPU cores but the machine offers ${capacity.cpuCores} CPU cores`);
    expect(reason).toContain(`The machine has ${capacity.cpuCores} CPU cores, so set \`cpuCores\` to at most ${capacity.cpuCores}.`);
    expect(reason).not.toContain('memory');
  });

  it('advises on the memory budget for too much memory', () => {
    expect(findNeverFitReason(need({ memoryGb: 200 }), capacity, 'a', noCap)).toContain('iogpu.wired_limit_mb');
  });

  it('rejects more than the project cap', () => {
    expect(findNeverFitReason(need({ cpuCores: 4 }), capacity, 'a', { ...noCap, cpuCores: 2 })).toContain("project a's mlops.yaml resources cap");
  });

  it('accepts what fits', () => {
    expect(findNeverFitReason(need({ memoryGb: 32, gpuShare: 1, neuralEngine: 1, cpuCores: 8 }), capacity, 'a', noCap)).toBeNull();
  });
});
