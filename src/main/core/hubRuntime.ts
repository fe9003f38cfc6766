import { type CallContext, type MethodHandlers, type MethodTable } from '../../common/contract';
import { HubError } from '../../common/errors';
import { methods } from '../../common/methods';
import { validateInput } from './api/validateInput';
import { type Logger } from './logger';

type AnyHandler = (input: unknown, context: CallContext) => unknown;

/** Handlers of every hub method, filled by the domains; `call` validates input before a handler runs. */
export class HandlerRegistry {
  private readonly handlers = new Map<string, AnyHandler>();

  constructor(private readonly log: Logger) {}

  add<T extends MethodTable>(table: MethodHandlers<T>): void {
    for (const [name, handler] of Object.entries(table)) this.handlers.set(name, handler as AnyHandler);
  }

  /** Validates `rawInput` with the method's contract schema, then runs its handler. */
  readonly call = async (name: string, rawInput: unknown, context: CallContext): Promise<unknown> => {
    const spec = (methods as MethodTable)[name];
    if (!spec) throw new HubError('ENDPOINT_NOT_FOUND', `unknown hub method \`${name}\`; methods are named like \`projects:list\``);
    const handler = this.handlers.get(name);
    if (!handler) throw new HubError('NOT_IMPLEMENTED', `hub method \`${name}\` is not available in this hub build`);

    const input = validateInput(name, spec.input, rawInput);
    this.log.trace(`call(): ${name} transport=${context.transport}`);

    return handler(input, context);
  };
}

type Closer = () => void | Promise<void>;

/** Stop steps of the hub's parts, run in reverse order of registration. */
export class Closers {
  private readonly closers: Closer[] = [];

  constructor(private readonly log: Logger) {}

  push(closer: Closer): void {
    this.closers.push(closer);
  }

  /** Runs every closer once, newest first; one failing does not skip the rest. */
  async runAll(): Promise<void> {
    const pending = this.closers.splice(0).reverse();
    for (const closer of pending) {
      try {
        await closer();
      } catch (error) {
        this.log.error('close(): a domain failed to stop', error);
      }
    }
  }
}
