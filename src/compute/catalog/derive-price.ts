import { CONFIRMED } from './confirmed.js';
import type { FamilyRule } from './family-rules.js';
import { parseTypeName } from './derive-shape.js';
import { BASE_REGION, REGIONS } from './regions.js';
import { RECORDED_ON } from './sources.js';
import type { PriceFigure } from './types.js';

/** Prices are kept to 4 decimals, as AWS lists them. */
export const roundPrice = (usd: number) => Math.round(usd * 10_000) / 10_000;

/** EC2 on-demand us-east-1 price of one size of a family (the basis of every derived price). */
export function ec2Price(name: string, rule: FamilyRule, size: string, vcpu: number, memoryGiB: number): number {
  const ec2 = rule.ec2;
  if ('perVcpu' in ec2) return ec2.perVcpu * vcpu;
  if ('perGiB' in ec2) return ec2.perGiB * memoryGiB;
  const price = ec2.bySize[size];
  if (price === undefined) throw new Error(`${name}: no EC2 price for size "${size}" in family-rules.ts`);
  return price;
}

interface Anchor {
  readonly name: string;
  readonly size: string;
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly usd: number;
}

/** Sizes of a family with a confirmed price, nearest first by vCPU (ties: the smaller). */
function anchorsOf(family: string, vcpu: number): Anchor[] {
  const out: Anchor[] = [];
  for (const [name, c] of Object.entries(CONFIRMED)) {
    const parsed = parseTypeName(name);
    if (parsed?.family === family && c.usdPerHour !== undefined) {
      out.push({ name, size: parsed.size, vcpu: c.vcpu, memoryGiB: c.memoryGiB, usd: c.usdPerHour });
    }
  }
  return out.sort((a, b) => Math.abs(a.vcpu - vcpu) - Math.abs(b.vcpu - vcpu) || a.vcpu - b.vcpu);
}

/** The us-east-1 on-demand price of one type: confirmed, scaled from a confirmed sibling, or EC2 × markup. */
export function basePrice(name: string, family: string, size: string, rule: FamilyRule, vcpu: number, memoryGiB: number): PriceFigure {
  const confirmed = CONFIRMED[name];
  if (confirmed?.usdPerHour !== undefined) {
    return {
      usdPerHour: confirmed.usdPerHour, confirmed: true, source: confirmed.priceSource ?? 'fmbench', asOf: RECORDED_ON,
      ...(confirmed.note ? { note: confirmed.note } : {}),
    };
  }
  const own = ec2Price(name, rule, size, vcpu, memoryGiB);
  const estimate = rule.ec2Estimate ? `; EC2 basis is an estimate (${rule.ec2Estimate})` : '';
  const anchor = anchorsOf(family, vcpu)[0];
  if (anchor) {
    const basis = ec2Price(anchor.name, rule, anchor.size, anchor.vcpu, anchor.memoryGiB);
    const unit = 'perVcpu' in rule.ec2 ? 'vCPU' : 'perGiB' in rule.ec2 ? 'memory' : 'EC2 price';
    return {
      usdPerHour: roundPrice((anchor.usd * own) / basis), confirmed: false, source: 'clary-rules', asOf: RECORDED_ON,
      derived: 'linear-from-confirmed',
      note: `${anchor.name} $${anchor.usd} × ${unit} ratio ${roundPrice(own)}/${roundPrice(basis)}${estimate}`,
    };
  }
  return {
    usdPerHour: roundPrice(own * rule.markup), confirmed: false, source: rule.ec2Estimate ? 'clary-estimate' : 'ec2-prices', asOf: RECORDED_ON,
    derived: rule.ec2Estimate ? 'estimate' : 'ec2-times-markup',
    note: `EC2 $${roundPrice(own)} × SageMaker markup ${rule.markup}${estimate}`,
  };
}

/** The base price for every region that offers the family, times the region's multiplier (explained in Catalog.regions). */
export function regionalPrices(base: PriceFigure, rule: FamilyRule): Record<string, PriceFigure> {
  const out: Record<string, PriceFigure> = {};
  for (const [region, info] of Object.entries(REGIONS)) {
    if (rule.regions && !rule.regions.includes(region)) continue;
    if (region === BASE_REGION) {
      out[region] = base;
      continue;
    }
    out[region] = {
      usdPerHour: roundPrice(base.usdPerHour * info.multiplier), confirmed: false, source: 'clary-rules', asOf: RECORDED_ON,
      derived: 'region-multiplier',
    };
  }
  return out;
}
