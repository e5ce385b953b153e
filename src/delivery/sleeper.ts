// A sleep that wake() ends early: the worker sleeps until the next row is due, and ingest (or stop) interrupts.
export class Sleeper {
  private wakers = new Set<() => void>();
  private closed = false;

  sleep(ms: number): Promise<void> {
    // After close() nothing sleeps: a loop between two awaits when stop() came must not start a long sleep.
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.wakers.add(done);
    });
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  wake(): void {
    for (const w of [...this.wakers]) w();
  }
}
