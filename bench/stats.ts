import { readFileSync } from 'node:fs';

/** Percentile of an ascending-sorted array (nearest rank). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function sortNumbers(values: number[]): Float64Array {
  return Float64Array.from(values).sort();
}

export const nowMs = (): number => performance.timeOrigin + performance.now();

/** CPU time (clock ticks, user + system) and resident memory of a process, from /proc. */
export function procStat(pid: number): { cpuTicks: number; sysTicks: number; rssKib: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuTicks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuTicks, sysTicks: Number(fields[12]), rssKib };
}
