import { cpus, freemem, loadavg, totalmem } from 'node:os';

// What a figure was measured on. The load average is recorded with each run: this box is shared, and a figure
// taken at load 4 on 2 cores is not the same promise as one taken on a quiet machine.

export interface MachineInfo {
  date: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  freeMemoryGiB: number;
  node: string;
  platform: string;
  loadAverage: [number, number, number];
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  const [l1, l5, l15] = loadavg();
  return {
    date: new Date().toISOString(),
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: [round2(l1 ?? 0), round2(l5 ?? 0), round2(l15 ?? 0)],
  };
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

export function loadNow(): string {
  return loadavg().map((n) => n.toFixed(2)).join(' / ');
}

export function describeMachine(m: MachineInfo): string {
  return `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB RAM, Node ${m.node}, ${m.platform}`;
}
