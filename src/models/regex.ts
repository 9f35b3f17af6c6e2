/**
 * The service models' patterns are Java regular expressions, matched against the whole value
 * (Java's Matcher.matches()). This compiles each one once, lazily, into a JS RegExp with the `u`
 * flag, translating the Java-only syntax the models use (POSIX \p{Alnum}-style classes, \A and \z,
 * needless escapes like \_ and \ , a quantified anchor, possessive quantifiers). A pattern that
 * still does not compile matches everything: validation must never throw on a model quirk.
 */
const POSIX: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};

const JS_ESCAPES = new Set([...'dDwWsSbBnrtfv0123456789xuck']);
const SYNTAX = new Set([...'^$\\.*+?()[]{}|/']);
const CLASS_ESCAPES = new Set([...'dDwWsS']);

/** Translates Java regex syntax into JS `u`-mode syntax (best effort; see file comment). */
export function javaToJsPattern(java: string): string {
  let out = '';
  let inClass = false;
  let lastWasClassEscape: boolean = false;
  let lastWasAnchor: boolean = false;
  let lastWasQuantifier: boolean = false;
  for (let i = 0; i < java.length; i++) {
    const c = java[i]!;
    const wasClassEscape: boolean = lastWasClassEscape;
    const wasAnchor: boolean = lastWasAnchor;
    const wasQuantifier: boolean = lastWasQuantifier;
    lastWasClassEscape = lastWasAnchor = lastWasQuantifier = false;
    if (c === '\\' && i + 1 < java.length) {
      const n = java[++i]!;
      if ((n === 'p' || n === 'P') && java[i + 1] === '{') {
        const end = java.indexOf('}', i);
        const name = end < 0 ? '' : java.slice(i + 2, end);
        const posix = POSIX[name.replace(/^Is/, '')];
        if (end > 0) i = end;
        if (posix) out += inClass ? (n === 'p' ? posix : `\\P{ASCII}`) : `[${n === 'P' ? '^' : ''}${posix}]`;
        else out += `\\${n}{${name.replace(/^Is/, '')}}`;
        lastWasClassEscape = true;
      } else if (n === 'A' && !inClass) {
        out += '^';
        lastWasAnchor = true;
      } else if ((n === 'z' || n === 'Z') && !inClass) {
        out += '$';
        lastWasAnchor = true;
      } else if (JS_ESCAPES.has(n) || SYNTAX.has(n)) {
        out += `\\${n}`;
        lastWasClassEscape = CLASS_ESCAPES.has(n);
      } else if (n === '-') {
        out += inClass ? '\\-' : '-';
      } else {
        out += n;
      }
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      if (c === '-' && (wasClassEscape || java[i + 1] === '\\' && CLASS_ESCAPES.has(java[i + 2] ?? '')) && java[i + 1] !== ']') {
        out += '\\-';
        continue;
      }
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (java[i + 1] === '^') out += java[++i];
      if (java[i + 1] === ']') out += '\\' + java[++i];
      continue;
    }
    if (c === '^' || c === '$') {
      out += c;
      lastWasAnchor = true;
      continue;
    }
    if (c === '*' || c === '+' || c === '?' || c === '{') {
      let q = c;
      if (c === '{') {
        const m = /^\{\d+(,\d*)?\}/.exec(java.slice(i));
        if (!m) {
          out += '\\{';
          continue;
        }
        q = m[0];
        i += q.length - 1;
      }
      if (wasAnchor) {
        lastWasAnchor = true; // Java allows a quantified anchor; it means the anchor once.
        continue;
      }
      if (c === '+' && wasQuantifier) continue; // possessive → greedy
      out += q;
      lastWasQuantifier = c !== '?' || !wasQuantifier;
      continue;
    }
    if (c === '(' && java.startsWith('(?>', i)) {
      out += '(?:'; // atomic group → plain group
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}

export interface CompiledPattern {
  test(value: string): boolean;
}

const MATCH_ALL: CompiledPattern = { test: () => true };
const cache = new Map<string, CompiledPattern>();

function compile(java: string): CompiledPattern {
  for (const [source, flags] of [[javaToJsPattern(java), 'u'], [java, 'u'], [java, '']] as const) {
    try {
      return new RegExp(`^(?:${source})$`, flags);
    } catch {
      // try the next form
    }
  }
  return MATCH_ALL;
}

/** The compiled, whole-value matcher for a model pattern (cached). */
export function modelPattern(java: string): CompiledPattern {
  let p = cache.get(java);
  if (!p) {
    p = compile(java);
    cache.set(java, p);
  }
  return p;
}
