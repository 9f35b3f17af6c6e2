import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { javaToJsPattern, modelPattern } from './regex.js';

const modelsDir = new URL('../generated/models/', import.meta.url);

describe('model patterns', () => {
  it('every pattern of every generated model compiles in u mode after translation', () => {
    const broken: string[] = [];
    let count = 0;
    for (const f of readdirSync(modelsDir)) {
      const model = JSON.parse(readFileSync(new URL(f, modelsDir), 'utf8'));
      for (const s of Object.values<{ pattern?: string }>(model.shapes)) {
        if (s.pattern === undefined) continue;
        count++;
        try {
          new RegExp(javaToJsPattern(s.pattern), 'u');
        } catch {
          broken.push(s.pattern);
        }
      }
    }
    expect(count).toBeGreaterThan(600);
    expect(broken).toEqual([]);
  });

  it('matches the whole value, as Java matches() does', () => {
    const name = modelPattern('^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}');
    expect(name.test('my-job-1')).toBe(true);
    expect(name.test('my_job')).toBe(false);
    expect(name.test('a'.repeat(63))).toBe(true);
    expect(name.test('a'.repeat(64))).toBe(false);
    expect(modelPattern('[a-z]+').test('abc1')).toBe(false);
  });

  it('translates Java-only syntax', () => {
    expect(javaToJsPattern('\\A\\S[\\p{Print}]*\\z')).toBe('^\\S[ -~]*$');
    expect(javaToJsPattern('[\\p{Alnum}\\-]+')).toBe('[a-zA-Z0-9\\-]+');
    expect(javaToJsPattern('[\\w-_]*')).toBe('[\\w\\-_]*');
    expect(javaToJsPattern('[a-z\\ \\_]+')).toBe('[a-z _]+');
    expect(javaToJsPattern('(x*)${1,128}')).toBe('(x*)$');
    expect(javaToJsPattern('a*+b')).toBe('a*b');
    expect(javaToJsPattern('(?>ab)')).toBe('(?:ab)');
  });

  it('keeps Unicode property classes working (u flag)', () => {
    const tag = modelPattern('([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)');
    expect(tag.test('Ünïcødé 名前 42')).toBe(true);
    expect(tag.test('semi;colon')).toBe(false);
    expect(modelPattern('[\\w-_]*').test('ab-c_d')).toBe(true);
    expect(modelPattern('\\A\\S[\\p{Print}]*\\z').test(' leading')).toBe(false);
  });

  it('never throws: an uncompilable pattern matches everything', () => {
    const p = modelPattern('(unclosed[');
    expect(p.test('anything')).toBe(true);
  });
});
