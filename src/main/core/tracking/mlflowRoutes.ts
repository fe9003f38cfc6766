import { HubError, toErrorBody } from '../../../common/errors';
import { type MlflowRequest, type MlflowResponse } from '../api/router';
import { type Logger } from '../logger';
import { findLoggedModelEndpoint } from './loggedModelEndpoints';
import { type HttpMethod, mlflowEndpoints } from './mlflowEndpoints';
import { checkContentType, type Fields, parseBody, parseQuery } from './mlflowRequest';
import { type Tracking } from './tracking';

export type { MlflowRequest, MlflowResponse };

/** The tracking router returns synchronously, so it fits the server's `MlflowRouter`, which may also be async. */
export type MlflowRouter = (request: MlflowRequest) => MlflowResponse | null;

const prefixPattern = /^\/(?:api|ajax-api)\/2\.0\/mlflow\/(.*)$/;

/**
 * Serves MLflow's tracking REST API under `/api/2.0/mlflow/` and
 * `/ajax-api/2.0/mlflow/`; returns null for any other path. Every failure
 * becomes MLflow's `{error_code, message}` body: validation errors are 4xx,
 * because MLflow clients retry 5xx replies for minutes.
 */
export function createMlflowRouter(tracking: Tracking, log: Logger): MlflowRouter {
  const routeLog = log.child('tracking');

  return (request) => {
    const match = prefixPattern.exec(request.pathname);
    if (!match) return null;

    const path = match[1]!.replace(/\/+$/, '');
    const endpoint = mlflowEndpoints[path] ?? findLoggedModelEndpoint(path, request.method);
    if (!endpoint) return errorReply(new HubError('ENDPOINT_NOT_FOUND', `No MLflow endpoint ${request.method} ${request.pathname}. Check the path against the MLflow REST API.`));
    if (!endpoint.methods.includes(request.method as HttpMethod)) {
      return { status: 405, body: { error_code: 'ENDPOINT_NOT_FOUND', message: `${request.method} is not allowed on ${request.pathname}; use ${endpoint.methods.join(' or ')}.` } };
    }

    try {
      // In-process callers pass no contentType; over HTTP, null means a missing header.
      if (request.contentType !== undefined) checkContentType(request.method, request.contentType);
      const fields: Fields = request.method === 'GET' ? parseQuery(request.query) : parseBody(request.bodyText);
      return { status: 200, body: endpoint.handle(tracking, fields) };
    } catch (error) {
      if (error instanceof HubError) {
        routeLog.warn(`mlflow(): rejected ${request.method} ${path} code=${error.code} runId=${runIdOf(request) ?? '-'}: ${error.message.slice(0, 300)}`);
      } else {
        routeLog.error(`mlflow(): failed ${request.method} ${path} runId=${runIdOf(request) ?? '-'}`, error);
      }
      return errorReply(error);
    }
  };
}

function errorReply(error: unknown): MlflowResponse {
  const status = error instanceof HubError ? error.status : 500;

  return { status, body: toErrorBody(error) };
}

/** Returns the run id of a request for log lines, when one is easy to find. */
function runIdOf(request: MlflowRequest): string | undefined {
  const fromQuery = request.query.get('run_id') ?? undefined;
  const fromBody = /"run_(?:id|uuid)"\s*:\s*"([\w-]{1,64})"/.exec(request.bodyText.slice(0, 500))?.[1];

  return fromQuery ?? fromBody;
}
