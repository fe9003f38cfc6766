import type { z } from 'zod';

/**
 * One hub method: a name in the method table, the zod schema that validates its
 * input, and its output type (a phantom field, never set at runtime). The HTTP
 * routes, the Electron IPC bridge and the clients are all derived from the table.
 */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly description: string;
  readonly input: I;
  readonly output?: O;
}

/** Declares a method whose handler returns `O`: `defineMethod<Project[]>()('List projects.', z.object({}))`. */
export function defineMethod<O>() {
  return <I extends z.ZodType>(description: string, input: I): MethodSpec<I, O> => ({ description, input });
}

export type MethodTable = Record<string, MethodSpec>;

/** Input as a caller sends it, before defaults are applied. */
export type MethodInput<M> = M extends MethodSpec<infer I, unknown> ? z.input<I> : never;

/** Input as a handler receives it, after validation and defaults. */
export type MethodParsedInput<M> = M extends MethodSpec<infer I, unknown> ? z.output<I> : never;

export type MethodOutput<M> = M extends MethodSpec<z.ZodType, infer O> ? O : never;

/** Caller of a method, so that handlers can tie state (a lease, say) to a caller. */
export interface CallContext {
  readonly transport: 'unix' | 'tcp' | 'ipc' | 'internal';
  /** Process id that the caller declared; checked by the handler that relies on it. */
  readonly declaredPid?: number;
  /**
   * Resolves the pid of the process at the other end of the connection, or null
   * when the OS tables do not tell. Looked up on the first call and cached per
   * connection; absent for transports without a peer process (IPC, internal).
   */
  readonly resolvePeerPid?: () => Promise<number | null>;
}

export type MethodHandlers<T extends MethodTable> = {
  [K in keyof T]: (input: MethodParsedInput<T[K]>, context: CallContext) => Promise<MethodOutput<T[K]>> | MethodOutput<T[K]>;
};

/** HTTP path of a method: `projects:list` is served at `POST /api/hub/projects/list`. */
export function methodPath(name: string): string {
  return `/api/hub/${name.replace(/:/g, '/')}`;
}
