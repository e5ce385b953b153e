// Child process of the durability test: ingests events as fast as it can, several calls in flight (so they
// share commits), and prints each event_id on stdout the moment its ingest resolved. The parent SIGKILLs it.
import { openStore } from '../../open.js';
import { hashedEvent } from '../../contract.js';

const [dbPath] = process.argv.slice(2);
const store = await openStore(`sqlite:${dbPath}`, {});
let n = 0;
async function lane(lane: number): Promise<never> {
  for (;;) {
    const ids = [`k${lane}_${n++}`, `k${lane}_${n++}`];
    await store.ingest(ids.map((id) => ({ event: hashedEvent({ event_id: id }), source: 'api', test: false, deliveries: [{ destination_id: 'meta', platform: 'meta', status: 'pending' }] })));
    // Pipes are synchronous on Linux: once written, the parent has the line even if we are killed next.
    process.stdout.write(ids.join('\n') + '\n');
  }
}
await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(lane));
