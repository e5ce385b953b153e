// Entry of the writer thread (writes.ts): compiled JavaScript in dist/, the TypeScript source through tsx otherwise.
import { importThreadModule } from '../../thread-entry.mjs';

await importThreadModule(import.meta.url, 'write-thread');
