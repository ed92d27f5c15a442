import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command, Option } from 'commander';
import type { RuleSet, ScoreRange, SegmentRule } from '../core/params.js';
import type { DimensionScoring } from '../core/presets.js';
import type { ScoringSpec } from '../core/scoring.js';
import { UsageError } from '../errors.js';
import { fileSafeName } from './csv-out.js';

/** The file read from the working folder when no --config is given. */
export const CONFIG_FILE = 'rfmkit.config.json';

/** Keys that only a config file sets (they are not flags). */
export const CONFIG_ONLY_KEYS = ['rules', 'custom_segments', 'scoring'] as const;

/** What a config file adds besides flag values. */
export interface ConfigExtras {
  /** Rules without a bin count: the run's --bins is theirs. */
  readonly rules?: { readonly fallback: string; readonly rules: readonly SegmentRule[] };
  readonly customSegments?: readonly { readonly name: string; readonly where: string }[];
  readonly scoring?: Partial<DimensionScoring>;
}

/** A flag's key in a config file: `--date-format` → `date_format`, `--no-sanitize` → `sanitize`. */
export function configKey(option: Option): string {
  return option.attributeName().replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

class ConfigError extends UsageError {
  constructor(file: string, path: string, message: string) {
    super(`${file}: ${path}: ${message}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const describe = (v: unknown) => (Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`);

function range(file: string, path: string, v: unknown): ScoreRange {
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => Number.isInteger(x) && x >= 1 && x <= 10) || v[0] > v[1]) {
    throw new ConfigError(file, path, `expected [low, high], whole scores from 1 to 10 with low ≤ high, got ${JSON.stringify(v)}`);
  }
  return [v[0], v[1]];
}

function parseRules(file: string, v: unknown): NonNullable<ConfigExtras['rules']> {
  if (!isObject(v)) throw new ConfigError(file, 'rules', `expected an object {"fallback": "others", "rules": [...]}, got ${describe(v)}`);
  for (const key of Object.keys(v)) {
    if (key !== 'fallback' && key !== 'rules') throw new ConfigError(file, `rules.${key}`, 'unknown key; allowed: fallback, rules');
  }
  const fallback = v.fallback ?? 'others';
  if (typeof fallback !== 'string' || fallback.trim() === '') throw new ConfigError(file, 'rules.fallback', `expected a segment name, got ${describe(fallback)}`);
  if (!Array.isArray(v.rules) || v.rules.length === 0) throw new ConfigError(file, 'rules.rules', `expected a list of rules, got ${describe(v.rules)}`);
  const rules = v.rules.map((r: unknown, i): SegmentRule => {
    const at = `rules.rules[${i}]`;
    if (!isObject(r)) throw new ConfigError(file, at, `expected {"name": …, "r": [low, high], "f": …, "m": …}, got ${describe(r)}`);
    for (const key of Object.keys(r)) if (!['name', 'r', 'f', 'm'].includes(key)) throw new ConfigError(file, `${at}.${key}`, 'unknown key; allowed: name, r, f, m');
    if (typeof r.name !== 'string' || r.name.trim() === '') throw new ConfigError(file, `${at}.name`, `expected a segment name, got ${describe(r.name)}`);
    return {
      name: r.name,
      ...(r.r === undefined ? {} : { r: range(file, `${at}.r`, r.r) }),
      ...(r.f === undefined ? {} : { f: range(file, `${at}.f`, r.f) }),
      ...(r.m === undefined ? {} : { m: range(file, `${at}.m`, r.m) }),
    };
  });
  uniqueFileNames(file, 'rules', [...rules.map((r) => r.name), fallback]);
  return { fallback, rules };
}

/** Names must give distinct file names (two rules may share a name: they are one segment). */
function uniqueFileNames(file: string, path: string, names: readonly string[]): void {
  const byFile = new Map<string, string>();
  for (const name of names) {
    const f = fileSafeName(name);
    const other = byFile.get(f);
    if (other !== undefined && other !== name) {
      throw new ConfigError(file, path, `segments ${JSON.stringify(other)} and ${JSON.stringify(name)} would both be written to ${f}.csv; rename one`);
    }
    byFile.set(f, name);
  }
}

function parseCustom(file: string, v: unknown): NonNullable<ConfigExtras['customSegments']> {
  if (!Array.isArray(v)) throw new ConfigError(file, 'custom_segments', `expected a list of {"name": …, "where": …}, got ${describe(v)}`);
  const list = v.map((c: unknown, i) => {
    const at = `custom_segments[${i}]`;
    if (!isObject(c)) throw new ConfigError(file, at, `expected {"name": …, "where": …}, got ${describe(c)}`);
    for (const key of Object.keys(c)) if (key !== 'name' && key !== 'where') throw new ConfigError(file, `${at}.${key}`, 'unknown key; allowed: name, where');
    if (typeof c.name !== 'string' || c.name.trim() === '') throw new ConfigError(file, `${at}.name`, `expected a name, got ${describe(c.name)}`);
    if (typeof c.where !== 'string' || c.where.trim() === '') throw new ConfigError(file, `${at}.where`, `expected an expression, got ${describe(c.where)}`);
    return { name: c.name, where: c.where };
  });
  const names = list.map((c) => c.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new ConfigError(file, 'custom_segments', `${JSON.stringify(twice)} is named twice`);
  uniqueFileNames(file, 'custom_segments', names);
  return list;
}

function parseSpec(file: string, path: string, v: unknown): ScoringSpec {
  if (v === 'quantile' || v === 'rfm-r') return { kind: v };
  if (isObject(v) && Object.keys(v).length === 1 && Array.isArray(v.breaks) && v.breaks.every((b) => typeof b === 'number' && Number.isFinite(b))) {
    const breaks = v.breaks as number[];
    if (breaks.some((b, i) => i > 0 && b <= breaks[i - 1]!)) throw new ConfigError(file, `${path}.breaks`, 'expected ascending break points');
    return { kind: 'breaks', breaks };
  }
  throw new ConfigError(file, path, `expected "quantile", "rfm-r" or {"breaks": [ascending numbers]}, got ${JSON.stringify(v)}`);
}

function parseScoring(file: string, v: unknown): Partial<DimensionScoring> {
  if (!isObject(v)) throw new ConfigError(file, 'scoring', `expected an object {"recency": …, "frequency": …, "monetary": …}, got ${describe(v)}`);
  const out: { -readonly [K in keyof DimensionScoring]?: ScoringSpec } = {};
  for (const [key, spec] of Object.entries(v)) {
    if (key !== 'recency' && key !== 'frequency' && key !== 'monetary') throw new ConfigError(file, `scoring.${key}`, 'unknown key; allowed: recency, frequency, monetary');
    out[key] = parseSpec(file, `scoring.${key}`, spec);
  }
  return out;
}

/** A config value as the text a flag would have been given. */
function asFlagText(file: string, key: string, option: Option, v: unknown): string[] {
  const list = Array.isArray(v) ? v : [v];
  if (option.variadic || key === 'select') {
    if (!list.every((x) => typeof x === 'string')) throw new ConfigError(file, key, `expected a list of texts, got ${JSON.stringify(v)}`);
    return list as string[];
  }
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return [v.join(',')]; // "abc": [80, 95]
  if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) return [String(v)];
  throw new ConfigError(file, key, `expected ${option.argChoices ? `one of ${option.argChoices.join(', ')}` : 'a text or a number'}, got ${describe(v)}`);
}

/**
 * Applies a config file to a command before it runs: each key sets the flag of the same name (`date_format` for
 * `--date-format`), through the flag's own parser, unless the flag was given on the command line. Unknown keys and wrong
 * types end with a UsageError naming the key. Keys starting with `//` are comments. Returns the config-only extras.
 */
export function applyConfig(cmd: Command, path: string | undefined, cwd: string): ConfigExtras {
  const file = path ?? (existsSync(resolve(cwd, CONFIG_FILE)) ? CONFIG_FILE : undefined);
  if (file === undefined) return {};
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(resolve(cwd, file), 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new UsageError(`--config ${file}: ${why}`);
  }
  if (!isObject(doc)) throw new UsageError(`${file}: expected a JSON object of settings, got ${describe(doc)}`);
  const options = new Map(cmd.options.filter((o) => o.long !== '--config').map((o) => [configKey(o), o]));
  const extras: { -readonly [K in keyof ConfigExtras]: ConfigExtras[K] } = {};
  for (const [key, value] of Object.entries(doc)) {
    if (key.startsWith('//')) continue;
    if (key === 'rules') extras.rules = parseRules(file, value);
    else if (key === 'custom_segments') extras.customSegments = parseCustom(file, value);
    else if (key === 'scoring') extras.scoring = parseScoring(file, value);
    else {
      const option = options.get(key);
      if (!option) {
        throw new ConfigError(file, key, `unknown key; allowed: ${[...options.keys(), ...CONFIG_ONLY_KEYS].sort().join(', ')}`);
      }
      const attribute = option.attributeName();
      if (cmd.getOptionValueSource(attribute) === 'cli') continue; // flags win over the file
      let parsed: unknown;
      if (!option.required && !option.optional) {
        if (typeof value !== 'boolean') throw new ConfigError(file, key, `expected true or false, got ${describe(value)}`);
        parsed = value;
      } else {
        try {
          parsed = undefined;
          for (const text of asFlagText(file, key, option, value)) {
            if (option.argChoices && !option.argChoices.includes(text)) throw new Error(`expected one of ${option.argChoices.join(', ')}, got ${JSON.stringify(text)}`);
            parsed = option.parseArg ? option.parseArg(text, parsed as never) : text;
          }
        } catch (err) {
          if (err instanceof ConfigError) throw err;
          throw new ConfigError(file, key, (err as Error).message.replace(/^--[a-z-]+ /, ''));
        }
      }
      cmd.setOptionValueWithSource(attribute, parsed, 'config');
    }
  }
  return extras;
}

/** The rule set of a run: the preset's, or the config's rules on the run's bins. */
export function ruleSetFrom(base: RuleSet, extras: ConfigExtras, bins: number): RuleSet {
  if (!extras.rules) return base;
  const outOfRange = extras.rules.rules.find((r) => [r.r, r.f, r.m].some((x) => x !== undefined && x[1] > bins));
  if (outOfRange) throw new UsageError(`rules: ${JSON.stringify(outOfRange.name)} uses scores above --bins ${bins}`);
  return { name: 'config', bins, fallback: extras.rules.fallback, rules: extras.rules.rules };
}
