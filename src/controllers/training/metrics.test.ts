import { describe, expect, it } from 'vitest';
import { MetricCollector } from './metrics.js';

describe('MetricCollector', () => {
  it('keeps the last value of each metric and matches tabs written as #011', () => {
    const m = new MetricCollector([
      { Name: 'validation:rmse', Regex: '.*\\[[0-9]+\\].*#011validation-rmse:([-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?).*' },
      { Name: 'loss', Regex: 'loss=([0-9.]+)' },
      { Name: 'broken', Regex: '(' },
    ]);
    m.observe('[0]\ttrain-rmse:0.5\tvalidation-rmse:0.61', 1);
    m.observe('epoch 1 loss=0.25', 2);
    m.observe('[1]\ttrain-rmse:0.4\tvalidation-rmse:0.52', 3);
    m.observe('no metric here', 4);
    expect(m.finalMetrics()).toEqual([
      { MetricName: 'validation:rmse', Value: 0.52, Timestamp: 3 },
      { MetricName: 'loss', Value: 0.25, Timestamp: 2 },
    ]);
  });
});
