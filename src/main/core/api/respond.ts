import type http from 'node:http';
import { type Readable } from 'node:stream';

import { HubError, toErrorBody, type ErrorCode } from '../../../common/errors';

/** Writes a JSON response. Headers already sent (an SSE stream, say) leave the response untouched. */
export function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;

  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  response.end(text);
}

/** Streams a file as an `application/octet-stream` attachment; a read error ends the response early. */
export function sendFile(response: http.ServerResponse, status: number, file: { stream: Readable; sizeBytes: number; name: string }): void {
  response.writeHead(status, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': file.sizeBytes,
    'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
  file.stream.on('error', () => response.destroy());
  response.once('close', () => file.stream.destroy());
  file.stream.pipe(response);
}

/** Writes MLflow's error body `{"error_code", "message"}` with the code's status, or `status` when given. */
export function sendError(response: http.ServerResponse, code: ErrorCode, message: string, status?: number): void {
  const error = new HubError(code, message);
  sendJson(response, status ?? error.status, toErrorBody(error));
}

/**
 * Reads a request body as UTF-8 text. Throws HubError REQUEST_LIMIT_EXCEEDED
 * (sent as HTTP 413) once more than `maxBytes` arrive, and stops reading.
 */
export function readBody(request: http.IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      reject(tooLarge(maxBytes));
      return;
    }

    const chunks: Buffer[] = [];
    let received = 0;
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        request.removeAllListeners('data');
        request.resume();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export class BodyTooLargeError extends HubError {
  constructor(readonly maxBytes: number) {
    super('REQUEST_LIMIT_EXCEEDED', `request body is larger than ${maxBytes / 1024 / 1024} MiB; send smaller batches`);
  }
}

function tooLarge(maxBytes: number): BodyTooLargeError {
  return new BodyTooLargeError(maxBytes);
}

/** Parses a JSON request body; an empty body is `{}`. Throws HubError MALFORMED_REQUEST. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return {};

  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HubError('MALFORMED_REQUEST', `request body is not valid JSON: ${(error as Error).message}`);
  }
}
