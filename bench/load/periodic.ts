/**
 * Runs `task` every `intervalMs`, one run at a time: a tick that comes while a
 * run is still going is skipped rather than started beside it. `stop()` waits
 * for the run in flight, so nothing the task records lands after whatever the
 * caller does next (the soak's final reading must be the last one). The task
 * records its own failures; one that throws anyway is dropped, not left as an
 * unhandled rejection that would end the whole benchmark.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => this.tick(), this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.task()
      .catch(() => undefined)
      .finally(() => {
        this.running = undefined;
      });
  }
}
