/**
 * A small boolean expression language for custom segments, parsed here (never `eval` or `new Function`):
 *
 *   monetary >= 1000 and recency_days > 60
 *   frequency == 1 and recency_days between 30 and 60
 *   rfm_segment in ('champions', 'loyal') and engagement == 'active'
 *   not (abc_class == 'C') or monetary / frequency > 50
 *
 * Grammar, loosest binding first (keywords in any case, `AND` = `and`):
 *
 *   condition  := and ('or' and)*
 *   and        := not ('and' not)*
 *   not        := 'not' not | predicate
 *   predicate  := sum [ compare-op sum | ['not'] 'in' '(' sum (',' sum)* ')' | ['not'] 'between' sum 'and' sum ]
 *   sum        := product (('+' | '-') product)*
 *   product    := unary (('*' | '/') unary)*
 *   unary      := '-' unary | primary
 *   primary    := number | string | 'true' | 'false' | field | '(' condition ')'
 *
 * - compare-op: `==` `!=` `<` `<=` `>` `>=`. `=` is read as `==` and `<>` as `!=`, because people coming from SQL or
 *   spreadsheets write them; there is no assignment, so `=` cannot mean anything else.
 * - `×` and `÷` are read as `*` and `/`, and `−` (U+2212, the minus sign) as `-`, so formulas pasted from documents work.
 * - numbers: `12`, `12.5`, `.5`; a minus sign in front is the unary minus. Strings: '…' or "…"; the quote itself is
 *   written twice inside (`'O''Reilly'`). Fields: `[A-Za-z_][A-Za-z0-9_]*`, matched exactly against the known fields.
 * - `x between a and b` is inclusive: a ≤ x ≤ b. Comparisons do not chain: `1 < x < 3` is an error.
 *
 * Types. Every value is a number, a string, a boolean or null (a field with no value, or a failed calculation).
 * - numbers compare numerically, strings by UTF-16 code units (so 'B' < 'a'), booleans only with == and !=.
 * - a comparison with null is false, whatever the operator: `x != 5` is false when x is null, and so are `x in (…)`,
 *   `x not in (…)`, `x between …` and `x not between …` (`not in` means "!= every value", `not between` means
 *   "< low or > high"). `not (x == 5)` is true when x is null.
 * - comparing values of two different types (a number with a string) is an error at compile time when both types are
 *   known (literals, calculations, fields given in `types`) and false at run time otherwise.
 * - arithmetic takes numbers: a known non-number operand is a compile-time error; at run time a non-number operand,
 *   division by zero or a result too large for a double gives null.
 * - a value used as a condition (a field on its own, `not flag`) must be a boolean: a known non-boolean is a compile-time
 *   error, and at run time only the value `true` counts as true.
 *
 * Errors: `ExpressionError`, one line, with the 0-based position (in UTF-16 code units) of the first problem and what
 * was expected there: `monetary >= and x: expected a value at position 12`.
 */

export type FieldType = 'number' | 'string' | 'boolean';
export type Value = string | number | boolean | null;
export type Row = Readonly<Record<string, Value>>;

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithOp = '+' | '-' | '*' | '/';

interface Span {
  /** Index of the node's first character in the source. */
  readonly pos: number;
  /** Index just past its last character. */
  readonly end: number;
}

/** The parsed expression, a tagged union; `pos`/`end` locate each node in the source. */
export type ExprNode = Span &
  (
    | { readonly kind: 'literal'; readonly value: string | number | boolean }
    | { readonly kind: 'field'; readonly name: string }
    | { readonly kind: 'negate'; readonly operand: ExprNode }
    | { readonly kind: 'arith'; readonly op: ArithOp; readonly left: ExprNode; readonly right: ExprNode }
    | { readonly kind: 'compare'; readonly op: CompareOp; readonly left: ExprNode; readonly right: ExprNode }
    | { readonly kind: 'in'; readonly negated: boolean; readonly subject: ExprNode; readonly list: readonly ExprNode[] }
    | {
        readonly kind: 'between';
        readonly negated: boolean;
        readonly subject: ExprNode;
        readonly low: ExprNode;
        readonly high: ExprNode;
      }
    | { readonly kind: 'not'; readonly operand: ExprNode }
    | { readonly kind: 'and' | 'or'; readonly left: ExprNode; readonly right: ExprNode }
  );

