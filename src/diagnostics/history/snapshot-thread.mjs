// Worker-thread entry for a daily snapshot (snapshot-in-thread.ts): compiled JavaScript in dist/, the TypeScript
// source through tsx otherwise.
import { importThreadModule } from '../../thread-entry.mjs';

await importThreadModule(import.meta.url, 'snapshot-job');
