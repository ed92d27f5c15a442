import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileExpression, evaluate, ExpressionError, type FieldType, type Row } from '../../src/core/expr.js';

const TYPES: Readonly<Record<string, FieldType>> = Object.freeze({
  monetary: 'number',
  frequency: 'number',
  recency_days: 'number',
  avg_gap: 'number',
  rfm_segment: 'string',
  engagement: 'string',
  abc_class: 'string',
  name: 'string',
  is_vip: 'boolean',
});
const FIELDS = Object.freeze(Object.keys(TYPES));

/** One customer; avg_gap is null, as avg_days_between_orders is for a single order. */
const ROW: Row = Object.freeze({
  monetary: 1200,
  frequency: 3,
  recency_days: 45,
  avg_gap: null,
  rfm_segment: 'loyal',
  engagement: 'active',
  abc_class: 'B',
  name: "O'Reilly",
  is_vip: true,
});

/** Compiled with the field types (type errors at compile time). */
const typed = (source: string, row: Row = ROW): boolean => evaluate(compileExpression(source, FIELDS, TYPES), row);
/** Compiled without types: every field is checked at run time only. */
const untyped = (source: string, row: Row = ROW): boolean => evaluate(compileExpression(source, Object.keys(row)), row);

/** The error compileExpression throws, as [position, expected]; fails the test when it does not throw one. */
function errorOf(source: string, fields: readonly string[] = FIELDS, types = TYPES): [number, string] {
  try {
    compileExpression(source, fields, types);
  } catch (e) {
    if (e instanceof ExpressionError) return [e.position, e.expected];
    throw e;
  }
  throw new Error(`compiled without an error: ${source}`);
}

describe('evaluate: the examples of issue 7 and the language, on one customer', () => {
  // The customer: monetary 1200, frequency 3, recency 45 days, segment 'loyal', engagement 'active', class B, VIP.
  it.each([
    ['monetary >= 1000 and recency_days > 60', false], //                           45 is not > 60
    ['monetary >= 1000 and recency_days > 40', true],
    ['frequency == 3 and recency_days between 30 and 60', true],
    ['recency_days between 45 and 50', true], //                                    inclusive at the low end
    ['recency_days between 40 and 45', true], //                                    inclusive at the high end
    ['recency_days between 46 and 60', false],
    ['recency_days not between 46 and 60', true],
    ["rfm_segment in ('champions', 'loyal') and engagement == 'active'", true],
    ["rfm_segment in ('champions')", false],
    ["rfm_segment not in ('champions', 'loyal')", false],
    ["not (abc_class == 'C') or monetary / frequency > 50", true],
    ["abc_class == 'C' or monetary / frequency > 500", false], //                 1200 / 3 = 400
    ['monetary / frequency == 400', true],
    ['-monetary < 0', true],
    ['monetary - 200 * 2 == 800', true], //                                        * before −
    ['(monetary - 200) * 2 == 2000', true],
    ['monetary + 0.5 > 1200.25', true], //                                         decimals
    ['monetary > .5', true], //                                                    a leading dot
    ['is_vip', true], //                                                           a boolean field is a condition
    ['not is_vip', false],
    ['is_vip == true and is_vip != false', true],
    ["name == 'O''Reilly'", true], //                                              doubled quote inside '…'
    [`name == "O'Reilly"`, true], //                                               the other quote needs no escape
    [`'say ""hi""' == "say ""hi"""`, false], //                                    '…' keeps "" as two quotes; "…" makes one
    [`'say "hi"' == "say ""hi"""`, true],
    ["abc_class < 'C'", true], //                                                  'B' < 'C'
    ["'B' < 'a'", true], //                                                        code units: 'B' (66) < 'a' (97)
    ["'10' < '9'", true], //                                                       strings compare as text…
    ['10 < 9', false], //                                                          …numbers as numbers
  ])('%s → %s', (source, expected) => expect(typed(source)).toBe(expected));
});

describe('precedence: or < and < not < comparison < + − < * / < unary minus', () => {
  // Each expected value differs from what the other grouping (in the comment) would give.
  it.each([
    ['true or true and false', true], //       (true or true) and false → false
    ['false and false or true', true], //      false and (false or true) → false
    ['not false and false', false], //         not (false and false) → true
    ['not 1 == 2', true], //                   (not 1) == 2 would not even compile
    ['1 + 2 * 3 == 7', true], //               (1 + 2)·3 = 9
    ['10 - 4 - 3 == 3', true], //              left to right; 10 − (4 − 3) = 9
    ['12 / 3 / 2 == 2', true], //              left to right; 12 / (3 / 2) = 8
    ['- 1 + 2 == 1', true], //                 −(1 + 2) = −3
    ['2 * 3 between 5 and 6', true], //        2 · (3 between …) would not compile
    ['1 + 1 in (2)', true],
    ['not not true', true],
    ['- - 2 == 2', true],
  ])('%s → %s', (source, expected) => expect(typed(source)).toBe(expected));
});

