/** Where in an input a problem sits; line and column are 1-based, as an editor shows them. */
export interface Location {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/** A problem with the data or the input files: one line for a person, exit code 1. */
export class InputError extends Error {
  readonly exitCode = 1;
  constructor(message: string, readonly location?: Location) {
    super(location ? `${formatLocation(location)}: ${message}` : message);
    this.name = 'InputError';
  }
}

/** A problem with the command line or the configuration: one line for a person, exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function formatLocation(location: Location): string {
  let text = location.file;
  if (location.line !== undefined) text += `:${location.line}`;
  if (location.column !== undefined) text += `:${location.column}`;
  return text;
}

/** A value quoted for a message, cut short when long: `quote('abc')` → `"abc"`. */
export function quote(value: string, max = 60): string {
  const shown = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(shown);
}
