// Entry of the writer thread (writes.ts): the outbox sources are TypeScript run through tsx (bin/matchkey.js), and a
// worker thread does not inherit the parent's loader, so it registers tsx itself before loading them.
import { register } from 'tsx/esm/api';

register();
await import('./write-thread.ts');
