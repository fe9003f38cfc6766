import { execFile } from 'node:child_process';
import os from 'node:os';

import { type HardwareInfo, hardwareInfoSchema } from '../../../common/methods/hardware';

/** How long `hwhelper info` may take, in milliseconds; it reads sysctl and IORegistry only. */
const infoTimeoutMs = 5000;

/** Runs `hwhelper info` and validates its JSON; rejects with the reason when the helper fails or prints something else. */
export function readHelperInfo(helperPath: string): Promise<HardwareInfo> {
  return new Promise((resolve, reject) => {
    execFile(helperPath, ['info'], { timeout: infoTimeoutMs, maxBuffer: 64 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`hwhelper info failed: ${stderr.trim() || error.message}`, { cause: error }));
        return;
      }
      try {
        resolve(hardwareInfoSchema.parse(JSON.parse(stdout)));
      } catch (parseError) {
        reject(new Error(`hwhelper info printed an invalid object: ${(parseError as Error).message}`, { cause: parseError }));
      }
    });
  });
}

/** Machine description from Node's `os` module; the core count is known, but core tiers, GPU and Neural Engine stay unknown. */
export function readNodeInfo(): HardwareInfo {
  const cpus = os.cpus();

  return {
    chip: cpus[0]?.model.trim() || null,
    model: os.machine(),
    performanceCores: null,
    efficiencyCores: null,
    cores: cpus.length > 0 ? cpus.length : null,
    gpuCores: null,
    neuralEngine: null,
    memoryBytes: os.totalmem(),
    osName: os.type(),
    osVersion: os.release(),
  };
}