describe('other spellings', () => {
  it.each([
    ['monetary = 1200', true], //                               = is ==
    ['monetary <> 1200', false], //                             <> is !=
    ['monetary ÷ frequency × 2 == 800', true], //               ÷ ×
    ['monetary − 200 == 1000', true], //                        U+2212 minus sign
    ['NOT is_vip Or TRUE', true], //                            keywords in any case
    ['frequency BETWEEN 1 And 3', true],
    ["rfm_segment NOT IN ('x')", true],
    ['monetary>=1000 and(frequency<4)', true], //               spaces are optional around operators
    ['monetary >= 1000\n  and frequency < 4', true], //         line breaks are spaces
  ])('%s → %s', (source, expected) => expect(typed(source)).toBe(expected));
});

describe('null, division by zero and run-time type mismatches are false, not errors', () => {
  // Untyped: the compiler cannot know the types, so mismatches reach evaluate. avg_gap is null.
  const row: Row = Object.freeze({ ...ROW, big: 1e308, nan: Number.NaN, n: 5, s: '5' });
  it.each([
    ['avg_gap > 5', false],
    ['avg_gap <= 5', false],
    ['avg_gap == 5', false],
    ['avg_gap != 5', false], //                      a comparison with null is false whatever the operator
    ['not (avg_gap == 5)', true], //                 …but not of a false comparison is true
    ['avg_gap in (1, 2)', false],
    ['avg_gap not in (1, 2)', false], //             not in = "!= every value" → false with null
    ['avg_gap between 1 and 9', false],
    ['avg_gap not between 1 and 9', false], //       not between = "< low or > high" → false with null
    ['avg_gap + 1 > 0', false], //                   null + 1 → null
    ['-avg_gap < 0', false],
    ['monetary / 0 > 0', false], //                  division by zero → null
    ['monetary / 0 <= 0', false],
    ['not (monetary / 0 > 0)', true],
    ['monetary / (frequency - 3) == 0', false], //   frequency − 3 = 0
    ['big * 10 > 0', false], //                      overflow to Infinity → null
    ['nan == nan', false], //                        NaN in a row is read as null
    ['n == s', false], //                            5 and '5': different types → false…
    ['n != s', false], //                            …for != as well
    ['n < s or n >= s', false],
    ['engagement + 1 == 1', false], //               arithmetic on a string → null
    ['is_vip < is_vip', false], //                   booleans have no order
    ['is_vip == is_vip', true],
    ['monetary', false], //                          a number used as a condition: only true is true
    ['is_vip', true],
  ])('%s → %s', (source, expected) => expect(untyped(source, row)).toBe(expected));
});

