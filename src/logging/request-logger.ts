import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, LevelWithSilentOrString, LogFn, Logger } from 'pino';

/** What a pino log method takes: an object or a message first, then the message and format arguments. */
type LogArguments = [objOrMessage: unknown, ...rest: unknown[]];

/**
 * `request.log`: the request's pino child (the root's bindings plus the
 * request ID), made the first time something logs through it. Fastify asks for
 * one per request, and pino builds a child by serializing its bindings: most
 * requests never log through it (the completed line is written through the
 * root with the request ID as a field, fastify-request-log.ts), so building
 * one each time was a few per cent of a protected read's CPU (--cpu-prof).
 * Lines written through it are the child's own, unchanged.
 */
export class RequestLogger implements FastifyBaseLogger {
  private made: Logger | undefined;

  constructor(
    private readonly root: Logger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  /** The child's level, read without making it: the root's unless Fastify's options set one. */
  get level(): LevelWithSilentOrString {
    return this.made?.level ?? this.options.level ?? this.root.level;
  }

  set level(level: LevelWithSilentOrString) {
    this.logger().level = level;
  }

  fatal(...args: LogArguments): void {
    this.logger().fatal(...asPinoArguments(args));
  }

  error(...args: LogArguments): void {
    this.logger().error(...asPinoArguments(args));
  }

  warn(...args: LogArguments): void {
    this.logger().warn(...asPinoArguments(args));
  }

  info(...args: LogArguments): void {
    this.logger().info(...asPinoArguments(args));
  }

  debug(...args: LogArguments): void {
    this.logger().debug(...asPinoArguments(args));
  }

  trace(...args: LogArguments): void {
    this.logger().trace(...asPinoArguments(args));
  }

  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger().child(bindings, options);
  }

  private logger(): Logger {
    this.made ??= this.root.child(this.bindings, this.options);
    return this.made;
  }
}

/** The arguments passed on exactly as they came, so pino tells its call forms apart as it always does. */
function asPinoArguments(args: LogArguments): Parameters<LogFn> {
  return args as unknown as Parameters<LogFn>;
}
