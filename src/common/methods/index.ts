import { hardwareMethods } from './hardware';
import { hubMethods } from './hub';
import { leasesMethods } from './leases';
import { projectsMethods } from './projects';
import { servicesMethods } from './services';
import { artifactMethods, trackingMethods } from './tracking';

/** The whole hub API. Method names are `domain:verb`; each is also an IPC channel name. */
export const methods = {
  ...hubMethods,
  ...projectsMethods,
  ...trackingMethods,
  ...artifactMethods,
  ...servicesMethods,
  ...hardwareMethods,
  ...leasesMethods,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