/** A compiled expression: its source, its tree and the fields it reads (each once, in order of first use). */
export interface Expression {
  readonly source: string;
  readonly root: ExprNode;
  readonly fields: readonly string[];
}

/** Control characters (and line/paragraph separators) become spaces, so the message is one line and positions hold. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ');
}

/** A problem in an expression a person wrote: where (0-based `position`) and what was `expected` there. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  readonly expression: string;
  readonly position: number;
  readonly expected: string;

  constructor(expression: string, position: number, expected: string) {
    super(`${oneLine(expression)}: expected ${expected} at position ${position}`);
    this.expression = expression;
    this.position = position;
    this.expected = expected;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Tokens

type Token = Span &
  (
    | { readonly t: 'number'; readonly value: number }
    | { readonly t: 'string'; readonly value: string }
    | { readonly t: 'word'; readonly text: string; readonly lower: string }
    | { readonly t: 'op'; readonly op: string }
    | { readonly t: 'end' }
  );

/** Operator spellings, longest first, and what each means. */
const OPERATORS: readonly (readonly [string, string])[] = [
  ['==', '=='],
  ['!=', '!='],
  ['<>', '!='],
  ['<=', '<='],
  ['>=', '>='],
  ['=', '=='],
  ['<', '<'],
  ['>', '>'],
  ['+', '+'],
  ['-', '-'],
  ['\u2212', '-'],
  ['*', '*'],
  ['\u00d7', '*'],
  ['/', '/'],
  ['\u00f7', '/'],
  ['(', '('],
  [')', ')'],
  [',', ','],
];

/** What to suggest for a character that is not part of the language but is common in other ones. */
const HINTS: Readonly<Record<string, string>> = {
  '&': "'and'",
  '|': "'or'",
  '!': "'not' or '!='",
};

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'between', 'true', 'false']);
const COMPARE_OPS = new Set<string>(['==', '!=', '<', '<=', '>', '>=']);
const MAX_DEPTH = 100;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isWordStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_]/.test(c);
const isWordChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);

/** Reads tokens one at a time, so that the first problem in the text is the one reported. */
class Lexer {
  private i = 0;
  private current: Token;

  constructor(private readonly src: string) {
    this.current = this.read();
  }

  peek(): Token {
    return this.current;
  }

  next(): Token {
    const token = this.current;
    this.current = this.read();
    return token;
  }

  private fail(pos: number, expected: string): never {
    throw new ExpressionError(this.src, pos, expected);
  }

  private read(): Token {
    const s = this.src;
    while (this.i < s.length && /\s/.test(s[this.i]!)) this.i++;
    const pos = this.i;
    const c = s[pos];
    if (c === undefined) return { t: 'end', pos, end: pos };
    if (isDigit(c) || (c === '.' && isDigit(s[pos + 1]))) return this.readNumber(pos);
    if (c === "'" || c === '"') return this.readString(pos, c);
    if (isWordStart(c)) {
      let j = pos + 1;
      while (isWordChar(s[j])) j++;
      this.i = j;
      const text = s.slice(pos, j);
      return { t: 'word', text, lower: text.toLowerCase(), pos, end: j };
    }
    for (const [spelling, op] of OPERATORS) {
      if (s.startsWith(spelling, pos)) {
        this.i = pos + spelling.length;
        return { t: 'op', op, pos, end: this.i };
      }
    }
    return this.fail(pos, HINTS[c] ?? 'a field, a value or an operator');
  }

  private readNumber(pos: number): Token {
    const s = this.src;
    let j = pos;
    while (isDigit(s[j])) j++;
    if (s[j] === '.') {
      j++;
      if (!isDigit(s[j])) this.fail(j, 'a digit after the decimal point');
      while (isDigit(s[j])) j++;
    }
    // "30days" or "1.5.2" is a typo, not a number followed by a field
    if (isWordChar(s[j]) || s[j] === '.') this.fail(j, 'a space or an operator after the number');
    this.i = j;
    return { t: 'number', value: Number(s.slice(pos, j)), pos, end: j };
  }

