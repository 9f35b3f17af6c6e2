/**
 * MetricDefinitions: each regex runs over every output line; the first capture group is the value.
 * CloudWatch shows a tab as "#011", and SageMaker's own definitions (e.g. built-in XGBoost's) are
 * written against that form, so lines are matched both as printed and with tabs as "#011".
 * The last value of each metric is its final value (FinalMetricDataList).
 */
export interface MetricDefinition {
  readonly Name: string;
  readonly Regex: string;
}

export class MetricCollector {
  private readonly compiled: { name: string; re: RegExp }[] = [];
  private readonly last = new Map<string, { value: number; timestamp: number }>();

  constructor(definitions: readonly MetricDefinition[] = []) {
    for (const d of definitions) {
      try {
        this.compiled.push({ name: d.Name, re: new RegExp(d.Regex) });
      } catch {
        /* a regex JavaScript cannot compile matches nothing */
      }
    }
  }

  observe(line: string, timestamp: number): void {
    if (this.compiled.length === 0) return;
    const variants = line.includes('\t') ? [line, line.replace(/\t/g, '#011')] : [line];
    for (const { name, re } of this.compiled) {
      for (const text of variants) {
        const m = re.exec(text);
        const value = m?.[1] !== undefined ? Number(m[1]) : NaN;
        if (Number.isFinite(value)) {
          this.last.set(name, { value, timestamp });
          break;
        }
      }
    }
  }

  finalMetrics(): { MetricName: string; Value: number; Timestamp: number }[] {
    return [...this.last.entries()].map(([MetricName, v]) => ({ MetricName, Value: v.value, Timestamp: v.timestamp }));
  }
}