describe('compileExpression errors: position (0-based) and what was expected', () => {
  const ALL_FIELDS = `one of the fields: ${FIELDS.join(', ')}`;
  it.each([
    ['monetary >= and x', 12, 'a value'], //                                        the example
    ['', 0, 'a condition'],
    ['   ', 3, 'a condition'],
    ['monetary >=', 11, 'a value'],
    ['monetary >= 10 and', 18, 'a value'],
    ['monetary > not 5', 11, 'a value'],
    ['montary > 5', 0, ALL_FIELDS], //                                              a typo
    ['Monetary > 5', 0, ALL_FIELDS], //                                             field names are exact
    ['(monetary > 5', 13, "')'"],
    ['monetary > 5)', 12, "'and', 'or' or the end of the expression"],
    ['1 < frequency < 3', 14, "'and' or 'or' (comparisons do not chain: write a < x and x < b)"],
    ["name == 'abc", 8, "a closing ' for the string that starts here"],
    ['name == "abc', 8, 'a closing " for the string that starts here'],
    ['monetary > 5 && frequency > 1', 13, "'and'"],
    ['monetary > 5 || is_vip', 13, "'or'"],
    ['!is_vip', 0, "'not' or '!='"],
    ['monetary @ 5', 9, 'a field, a value or an operator'],
    ['recency_days > 30days', 17, 'a space or an operator after the number'],
    ['monetary > 1e3', 12, 'a space or an operator after the number'], //           no exponents
    ['monetary > 1.', 13, 'a digit after the decimal point'],
    ['monetary > 1.2.3', 14, 'a space or an operator after the number'],
    ['frequency in 1, 2', 13, "'(' to start the list of values"],
    ['frequency in ()', 14, 'a value'],
    ['frequency in (1 2)', 16, "',' or ')'"],
    ['frequency between 1 or 3', 20, "'and' (between low and high)"],
    ['frequency not 3', 14, "'in' or 'between' after 'not'"],
  ])('%j → position %i, expected %s', (source, position, expected) =>
    expect(errorOf(source)).toEqual([position, expected]),
  );

  it('says so when no fields are known', () =>
    expect(errorOf('x > 1', [], {})).toEqual([0, 'a number or a string (no fields are known)']));

  it('writes one line: the expression, what was expected and where', () => {
    expect(() => compileExpression('monetary >= and x', FIELDS)).toThrow('monetary >= and x: expected a value at position 12');
    // a line break in the expression becomes a space, so the message stays one line and the position still points
    expect(() => compileExpression('monetary >=\nand x', FIELDS)).toThrow('monetary >= and x: expected a value at position 12');
  });

  it('is an ExpressionError, an Error, carrying the expression', () => {
    const error = (() => {
      try {
        compileExpression('frequency >', FIELDS);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'ExpressionError', expression: 'frequency >', position: 11, expected: 'a value' });
  });

  it('reports the first problem in the text, even when a later one would stop the reader sooner', () => {
    // the unknown field at 0 comes before the unclosed string at 11
    expect(errorOf("montary == 'abc")).toEqual([0, ALL_FIELDS]);
  });

  it('allows 100 levels of nesting and refuses more, instead of overflowing the stack', () => {
    const nested = (n: number) => `${'('.repeat(n)}is_vip${')'.repeat(n)}`;
    expect(typed(nested(100))).toBe(true);
    expect(errorOf(nested(101))).toEqual([100, 'at most 100 levels of nesting']);
    expect(errorOf(`${'not '.repeat(101)}is_vip`)).toEqual([400, 'at most 100 levels of nesting']);
  });
});

describe('compile-time type errors, when the types are known', () => {
  it.each([
    ["monetary == 'abc'", 12, 'a number (to compare with monetary)'],
    ['engagement > 5', 13, 'a string (to compare with engagement)'],
    ["frequency in (1, 'two')", 17, 'a number (to compare with frequency)'],
    ["frequency between 'a' and 3", 18, 'a number (to compare with frequency)'],
    ["frequency between 1 and 'z'", 24, 'a number (to compare with frequency)'],
    ["'x' in (1)", 8, "a string (to compare with 'x')"], //                         literals have known types too
    ['engagement + 1 > 0', 0, 'a number (engagement is a string)'],
    ['-engagement == 1', 1, 'a number (engagement is a string)'],
    ['(monetary > 1) + 1 > 0', 0, 'a number (a condition is true or false)'],
    ['is_vip < true', 0, 'a number or a string (true and false have no order)'],
    ['monetary', 8, 'a comparison (==, !=, <, <=, >, >=, in or between)'], //      a number is not a condition
    ['monetary and is_vip', 9, 'a comparison (==, !=, <, <=, >, >=, in or between)'],
    ['is_vip and monetary', 19, 'a comparison (==, !=, <, <=, >, >=, in or between)'],
    ['not monetary', 12, 'a comparison (==, !=, <, <=, >, >=, in or between)'],
    ["engagement or is_vip", 11, 'a comparison (==, !=, <, <=, >, >=, in or between)'],
  ])('%j → position %i, expected %s', (source, position, expected) =>
    expect(errorOf(source)).toEqual([position, expected]),
  );

  it('leaves the same expressions to run time when the types are not given', () => {
    expect(untyped("monetary == 'abc'")).toBe(false);
    expect(untyped('engagement + 1 > 0')).toBe(false);
  });
});

describe('Expression.fields: what an expression reads', () => {
  it.each([
    ['b > 1 and a < 2 or b == 3', ['b', 'a']], //   each once, in order of first use
    ['1 < 2', []],
    ["c in ('x') and not (a between 1 and b)", ['c', 'a', 'b']],
  ])('%s → %j', (source, fields) => expect(compileExpression(source, ['a', 'b', 'c']).fields).toEqual(fields));

  it('throws a plain Error, a bug and not a user mistake, when a row lacks a compiled field', () => {
    const expr = compileExpression('a > 1', ['a']);
    expect(() => evaluate(expr, {})).toThrow("evaluate: the row has no field 'a'");
    expect(() => evaluate(expr, {})).not.toThrow(ExpressionError);
  });
});

// Property tests: random expressions, printed with as few parentheses as precedence allows, against JavaScript's own
// arithmetic and logic as the reference.

type Num = { n: number } | { neg: Num } | { op: '+' | '-' | '*' | '/'; l: Num; r: Num };
const numTree = fc.letrec<{ num: Num }>((tie) => ({
  num: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ n: fc.integer({ min: 0, max: 20 }) }),
    fc.record({ neg: tie('num') }),
    fc.record({ op: fc.constantFrom('+', '-', '*', '/'), l: tie('num'), r: tie('num') }),
  ),
})).num;

