import type { FastifyBaseLogger } from 'fastify';

type Bindings = Record<string, unknown>;
type LogArgs = Parameters<FastifyBaseLogger['info']>;

/**
 * Fastify gives every request its own child logger (bound to the request id), and a pino child costs about
 * a microsecond to build — on every request, although a warm read logs nothing. This stands in for that child
 * and builds the real one only when something is logged through it (an error, a warning), so the log lines
 * are the same as before.
 */
export class LazyRequestLogger {
  #real: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: object,
  ) {}

  #logger(): FastifyBaseLogger {
    this.#real ??= this.parent.child(this.bindings, this.options);
    return this.#real;
  }

  get level(): string {
    return this.#real?.level ?? (this.options as { level?: string }).level ?? this.parent.level;
  }

  set level(level: string) {
    this.#logger().level = level;
  }

  fatal(...args: LogArgs): void {
    this.#logger().fatal(...args);
  }
  error(...args: LogArgs): void {
    this.#logger().error(...args);
  }
  warn(...args: LogArgs): void {
    this.#logger().warn(...args);
  }
  info(...args: LogArgs): void {
    this.#logger().info(...args);
  }
  debug(...args: LogArgs): void {
    this.#logger().debug(...args);
  }
  trace(...args: LogArgs): void {
    this.#logger().trace(...args);
  }
  silent(...args: LogArgs): void {
    this.#logger().silent(...args);
  }

  child(bindings: Bindings, options?: object): FastifyBaseLogger {
    return this.#logger().child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`. */
export function lazyRequestLogger(logger: FastifyBaseLogger, bindings: Bindings, options: object): FastifyBaseLogger {
  return new LazyRequestLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
}
