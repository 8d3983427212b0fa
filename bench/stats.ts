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
