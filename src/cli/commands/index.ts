import type { Command } from 'commander';
import { registerAnnotate } from './annotate.js';
import { registerAudit } from './audit.js';
import { registerGauge } from './gauge.js';
import { registerPreview } from './preview.js';
import { registerReconcile } from './reconcile.js';
import { registerReplay } from './replay.js';
import { registerSendTest } from './send-test.js';
import { registerServe } from './serve.js';
import { registerSimulate } from './simulate.js';

export function registerCommands(program: Command): void {
  registerServe(program);
  registerPreview(program);
  registerAudit(program);
  registerAnnotate(program);
  registerGauge(program);
  registerReconcile(program);
  registerReplay(program);
  registerSimulate(program);
  registerSendTest(program);
}
