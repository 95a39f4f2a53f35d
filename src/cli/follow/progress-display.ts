import type { CliStream } from '../output.js';
import { describeProgress, type RunProgress } from './run-progress.js';

/** Where `sync run --follow` shows progress while it waits. */
export interface ProgressDisplay {
  update(progress: RunProgress, rate: number | undefined, now: number): void;
  /** A line that must stay (a warning); the live line is redrawn under it. */
  message(text: string): void;
  /** Leaves the stream clean for what follows (the summary). */
  end(): void;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\x1b[2K';

/**
 * On a terminal: one status line redrawn in place. A fill bar would need the
 * run's total, which nobody knows in advance (SCIM reports a total per
 * listing, incremental runs have none, and the run row does not carry it), so
 * this is a spinner with the counts rather than cli-progress's bar; it is a
 * dozen lines with no dependency.
 */
export class LiveLine implements ProgressDisplay {
  private frame = 0;
  private last: { progress: RunProgress; rate: number | undefined } | undefined;

  constructor(private readonly stream: CliStream) {}

  update(progress: RunProgress, rate: number | undefined): void {
    this.last = { progress, rate };
    const text = `${SPINNER[this.frame++ % SPINNER.length]} ${describeProgress(progress, rate)}`;
    const width = (this.stream.columns ?? 80) - 1;
    this.stream.write(`${CLEAR_LINE}${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
  }

  message(text: string): void {
    this.stream.write(`${CLEAR_LINE}${text}\n`);
    if (this.last) this.update(this.last.progress, this.last.rate);
  }

  end(): void {
    this.stream.write(CLEAR_LINE);
  }
}

/**
 * Anywhere else (CI logs, pipes): a plain line when the status changes, and
 * otherwise at most one every `everyMs` while the counts move, so a log of a
 * long run stays readable.
 */
export class PlainLines implements ProgressDisplay {
  private printed: { status: string; pages: number; fetched: number; at: number } | undefined;

  constructor(
    private readonly stream: CliStream,
    private readonly runId: string,
    private readonly everyMs: number,
  ) {}

  update(progress: RunProgress, rate: number | undefined, now: number): void {
    const last = this.printed;
    const statusChanged = last?.status !== progress.status;
    const moved = last !== undefined && (last.pages !== progress.pages || last.fetched !== progress.fetched);
    if (!statusChanged && !(moved && now - last.at >= this.everyMs)) return;
    this.printed = { status: progress.status, pages: progress.pages, fetched: progress.fetched, at: now };
    this.stream.write(`sync run ${this.runId} ${describeProgress(progress, rate)}\n`);
  }

  message(text: string): void {
    this.stream.write(`${text}\n`);
  }

  end(): void {}
}
