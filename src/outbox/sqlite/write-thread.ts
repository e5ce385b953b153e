import { parentPort, workerData } from 'node:worker_threads';
import { openConnection, type SqliteSynchronous } from './connection.js';
import { WriteQueue } from './write-queue.js';
import { SqliteWriter, type WriteOp } from './writer.js';
import { serializeError, type WriteReply, type WriteRequest } from './writes.js';

// The outbox's writer thread: its own connection, the same group commit (one transaction and one fsync for
// everything that arrived while the previous commit ran, a failing operation rolled back alone), and each operation's
// outcome posted back only after its commit. The main thread keeps HTTP, validation and hashing.

const data = workerData as { path: string; synchronous: SqliteSynchronous };
const port = parentPort!;
const db = openConnection(data.path, data.synchronous);
const writer = new SqliteWriter(db);
const queue = new WriteQueue(db, writer);

let replies: WriteReply['results'] = [];
let replyScheduled = false;
function reply(result: WriteReply['results'][number]): void {
  replies.push(result);
  if (replyScheduled) return;
  replyScheduled = true;
  // Every caller of one commit is settled in the same microtask run: one message carries them all.
  queueMicrotask(() => {
    replyScheduled = false;
    const message: WriteReply = { type: 'done', results: replies, stats: { ...queue.stats } };
    replies = [];
    port.postMessage(message);
  });
}

port.on('message', (message: WriteRequest) => {
  if (message.type === 'ops') {
    for (const { id, op } of message.ops as { id: number; op: WriteOp }[]) {
      queue.run(() => writer.execute(op)).then(
        (value) => reply({ id, ok: true, value }),
        (err: unknown) => reply({ id, ok: false, error: serializeError(err) }),
      );
    }
    return;
  }
  if (message.type !== 'close') return;
  // Commit what is queued, let its replies go out, then close the connection.
  queue.flush();
  setImmediate(() => {
    db.close();
    port.postMessage({ type: 'closed' });
    port.close();
  });
});
port.postMessage({ type: 'ready' });
