import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { InputError } from '../../errors.js';
import type { SqliteSynchronous } from './connection.js';
import { WriteQueue } from './write-queue.js';
import { SqliteWriter, type WriteOp } from './writer.js';

// Where the outbox's writes run. better-sqlite3 is synchronous: on the main thread every insert and every
// commit's fsync stalls HTTP, and under load the SQLite work was ~40% of the gateway's main thread (docs/
// BENCHMARKS.md). For a database file the writes therefore go to a writer thread with its own connection
// (write-thread.ts); `:memory:` (one connection only) and `writerThread: false` keep them on the calling thread.
// Both run the same operations (writer.ts) through the same group commit (write-queue.ts), and a caller's promise
// settles only after the commit that carried its operation — durable before resolve, in both modes.

export interface WriteExecutor {
  run<T>(op: WriteOp): Promise<T>;
  readonly stats: { commits: number; operations: number };
  /** Commits what is queued and stops taking writes. */
  close(): Promise<void>;
}

export class InThreadWrites implements WriteExecutor {
  private readonly queue: WriteQueue;
  private readonly writer: SqliteWriter;

  constructor(db: Database.Database) {
    this.writer = new SqliteWriter(db);
    this.queue = new WriteQueue(db, this.writer);
  }

  run<T>(op: WriteOp): Promise<T> {
    return this.queue.run(() => this.writer.execute(op)) as Promise<T>;
  }

  get stats(): { commits: number; operations: number } {
    return this.queue.stats;
  }

  async close(): Promise<void> {
    this.queue.flush();
  }
}

export type WriteRequest = { type: 'ops'; ops: { id: number; op: WriteOp }[] } | { type: 'close' };
export type WriteReply = {
  type: 'done';
  results: ({ id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError })[];
  stats: { commits: number; operations: number };
};

interface SerializedError {
  name: string;
  message: string;
  code?: unknown;
  path?: string;
  stack?: string;
}

export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const out: SerializedError = { name: err.name, message: err.message };
  if (err.stack !== undefined) out.stack = err.stack;
  const extra = err as { code?: unknown; path?: unknown };
  if (extra.code !== undefined) out.code = extra.code;
  if (typeof extra.path === 'string') out.path = extra.path;
  return out;
}

function deserializeError(e: SerializedError): Error {
  if (e.name === 'InputError' && e.path !== undefined) return new InputError(e.path, e.message, e.code as string | undefined);
  const err = new Error(e.message) as Error & { code?: unknown };
  err.name = e.name;
  if (e.code !== undefined) err.code = e.code;
  if (e.stack !== undefined) err.stack = e.stack;
  return err;
}

/**
 * The writer thread holds little JavaScript state: each message's operations live until their commit, a few
 * milliseconds. V8 still lets an isolate's young generation grow toward its default maximum (two 16 MiB
 * semi-spaces) under a steady stream of messages, and what it touched stays resident. At 8 MiB the gateway's RSS
 * with a backlog pending fell ~6 MiB, CPU per ingested event unchanged (10 interleaved rounds, docs/BENCHMARKS.md).
 * No old-generation limit: the heap growing factor already keeps it small, and a limit would turn an unusually
 * large batch into a dead writer thread.
 */
export const WRITER_THREAD_LIMITS = { maxYoungGenerationSizeMb: 8 } as const;

/** Bounds one message (and the writer's turn spent taking it in) when a busy writer lets requests gather. */
const MAX_OPS_PER_MESSAGE = 256;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export class ThreadWrites implements WriteExecutor {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | undefined;
  private closing = false;
  private outgoing: { id: number; op: WriteOp }[] = [];
  private sendScheduled = false;
  private readonly exited: Promise<void>;
  private readonly ready: Promise<void>;
  stats = { commits: 0, operations: 0 };

  private constructor(path: string, synchronous: SqliteSynchronous) {
    const workerData: { path: string; synchronous: SqliteSynchronous } = { path, synchronous };
    this.worker = new Worker(new URL('./write-thread.mjs', import.meta.url), { workerData, resourceLimits: WRITER_THREAD_LIMITS });
    // Never what keeps the process alive by itself: ref'd only while a write is outstanding (see track()).
    this.worker.unref();
    let onReady!: () => void;
    let onReadyFailed!: (err: unknown) => void;
    this.ready = new Promise<void>((resolve, reject) => {
      onReady = resolve;
      onReadyFailed = reject;
    });
    this.worker.on('message', (message: WriteReply | { type: 'ready' } | { type: 'closed' }) => {
      if (message.type === 'ready') return onReady();
      if (message.type !== 'done') return;
      this.stats = message.stats;
      for (const r of message.results) {
        const p = this.pending.get(r.id);
        if (!p) continue;
        this.pending.delete(r.id);
        if (r.ok) p.resolve(r.value);
        else p.reject(deserializeError(r.error));
      }
      if (this.outgoing.length > 0) this.send();
      else if (this.pending.size === 0) this.worker.unref();
    });
    const fail = (err: Error): void => {
      this.failure ??= err;
      onReadyFailed(err);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.exited = new Promise<void>((resolve) =>
      this.worker.once('exit', (code) => {
        if (!this.closing || code !== 0) fail(new Error(`outbox: the SQLite writer thread exited (code ${String(code)})`));
        resolve();
      }),
    );
  }

  /** The limits V8 applies to the writer thread's isolate (0 = V8's default), as the thread itself reports them. */
  get resourceLimits(): Worker['resourceLimits'] {
    return this.worker.resourceLimits;
  }

  /** Starts the writer thread on a migrated database and waits until it has prepared its statements. */
  static async start(path: string, synchronous: SqliteSynchronous): Promise<ThreadWrites> {
    const writes = new ThreadWrites(path, synchronous);
    await writes.ready;
    return writes;
  }

  run<T>(op: WriteOp): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new Error('outbox: the store is closed'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.outgoing.push({ id, op });
      if (this.outgoing.length >= MAX_OPS_PER_MESSAGE) return this.send();
      if (this.sendScheduled) return;
      this.sendScheduled = true;
      // One message per hand-off, not per request: a postMessage is a structured clone and a wake-up on both
      // threads (~22 µs per single-event POST in a CPU profile). An idle writer gets what this callback asked for
      // at once (a batch's events, a worker's completions). A busy one could not start on it before its commit
      // ends anyway, so the rest of this loop turn's requests join it: sent when the writer answers (see the
      // message handler) or at the end of the turn, whichever comes first — the writer never waits on us.
      if (this.pending.size === this.outgoing.length) queueMicrotask(this.sendNow);
      else setImmediate(this.sendNow);
    });
  }

  private readonly sendNow = (): void => this.send();

  private send(): void {
    this.sendScheduled = false;
    const ops = this.outgoing;
    if (ops.length === 0) return;
    this.outgoing = [];
    this.worker.postMessage({ type: 'ops', ops } satisfies WriteRequest);
  }

  async close(): Promise<void> {
    if (this.closing) return this.exited;
    this.closing = true;
    this.send();
    this.worker.ref();
    this.worker.postMessage({ type: 'close' } satisfies WriteRequest);
    await this.exited;
  }
}
