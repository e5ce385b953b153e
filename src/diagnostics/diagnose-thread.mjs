// Worker-thread entry for a diagnosis (diagnose-in-thread.ts): compiled JavaScript in dist/, the TypeScript source
// through tsx otherwise.
import { importThreadModule } from '../thread-entry.mjs';

await importThreadModule(import.meta.url, 'diagnose-job');
