/**
 * Emits TypeScript interfaces for every operation's input and output (and the shapes they
 * reach), plus the list and union of operation names and an operation → {input, output} map.
 */
import type { MemberModel, ServiceModel, ShapeModel } from '../../src/models/types.js';

/** Names that would shadow what the emitted code itself refers to. */
const RESERVED = new Set(['Date', 'Record', 'Uint8Array', 'Array', 'Readonly', 'Partial', 'Promise', 'Error', 'Object']);

export const typeName = (shape: string): string => (RESERVED.has(shape) ? `${shape}Shape` : shape);

function reachable(model: ServiceModel): string[] {
  const seen = new Set<string>();
  const stack: string[] = [];
  for (const op of Object.values(model.operations)) {
    if (op.input) stack.push(op.input.shape);
    if (op.output) stack.push(op.output.shape);
  }
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const s = model.shapes[name];
    if (!s) continue;
    for (const m of Object.values(s.members ?? {})) stack.push(m.shape);
    for (const m of [s.member, s.key, s.value]) if (m) stack.push(m.shape);
  }
  return [...seen].sort();
}

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const propName = (s: string) => (/^[A-Za-z_$][\w$]*$/.test(s) ? s : quote(s));

function ref(m: MemberModel | undefined): string {
  return m ? typeName(m.shape) : 'unknown';
}

function declaration(name: string, s: ShapeModel): string {
  const t = typeName(name);
  switch (s.type) {
    case 'structure': {
      const required = new Set(s.required ?? []);
      const members = Object.entries(s.members ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (members.length === 0) return `export interface ${t} {}`;
      const lines = members.map(([k, m]) => `  ${propName(k)}${required.has(k) ? '' : '?'}: ${ref(m)};`);
      return `export interface ${t} {\n${lines.join('\n')}\n}`;
    }
    case 'list':
      return `export type ${t} = ${ref(s.member)}[];`;
    case 'map':
      return `export type ${t} = Record<string, ${ref(s.value)}>;`;
    case 'string':
      return s.enum?.length ? `export type ${t} = ${s.enum.map(quote).join(' | ')};` : `export type ${t} = string;`;
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      return `export type ${t} = number;`;
    case 'boolean':
      return `export type ${t} = boolean;`;
    case 'timestamp':
      return `export type ${t} = Date;`;
    case 'blob':
      return `export type ${t} = Uint8Array;`;
    default:
      return `export type ${t} = unknown;`;
  }
}

export function emitTypes(model: ServiceModel, header: string): string {
  const ops = Object.keys(model.operations).sort();
  const out: string[] = [`// ${header}`, `// ${model.metadata.serviceId} ${model.metadata.apiVersion}`, ''];
  out.push(`export const OPERATIONS = [\n${ops.map((o) => `  ${quote(o)},`).join('\n')}\n] as const;`, '');
  out.push('export type OperationName = (typeof OPERATIONS)[number];', '');
  out.push('export interface OperationTypes {');
  for (const o of ops) {
    const op = model.operations[o]!;
    const i = op.input ? typeName(op.input.shape) : 'Record<string, never>';
    const r = op.output ? typeName(op.output.shape) : 'Record<string, never>';
    out.push(`  ${o}: { input: ${i}; output: ${r} };`);
  }
  out.push('}', '');
  for (const name of reachable(model)) {
    const s = model.shapes[name];
    if (s) out.push(declaration(name, s), '');
  }
  return out.join('\n');
}
