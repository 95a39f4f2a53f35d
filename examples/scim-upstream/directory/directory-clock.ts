/**
 * The time the directory stamps on meta.created and meta.lastModified. It
 * follows the system clock until a test sets it; then it stands still (or moves
 * only when advanced), so incremental-sync tests can name exact timestamps.
 */
export class DirectoryClock {
  private fixed: number | undefined;

  now(): number {
    return this.fixed ?? Date.now();
  }

  set(at: Date | string): void {
    this.fixed = toMillis(at);
  }

  /** Moves a set clock forward (from the current system time when it was not set). */
  advance(milliseconds: number): void {
    this.fixed = this.now() + milliseconds;
  }

  useSystemTime(): void {
    this.fixed = undefined;
  }
}

export function toMillis(at: Date | string): number {
  const millis = at instanceof Date ? at.getTime() : Date.parse(at);
  if (Number.isNaN(millis)) throw new Error(`Not a valid time: ${String(at)}`);
  return millis;
}
