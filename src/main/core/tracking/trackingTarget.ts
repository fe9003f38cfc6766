import { type CallContext, type MethodHandlers } from '../../../common/contract';
import { HubError } from '../../../common/errors';
import { type HubTrackingTarget } from '../../../common/methods/hub';
import { type trackingMethods } from '../../../common/methods/tracking';
import { type Logger } from '../logger';
import { MlflowRestClient } from './mlflowRestClient';
import { createRemoteTrackingHandlers } from './remoteTracking';

/** Target of the tracking reads now; `token` is the bearer token for a managed server that requires one. */
export type ActiveTrackingTarget = { kind: 'embedded' } | { kind: 'managed'; url: string; token: string | null };

type TrackingHandlers = MethodHandlers<typeof trackingMethods>;
type TrackingMethod = keyof TrackingHandlers;

/** Returns the target as `hub:status` shows it, without the token. */
export function publicTrackingTarget(target: ActiveTrackingTarget): HubTrackingTarget {
  return target.kind === 'managed' ? { kind: 'managed', url: target.url } : { kind: 'embedded', url: null };
}

/**
 * Wraps the embedded store's tracking handlers so that each call goes to the
 * target in effect at that moment: the managed MLflow server when `resolveTarget`
 * names it, else the embedded store. An unreachable managed server is an error
 * and never a silent switch to the embedded store, whose data differ.
 */
export function createTargetedTrackingHandlers(embedded: TrackingHandlers, resolveTarget: () => ActiveTrackingTarget, log: Logger): TrackingHandlers {
  let cached: { url: string; token: string | null; handlers: TrackingHandlers } | null = null;

  const remoteHandlers = (target: { url: string; token: string | null }): TrackingHandlers => {
    if (cached?.url !== target.url || cached.token !== target.token) {
      const client = new MlflowRestClient({ baseUrl: target.url, token: target.token, log });
      cached = { url: target.url, token: target.token, handlers: createRemoteTrackingHandlers(client) };
    }

    return cached.handlers;
  };

  let lastKind: ActiveTrackingTarget['kind'] = 'embedded';
  const resolveAndLog = (): ActiveTrackingTarget => {
    const target = resolveTarget();
    if (target.kind !== lastKind) log.info(`createTargetedTrackingHandlers(): tracking reads switched from ${lastKind} to ${target.kind}${target.kind === 'managed' ? ` url=${target.url}` : ''}`);
    lastKind = target.kind;

    return target;
  };

  const dispatch = <K extends TrackingMethod>(name: K) =>
    (async (input: Parameters<TrackingHandlers[K]>[0], context: CallContext) => {
      const target = resolveAndLog();
      if (target.kind === 'embedded') return (embedded[name] as (input: unknown, context: CallContext) => unknown)(input, context);

      try {
        return await (remoteHandlers(target)[name] as (input: unknown, context: CallContext) => unknown)(input, context);
      } catch (error) {
        throw explainUnavailable(error, name, target.url, log);
      }
    }) as TrackingHandlers[K];

  return {
    'experiments:list': dispatch('experiments:list'),
    'runs:list': dispatch('runs:list'),
    'runs:get': dispatch('runs:get'),
    'metrics:history': dispatch('metrics:history'),
  };
}

/** Turns an unreachable managed server into an error that names the server and both ways out. */
function explainUnavailable(error: unknown, method: string, url: string, log: Logger): unknown {
  if (!(error instanceof HubError) || error.code !== 'TEMPORARILY_UNAVAILABLE') return error;

  log.warn(`${method}: managed MLflow server unavailable url=${url}: ${error.message}`);

  return new HubError(
    'TEMPORARILY_UNAVAILABLE',
    `The managed MLflow server at ${url} does not answer (${error.message}). Start or restart the \`mlflow\` service (Services view, or \`mlops-hub services restart mlflow\`), or switch the tracking target back to the embedded store.`,
    { cause: error },
  );
}
