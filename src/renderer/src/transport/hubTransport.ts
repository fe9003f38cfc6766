import type { MethodInput, MethodOutput } from '../../../common/contract';
import type { ErrorCode } from '../../../common/errors';
import type { HubEvent } from '../../../common/events';
import type { MethodName, Methods } from '../../../common/methods';

/**
 * Events a transport delivers: the hub's own, plus `transport:didReconnect`
 * after a lost event stream came back, when listeners must reload because
 * events may have been missed in between.
 */
export type TransportEvent = HubEvent | { type: 'transport:didReconnect' };

/** Connection from the dashboard to the hub: IPC inside Electron, HTTP in a browser. */
export interface HubTransport {
  call<K extends MethodName>(name: K, input: MethodInput<Methods[K]>): Promise<MethodOutput<Methods[K]>>;
  /** Registers a listener for hub events; returns the function that removes it. */
  subscribe(listener: (event: TransportEvent) => void): () => void;
  /**
   * Downloads one artifact file of a run (`path` relative to the run's artifact root).
   * Only the HTTP transport has it, because file bytes do not travel over IPC.
   */
  downloadArtifact?(runId: string, path: string): Promise<Blob>;
}

/** Error codes the renderer adds for failures that never reached the hub. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'MISSING_TOKEN' | 'INVALID_RESPONSE';

/** A failed hub call, with the MLflow error code and the hub's message. */
export class HubCallError extends Error {
  override readonly name = 'HubCallError';

  constructor(
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    readonly method: string,
  ) {
    super(message);
  }
}
