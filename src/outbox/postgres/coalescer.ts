// Group commit for PostgreSQL. Every ingest costs one round trip and one WAL flush; with more concurrent callers
// than pool connections, callers would queue for a connection one commit each. Instead, calls that arrive while
// `maxInFlight` statements are already running wait together and go as ONE statement (one flush) as soon as one
// finishes. A lone caller goes at once: no timer, no added latency when the load is low.
// If a combined statement fails, its calls are retried one by one, so one caller's bad input rejects only it.

export class Coalescer<Call, Result> {
  private queue: { call: Call; resolve: (r: Result) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;
  /** Statements executed and calls carried (the group-commit ratio, for the benchmark). */
  readonly stats = { statements: 0, calls: 0 };

  constructor(
    private readonly execute: (calls: Call[]) => Promise<Result[]>,
    private readonly maxInFlight: number,
    private readonly maxCallsPerStatement = 500,
  ) {}

  run(call: Call): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ call, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxCallsPerStatement);
      this.inFlight++;
      void this.send(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async send(batch: typeof this.queue): Promise<void> {
    this.stats.statements++;
    this.stats.calls += batch.length;
    try {
      const results = await this.execute(batch.map((b) => b.call));
      batch.forEach((b, i) => b.resolve(results[i]!));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      await Promise.all(
        batch.map(async (b) => {
          try {
            b.resolve((await this.execute([b.call]))[0]!);
          } catch (e) {
            b.reject(e);
          }
        }),
      );
    }
  }
}
