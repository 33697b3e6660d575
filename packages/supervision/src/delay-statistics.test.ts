import { describe, expect, it } from 'vitest';
import { delayStatisticsOf, percentileOf } from './delay-statistics.ts';

describe('delay statistics from a histogram', () => {
  it('when ten delays are 1 … 10 days, then the median is 5, the 90th percentile 9, and 4 are within a 4-day target', () => {
    const histogram = new Map(Array.from({ length: 10 }, (_, i) => [i + 1, 1] as [number, number]));
    expect(delayStatisticsOf(histogram, 4)).toEqual({ count: 10, median: 5, p90: 9, withinTarget: 4 });
  });

  it('when there is no measure, then there is no median', () => {
    expect(percentileOf(new Map(), 0.5)).toBeNull();
    expect(delayStatisticsOf(new Map(), null)).toEqual({ count: 0, median: null, p90: null, withinTarget: null });
  });

  it('when the histogram is given out of order, then the percentile still reads it in ascending order', () => {
    expect(
      percentileOf(
        new Map([
          [30, 1],
          [2, 3],
        ]),
        0.5,
      ),
    ).toBe(2);
    expect(
      percentileOf(
        new Map([
          [30, 1],
          [2, 3],
        ]),
        0.9,
      ),
    ).toBe(30);
  });
});
