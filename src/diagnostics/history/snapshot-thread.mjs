// Worker-thread entry for a daily snapshot (snapshot-in-thread.ts): the sources are TypeScript, run through tsx
// as everywhere else in Matchkey; a worker does not inherit the parent's loader, so it registers its own.
import { register } from 'tsx/esm/api';

register();
await import('./snapshot-job.ts');
