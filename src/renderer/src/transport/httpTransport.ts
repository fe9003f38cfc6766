import { methodPath } from '../../../common/contract';
import type { ErrorCode } from '../../../common/errors';
import { HubCallError, type HubTransport, type TransportEvent } from './hubTransport';
import { EventStream } from './eventStream';

export interface HttpTransportOptions {
  /** Origin of the headless hub, for example `http://127.0.0.1:5180`. */
  baseUrl: string;
  token: string;
  /** Called once when the hub rejects the token (HTTP 401). */
  onUnauthenticated?: () => void;
  fetch?: typeof fetch;
}

/**
 * Transport for a browser tab against the headless hub: each method is
 * `POST /api/hub/<domain>/<verb>` with the input as its JSON body, and events
 * come from `/events`. Every request carries `Authorization: Bearer <token>`.
 */
export function createHttpTransport(options: HttpTransportOptions): HubTransport {
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const headers = { authorization: `Bearer ${options.token}` };
  const listeners = new Set<(event: TransportEvent) => void>();
  const stream = new EventStream({
    url: `${options.baseUrl}/events`,
    headers,
    fetch: fetchFn,
    onEvent: (event) => listeners.forEach((listener) => listener(event)),
    onUnauthenticated: () => options.onUnauthenticated?.(),
  });

  return {
    async call(name, input) {
      const response = await postMethod(fetchFn, `${options.baseUrl}${methodPath(name)}`, headers, name, input);
      if (response.status === 401) options.onUnauthenticated?.();

      return readResponse(response, name);
    },
    async downloadArtifact(runId, path) {
      const query = new URLSearchParams({ run_id: runId, path });
      const response = await fetchFn(`${options.baseUrl}/get-artifact?${query.toString()}`, { headers }).catch((error: unknown) => {
        throw new HubCallError('NETWORK_ERROR', error instanceof Error ? error.message : String(error), 'artifacts:download');
      });
      if (response.status === 401) options.onUnauthenticated?.();
      if (!response.ok) return readResponse(response, 'artifacts:download');

      return response.blob();
    },
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1) stream.start();

      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stream.stop();
      };
    },
  };
}

async function postMethod(fetchFn: typeof fetch, url: string, headers: Record<string, string>, name: string, input: unknown): Promise<Response> {
  try {
    return await fetchFn(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(input ?? {}),
    });
  } catch (error) {
    throw new HubCallError('NETWORK_ERROR', error instanceof Error ? error.message : String(error), name);
  }
}

// NOTE: the body is cast to the contract's output type without validation.
async function readResponse<O>(response: Response, name: string): Promise<O> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new HubCallError('INVALID_RESPONSE', `The hub replied to ${name} with HTTP ${response.status} and a body that is not JSON.`, name);
  }

  if (!response.ok) throw toCallError(body, response.status, name);

  return body as O;
}

function toCallError(body: unknown, status: number, name: string): HubCallError {
  if (typeof body === 'object' && body !== null && 'error_code' in body && typeof body.error_code === 'string') {
    const message = 'message' in body && typeof body.message === 'string' ? body.message : '';

    return new HubCallError(body.error_code as ErrorCode, message, name);
  }

  return new HubCallError(status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL_ERROR', `HTTP ${status}`, name);
}