const PREC = { '+': 1, '-': 1, '*': 2, '/': 2 } as const;
const precOf = (e: Num): number => ('op' in e ? PREC[e.op] : 3);
function printNum(e: Num): string {
  if ('n' in e) return String(e.n);
  if ('neg' in e) return 'n' in e.neg || 'neg' in e.neg ? `-${printNum(e.neg)}` : `-(${printNum(e.neg)})`;
  const left = precOf(e.l) < PREC[e.op] ? `(${printNum(e.l)})` : printNum(e.l);
  const right = precOf(e.r) <= PREC[e.op] ? `(${printNum(e.r)})` : printNum(e.r); // left-associative
  return `${left} ${e.op} ${right}`;
}
/** JavaScript's value, with the language's null for division by zero and non-finite results. */
function refNum(e: Num): number | null {
  if ('n' in e) return e.n;
  if ('neg' in e) {
    const x = refNum(e.neg);
    return x === null ? null : -x;
  }
  const a = refNum(e.l);
  const b = refNum(e.r);
  if (a === null || b === null || (e.op === '/' && b === 0)) return null;
  const x = e.op === '+' ? a + b : e.op === '-' ? a - b : e.op === '*' ? a * b : a / b;
  return Number.isFinite(x) ? x : null;
}

type Bool = { v: 'p' | 'q' | 'r' } | { not: Bool } | { op: 'and' | 'or'; l: Bool; r: Bool };
const boolTree = fc.letrec<{ b: Bool }>((tie) => ({
  b: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ v: fc.constantFrom('p', 'q', 'r') }),
    fc.record({ not: tie('b') }),
    fc.record({ op: fc.constantFrom('and', 'or'), l: tie('b'), r: tie('b') }),
  ),
})).b;
const BPREC = { or: 1, and: 2 } as const;
const bprecOf = (e: Bool): number => ('op' in e ? BPREC[e.op] : 3);
function printBool(e: Bool): string {
  if ('v' in e) return `${e.v} == 1`;
  if ('not' in e) return 'op' in e.not ? `not (${printBool(e.not)})` : `not ${printBool(e.not)}`;
  const left = bprecOf(e.l) < BPREC[e.op] ? `(${printBool(e.l)})` : printBool(e.l);
  const right = bprecOf(e.r) <= BPREC[e.op] ? `(${printBool(e.r)})` : printBool(e.r);
  return `${left} ${e.op} ${right}`;
}
function refBool(e: Bool, env: Record<'p' | 'q' | 'r', boolean>): boolean {
  if ('v' in e) return env[e.v];
  if ('not' in e) return !refBool(e.not, env);
  return e.op === 'and' ? refBool(e.l, env) && refBool(e.r, env) : refBool(e.l, env) || refBool(e.r, env);
}

describe('properties', () => {
  it('computes any arithmetic as JavaScript does (minimal parentheses: precedence and associativity)', () => {
    fc.assert(
      fc.property(numTree, (tree) => {
        const text = printNum(tree);
        const expected = refNum(tree);
        const expr = compileExpression(`(${text}) == x`, ['x']);
        if (expected === null) expect(evaluate(compileExpression(`(${text}) == (${text})`, []), {})).toBe(false);
        else expect(evaluate(expr, { x: expected }), text).toBe(true);
      }),
    );
  });

  it('computes any and/or/not as JavaScript does', () => {
    fc.assert(
      fc.property(boolTree, fc.boolean(), fc.boolean(), fc.boolean(), (tree, p, q, r) => {
        const expr = compileExpression(printBool(tree), ['p', 'q', 'r']);
        expect(evaluate(expr, { p: p ? 1 : 0, q: q ? 1 : 0, r: r ? 1 : 0 })).toBe(refBool(tree, { p, q, r }));
      }),
    );
  });

  it('either compiles or throws an ExpressionError inside the text, for any text made of its pieces', () => {
    const piece = fc.constantFrom(
      ...['a', 'b', ' ', '1', '2.5', '.', "'", '"', "'x'", '(', ')', ',', '=', '==', '!', '<', '>', '+', '-', '*', '/'],
      ...['×', '÷', '−', 'and', 'or', 'not', 'in', 'between', 'true', '&', '@', 'é', '\n'],
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 25 }).map((p) => p.join('')), (source) => {
        try {
          const expr = compileExpression(source, ['a', 'b'], { a: 'number' });
          evaluate(expr, { a: 1, b: 'x' });
        } catch (e) {
          expect(e).toBeInstanceOf(ExpressionError);
          const { position } = e as ExpressionError;
          expect(position).toBeGreaterThanOrEqual(0);
          expect(position).toBeLessThanOrEqual(source.length);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the implementation', () => {
  it('never runs text as code (no eval, no Function constructor)', () => {
    const source = readFileSync(new URL('../../src/core/expr.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/\beval\s*\(|\bFunction\s*\(/);
  });
});
