/**
 * Statistics of a delay from its histogram (days → number of measures). Histograms add up, so any filter
 * is a sum of stored cells, and the statistics are exact at the day's resolution.
 */
export type DayHistogram = ReadonlyMap<number, number>;

export interface DelayStatistics {
  /** Number of measures (one per case or referral that went through the stage). */
  count: number;
  /** Nearest-rank median: the smallest delay d such that at least half the measures are ≤ d. */
  median: number | null;
  /** Nearest-rank 90th percentile: the smallest d such that at least 90 % of the measures are ≤ d. */
  p90: number | null;
  /** Measures at or under the target (when the stage has one). */
  withinTarget: number | null;
}

/** The nearest-rank percentile (0 < p ≤ 1) of a histogram: rank ⌈p·n⌉ in ascending order. */
export function percentileOf(histogram: DayHistogram, p: number): number | null {
  const days = [...histogram.keys()].sort((a, b) => a - b);
  const total = days.reduce((sum, day) => sum + (histogram.get(day) ?? 0), 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const day of days) {
    seen += histogram.get(day) ?? 0;
    if (seen >= rank) return day;
  }
  return days[days.length - 1] ?? null;
}

export function delayStatisticsOf(histogram: DayHistogram, targetDays: number | null): DelayStatistics {
  let count = 0;
  let within = 0;
  for (const [day, n] of histogram) {
    count += n;
    if (targetDays !== null && day <= targetDays) within += n;
  }
  return {
    count,
    median: percentileOf(histogram, 0.5),
    p90: percentileOf(histogram, 0.9),
    withinTarget: targetDays === null ? null : within,
  };
}

/** Adds a histogram into another (the target is modified). */
export function addHistogram(into: Map<number, number>, from: DayHistogram): Map<number, number> {
  for (const [day, n] of from) into.set(day, (into.get(day) ?? 0) + n);
  return into;
}
