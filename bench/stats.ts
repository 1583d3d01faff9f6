/** Order statistics for benchmark samples; medians and tails, never means, on noisy hosts. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);
export const worst = (samples: readonly number[]): number => Math.max(...samples);

export function ms(value: number): string {
  return `${value.toFixed(0)} ms`;
}