  private readString(pos: number, quote: string): Token {
    const s = this.src;
    let value = '';
    let j = pos + 1;
    for (;;) {
      const k = s.indexOf(quote, j);
      if (k < 0) return this.fail(pos, `a closing ${quote} for the string that starts here`);
      value += s.slice(j, k);
      if (s[k + 1] === quote) {
        value += quote; // a doubled quote stands for one quote, as in SQL and CSV
        j = k + 2;
      } else {
        this.i = k + 1;
        return { t: 'string', value, pos, end: k + 1 };
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Parser with type checks

type StaticType = FieldType | 'unknown';

const COMPARISON_EXPECTED = 'a comparison (==, !=, <, <=, >, >=, in or between)';

class Parser {
  private readonly lex: Lexer;
  private readonly used: string[] = [];
  private depth = 0;

  constructor(
    private readonly src: string,
    private readonly fields: ReadonlySet<string>,
    private readonly fieldList: readonly string[],
    private readonly types: Readonly<Record<string, FieldType>>,
  ) {
    this.lex = new Lexer(src);
  }

  parse(): Expression {
    if (this.lex.peek().t === 'end') this.fail(this.lex.peek().pos, 'a condition');
    const root = this.condition();
    this.requireCondition(root);
    const after = this.lex.peek();
    if (after.t !== 'end') {
      this.fail(
        after.pos,
        after.t === 'op' && COMPARE_OPS.has(after.op)
          ? "'and' or 'or' (comparisons do not chain: write a < x and x < b)"
          : "'and', 'or' or the end of the expression",
      );
    }
    return { source: this.src, root, fields: this.used };
  }

  private fail(pos: number, expected: string): never {
    throw new ExpressionError(this.src, pos, expected);
  }

  private text(node: ExprNode): string {
    return this.src.slice(node.pos, node.end);
  }

  private isWord(token: Token, word: string): boolean {
    return token.t === 'word' && token.lower === word;
  }

  private isOp(token: Token, op: string): boolean {
    return token.t === 'op' && token.op === op;
  }

  private enter(pos: number): void {
    if (++this.depth > MAX_DEPTH) this.fail(pos, `at most ${MAX_DEPTH} levels of nesting`);
  }

  private typeOf(node: ExprNode): StaticType {
    switch (node.kind) {
      case 'literal':
        return typeof node.value as FieldType;
      case 'field':
        return Object.hasOwn(this.types, node.name) ? this.types[node.name]! : 'unknown';
      case 'negate':
      case 'arith':
        return 'number';
      default:
        return 'boolean';
    }
  }

  /** A condition must be boolean when its type is known; the error points where a comparison was expected. */
  private requireCondition(node: ExprNode): void {
    const type = this.typeOf(node);
    if (type !== 'boolean' && type !== 'unknown') this.fail(this.lex.peek().pos, COMPARISON_EXPECTED);
  }

  private requireNumber(node: ExprNode): void {
    const type = this.typeOf(node);
    if (type === 'boolean' && node.kind !== 'literal' && node.kind !== 'field') {
      this.fail(node.pos, 'a number (a condition is true or false)');
    }
    if (type !== 'number' && type !== 'unknown') this.fail(node.pos, `a number (${this.text(node)} is a ${type})`);
  }

  /** Operands compared with each other: the first one of known type sets the type the others must have. */
  private requireComparable(operands: readonly ExprNode[], ordered: boolean): void {
    let reference: ExprNode | undefined;
    for (const node of operands) {
      const type = this.typeOf(node);
      if (type === 'unknown') continue;
      if (ordered && type === 'boolean') this.fail(node.pos, 'a number or a string (true and false have no order)');
      if (reference === undefined) reference = node;
      else if (this.typeOf(reference) !== type) {
        this.fail(node.pos, `a ${this.typeOf(reference)} (to compare with ${this.text(reference)})`);
      }
    }
  }

  private condition(): ExprNode {
    let left = this.and();
    while (this.isWord(this.lex.peek(), 'or')) {
      this.requireCondition(left);
      this.lex.next();
      const right = this.and();
      this.requireCondition(right);
      left = { kind: 'or', left, right, pos: left.pos, end: right.end };
    }
    return left;
  }

  private and(): ExprNode {
    let left = this.not();
    while (this.isWord(this.lex.peek(), 'and')) {
      this.requireCondition(left);
      this.lex.next();
      const right = this.not();
      this.requireCondition(right);
      left = { kind: 'and', left, right, pos: left.pos, end: right.end };
    }
    return left;
  }

  private not(): ExprNode {
    const token = this.lex.peek();
    if (!this.isWord(token, 'not')) return this.predicate();
    this.enter(token.pos);
    this.lex.next();
    const operand = this.not();
    this.requireCondition(operand);
    this.depth--;
    return { kind: 'not', operand, pos: token.pos, end: operand.end };
  }

  private predicate(): ExprNode {
    const subject = this.sum();
    let token = this.lex.peek();
    if (token.t === 'op' && COMPARE_OPS.has(token.op)) {
      const op = token.op as CompareOp;
      this.lex.next();
      const right = this.sum();
      this.requireComparable([subject, right], op !== '==' && op !== '!=');
      return { kind: 'compare', op, left: subject, right, pos: subject.pos, end: right.end };
    }
    let negated = false;
    if (this.isWord(token, 'not')) {
      this.lex.next();
      token = this.lex.peek();
      if (!this.isWord(token, 'in') && !this.isWord(token, 'between')) this.fail(token.pos, "'in' or 'between' after 'not'");
      negated = true;
    }
    if (this.isWord(token, 'in')) return this.inList(subject, negated);
    if (this.isWord(token, 'between')) return this.between(subject, negated);
    return subject;
  }

  private inList(subject: ExprNode, negated: boolean): ExprNode {
    this.lex.next();
    const open = this.lex.next();
    if (!this.isOp(open, '(')) this.fail(open.pos, "'(' to start the list of values");
    const list: ExprNode[] = [this.sum()];
    for (;;) {
      const token = this.lex.next();
      if (this.isOp(token, ')')) {
        this.requireComparable([subject, ...list], false);
        return { kind: 'in', negated, subject, list, pos: subject.pos, end: token.end };
      }
      if (!this.isOp(token, ',')) this.fail(token.pos, "',' or ')'");
      list.push(this.sum());
    }
  }

  private between(subject: ExprNode, negated: boolean): ExprNode {
    this.lex.next();
    const low = this.sum();
    const and = this.lex.next();
    if (!this.isWord(and, 'and')) this.fail(and.pos, "'and' (between low and high)");
    const high = this.sum();
    this.requireComparable([subject, low, high], true);
    return { kind: 'between', negated, subject, low, high, pos: subject.pos, end: high.end };
  }

  private sum(): ExprNode {
    let left = this.product();
    for (;;) {
      const token = this.lex.peek();
      if (!(this.isOp(token, '+') || this.isOp(token, '-'))) return left;
      this.lex.next();
      const right = this.product();
      this.requireNumber(left);
      this.requireNumber(right);
      left = { kind: 'arith', op: (token as { op: ArithOp }).op, left, right, pos: left.pos, end: right.end };
    }
  }

  private product(): ExprNode {
    let left = this.unary();
    for (;;) {
      const token = this.lex.peek();
      if (!(this.isOp(token, '*') || this.isOp(token, '/'))) return left;
      this.lex.next();
      const right = this.unary();
      this.requireNumber(left);
      this.requireNumber(right);
      left = { kind: 'arith', op: (token as { op: ArithOp }).op, left, right, pos: left.pos, end: right.end };
    }
  }

  private unary(): ExprNode {
    const token = this.lex.peek();
    if (!this.isOp(token, '-')) return this.primary();
    this.enter(token.pos);
    this.lex.next();
    const operand = this.unary();
    this.requireNumber(operand);
    this.depth--;
    return { kind: 'negate', operand, pos: token.pos, end: operand.end };
  }

  private primary(): ExprNode {
    const token = this.lex.next();
    const { pos, end } = token;
    switch (token.t) {
      case 'number':
      case 'string':
        return { kind: 'literal', value: token.value, pos, end };
      case 'word':
        if (token.lower === 'true' || token.lower === 'false') return { kind: 'literal', value: token.lower === 'true', pos, end };
        if (KEYWORDS.has(token.lower)) return this.fail(pos, 'a value');
        if (!this.fields.has(token.text)) {
          return this.fail(
            pos,
            this.fieldList.length === 0 ? 'a number or a string (no fields are known)' : `one of the fields: ${this.fieldList.join(', ')}`,
          );
        }
        if (!this.used.includes(token.text)) this.used.push(token.text);
        return { kind: 'field', name: token.text, pos, end };
      case 'op': {
        if (token.op !== '(') return this.fail(pos, 'a value');
        this.enter(pos);
        const inner = this.condition();
        const close = this.lex.next();
        if (!this.isOp(close, ')')) this.fail(close.pos, "')'");
        this.depth--;
        // keep the parentheses in the span, so error texts quote what the person wrote
        return { ...inner, pos, end: close.end };
      }
      case 'end':
        return this.fail(pos, 'a value');
    }
  }
}

/**
 * Parses and checks an expression once, for evaluating on many rows. `fields` are the names it may use; `types` gives
 * the type of some or all of them, and turns type mistakes into compile-time errors instead of silent false results.
 * Throws `ExpressionError` for anything wrong with the text.
 *
 * `compileExpression('monetary >= 1000', ['monetary'], { monetary: 'number' }).fields` → ['monetary'].
 */
export function compileExpression(
  source: string,
  fields: readonly string[],
  types: Readonly<Record<string, FieldType>> = {},
): Expression {
  return new Parser(source, new Set(fields), fields, types).parse();
}

// ---------------------------------------------------------------------------------------------------------------------
// Evaluation

function read(row: Row, name: string): Value {
  const v = row[name];
  if (v === undefined) throw new Error(`evaluate: the row has no field '${name}' (the expression was compiled with it)`);
  return typeof v === 'number' && Number.isNaN(v) ? null : v;
}

/** A number, or null when it is not finite (overflow, or 0/0 upstream). */
const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

function arith(op: ArithOp, a: Value, b: Value): number | null {
  if (typeof a !== 'number' || typeof b !== 'number') return null;
  switch (op) {
    case '+':
      return finite(a + b);
    case '-':
      return finite(a - b);
    case '*':
      return finite(a * b);
    case '/':
      return b === 0 ? null : finite(a / b);
  }
}

/** a op b, false when either is null or their types differ; booleans only have == and !=. */
function compare(op: CompareOp, a: Value, b: Value): boolean {
  if (a === null || b === null || typeof a !== typeof b) return false;
  if (typeof a === 'boolean' && op !== '==' && op !== '!=') return false;
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b!;
    case '<=':
      return a <= b!;
    case '>':
      return a > b!;
    case '>=':
      return a >= b!;
  }
}

/** The value of a node: conditions give booleans, failed calculations null. */
function valueOf(node: ExprNode, row: Row): Value {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'field':
      return read(row, node.name);
    case 'negate': {
      const v = valueOf(node.operand, row);
      return typeof v === 'number' ? -v : null;
    }
    case 'arith':
      return arith(node.op, valueOf(node.left, row), valueOf(node.right, row));
    default:
      return test(node, row);
  }
}

function test(node: ExprNode, row: Row): boolean {
  switch (node.kind) {
    case 'compare':
      return compare(node.op, valueOf(node.left, row), valueOf(node.right, row));
    case 'in': {
      const x = valueOf(node.subject, row);
      return node.negated
        ? node.list.every((item) => compare('!=', x, valueOf(item, row)))
        : node.list.some((item) => compare('==', x, valueOf(item, row)));
    }
    case 'between': {
      const x = valueOf(node.subject, row);
      const low = valueOf(node.low, row);
      const high = valueOf(node.high, row);
      return node.negated
        ? compare('<', x, low) || compare('>', x, high)
        : compare('>=', x, low) && compare('<=', x, high);
    }
    case 'not':
      return !test(node.operand, row);
    case 'and':
      return test(node.left, row) && test(node.right, row);
    case 'or':
      return test(node.left, row) || test(node.right, row);
    default:
      return valueOf(node, row) === true;
  }
}

/**
 * Whether a row meets a compiled expression (see the top of this file for nulls and types). Throws a plain Error, a bug
 * rather than a user mistake, when the row lacks a field the expression uses.
 * `evaluate(compileExpression('monetary / frequency > 50', ['monetary', 'frequency']), { monetary: 120, frequency: 2 })` → true.
 */
export function evaluate(expr: Expression, row: Row): boolean {
  return test(expr.root, row);
}
