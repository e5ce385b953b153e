import type { Command } from 'commander';

// Placeholder until the owning issue lands; replaced by the real command.
export function registerSendTest(_program: Command): void {}
