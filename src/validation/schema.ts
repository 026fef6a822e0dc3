// Schemas for what tsdb-backup reads from outside (manifests, runs, config.json, key and lock files, TSD
// answers): small composable checks that name the field that is wrong, and types inferred from them.
// They replace zod: loading zod v4 cost ~70 ms of CPU per run (every entry point imports its 62 locale
// files), and building the manifest schemas ~12 ms more, a quarter of a no-op incremental (issue 12).
//
// The behaviour follows zod's where the code relied on it: objects drop keys they do not declare
// (unless passthrough() or strict()), an optional key that is absent stays absent, refinements of an
// object run only once its fields are valid, default() fills in a missing value.

export type Path = Array<string | number>;

export interface Issue {
  path: Path;
  message: string;
}

/** Why a value does not fit a schema: every issue found (the first ones are the useful ones). */
export class SchemaError extends Error {
  constructor(readonly issues: Issue[]) {
    super(issues.map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; '));
    this.name = 'SchemaError';
  }
}

export type SafeParseResult<T> = { success: true; data: T } | { success: false; error: SchemaError };

/** What a failed check returns in place of a value (exported for declarations only). */
export const INVALID: unique symbol = Symbol('invalid');
export type Checked<T> = T | typeof INVALID;

/** What a value is, in messages (as zod says it: "expected string, got number"). */
function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return typeof v;
}

export abstract class Schema<T> {
  /** Says what a valid value is, in messages: "string", "'full' or 'incremental'". */
  abstract readonly expected: string;

  /** The value (defaults filled in, undeclared keys dropped), or INVALID after adding issues. */
  abstract check(value: unknown, path: Path, issues: Issue[]): Checked<T>;

  safeParse(value: unknown): SafeParseResult<T> {
    const issues: Issue[] = [];
    const out = this.check(value, [], issues);
    if (out === INVALID || issues.length > 0) return { success: false, error: new SchemaError(issues) };
    return { success: true, data: out };
  }

  parse(value: unknown): T {
    const r = this.safeParse(value);
    if (!r.success) throw r.error;
    return r.data;
  }

  optional(): Schema<T | undefined> {
    return new Wrapped<T | undefined>(this, (v) => v === undefined, `${this.expected} or nothing`);
  }

  nullable(): Schema<T | null> {
    return new Wrapped<T | null>(this, (v) => v === null, `${this.expected} or null`);
  }

  nullish(): Schema<T | null | undefined> {
    return new Wrapped<T | null | undefined>(this, (v) => v === null || v === undefined, `${this.expected} or null`);
  }

  /** A missing value (undefined) becomes `value`. */
  default(value: T): Schema<T> {
    return new Defaulted(this, value);
  }

  /** A further check of a valid value; its issue is at `path` below the value's own. */
  refine(ok: (value: T) => boolean, message: string, path: Path = []): Schema<T> {
    return new SuperRefined(this, (value, addIssue) => {
      if (!ok(value)) addIssue(path, message);
    });
  }

  /** Further checks of a valid value that report their own issues (any number, each at its path below the value). */
  superRefine(check: (value: T, addIssue: (path: Path, message: string) => void) => void): Schema<T> {
    return new SuperRefined(this, check);
  }
}

/** The type of what a schema accepts. */
export type Infer<S extends Schema<unknown>> = S extends Schema<infer T> ? T : never;

class Wrapped<T> extends Schema<T> {
  constructor(
    private readonly inner: Schema<unknown>,
    private readonly passes: (v: unknown) => boolean,
    readonly expected: string,
  ) {
    super();
  }

  check(value: unknown, path: Path, issues: Issue[]): Checked<T> {
    if (this.passes(value)) return value as T;
    return this.inner.check(value, path, issues) as Checked<T>;
  }
}

class Defaulted<T> extends Schema<T> {
  readonly expected: string;
  constructor(
    private readonly inner: Schema<T>,
    private readonly value: T,
  ) {
    super();
    this.expected = inner.expected;
  }

  check(value: unknown, path: Path, issues: Issue[]): Checked<T> {
    return this.inner.check(value === undefined ? this.value : value, path, issues);
  }
}

class SuperRefined<T> extends Schema<T> {
  readonly expected: string;
  constructor(
    private readonly inner: Schema<T>,
    private readonly test: (value: T, addIssue: (path: Path, message: string) => void) => void,
  ) {
    super();
    this.expected = inner.expected;
  }

  check(value: unknown, path: Path, issues: Issue[]): Checked<T> {
    const before = issues.length;
    const out = this.inner.check(value, path, issues);
    if (out === INVALID || issues.length > before) return out;
    this.test(out, (at, message) => issues.push({ path: [...path, ...at], message }));
    return issues.length > before ? INVALID : out;
  }
}

/** A value of one JavaScript type, with its own checks (each a predicate and the message when it fails). */
class Primitive<T> extends Schema<T> {
  constructor(
    readonly expected: string,
    private readonly is: (v: unknown) => v is T,
    private readonly checks: ReadonlyArray<readonly [(v: T) => boolean, string]> = [],
  ) {
    super();
  }

  protected with(test: (v: T) => boolean, message: string): this {
    const Ctor = this.constructor as new (expected: string, is: (v: unknown) => v is T, checks: ReadonlyArray<readonly [(v: T) => boolean, string]>) => this;
    return new Ctor(this.expected, this.is, [...this.checks, [test, message]]);
  }

  check(value: unknown, path: Path, issues: Issue[]): Checked<T> {
    if (!this.is(value)) {
      issues.push({ path, message: `expected ${this.expected}, got ${kindOf(value)}` });
      return INVALID;
    }
    for (const [test, message] of this.checks) {
      if (!test(value)) {
        issues.push({ path, message });
        return INVALID;
      }
    }
    return value;
  }
}

const ISO_DATETIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?Z$/;

export class StringSchema extends Primitive<string> {
  min(n: number, message = `must have at least ${n} character${n === 1 ? '' : 's'}`): StringSchema {
    return this.with((s) => s.length >= n, message);
  }

  regex(re: RegExp, message = `must match ${re}`): StringSchema {
    return this.with((s) => re.test(s), message);
  }

  /** An ISO 8601 UTC time as Date.toISOString() writes it (any number of fraction digits). */
  datetime(): StringSchema {
    return this.with((s) => ISO_DATETIME.test(s) && !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 UTC time such as 2026-01-01T00:00:00.000Z');
  }
}

export class NumberSchema extends Primitive<number> {
  int(): NumberSchema {
    return this.with(Number.isSafeInteger, 'must be an integer');
  }

  min(n: number): NumberSchema {
    return this.with((v) => v >= n, `must be at least ${n}`);
  }

  max(n: number): NumberSchema {
    return this.with((v) => v <= n, `must be at most ${n}`);
  }

  nonnegative(): NumberSchema {
    return this.with((v) => v >= 0, 'must not be negative');
  }

  positive(): NumberSchema {
    return this.with((v) => v > 0, 'must be positive');
  }
}

export function string(): StringSchema {
  return new StringSchema('string', (v): v is string => typeof v === 'string');
}

/** A finite number (JSON has no other). */
export function number(): NumberSchema {
  return new NumberSchema('number', (v): v is number => typeof v === 'number' && Number.isFinite(v));
}

export function boolean(): Schema<boolean> {
  return new Primitive('boolean', (v): v is boolean => typeof v === 'boolean');
}

export function unknown(): Schema<unknown> {
  return new Primitive('anything', (_v): _v is unknown => true);
}

class Literal<T extends string | number | boolean> extends Schema<T> {
  readonly expected: string;
  constructor(readonly value: T) {
    super();
    this.expected = JSON.stringify(value);
  }

  check(value: unknown, path: Path, issues: Issue[]): Checked<T> {
    if (value === this.value) return value as T;
    issues.push({
      path,
      message: `expected ${this.expected}, got ${typeof value === 'string' || typeof value === 'number' ? JSON.stringify(value) : kindOf(value)}`,
    });
    return INVALID;
  }
}

export function literal<const T extends string | number | boolean>(value: T): Literal<T> {
  return new Literal(value);
}

/** One of the given strings. */
export function enumOf<const T extends readonly [string, ...string[]]>(values: T): Schema<T[number]> {
  const allowed = new Set<string>(values);
  const expected = values.map((v) => `'${v}'`).join(', ');
  return new Primitive<string>('string', (v): v is string => typeof v === 'string', [[(s) => allowed.has(s), `must be one of ${expected}`]]) as Schema<
    T[number]
  >;
}

class CoercedNumber extends Schema<number> {
  readonly expected = 'number';
  check(value: unknown, path: Path, issues: Issue[]): Checked<number> {
    const n = Number(value);
    if (Number.isFinite(n)) return n;
    issues.push({ path, message: `expected number, got ${typeof value === 'string' ? JSON.stringify(value) : kindOf(value)}` });
    return INVALID;
  }
}

/** Number(value), when that is a finite number: a count the TSD may write as a string ("42"). */
export function coercedNumber(): Schema<number> {
  return new CoercedNumber();
}

class ArraySchema<T> extends Schema<T[]> {
  readonly expected = 'array';
  constructor(private readonly item: Schema<T>) {
    super();
  }

  check(value: unknown, path: Path, issues: Issue[]): Checked<T[]> {
    if (!Array.isArray(value)) {
      issues.push({ path, message: `expected array, got ${kindOf(value)}` });
      return INVALID;
    }
    const out: T[] = new Array(value.length);
    let ok = true;
    for (let i = 0; i < value.length; i++) {
      const v = this.item.check(value[i], [...path, i], issues);
      if (v === INVALID) ok = false;
      else out[i] = v;
    }
    return ok ? out : INVALID;
  }
}

export function array<T>(item: Schema<T>): Schema<T[]> {
  return new ArraySchema(item);
}

class RecordSchema<T> extends Schema<Record<string, T>> {
  readonly expected = 'object';
  constructor(private readonly item: Schema<T>) {
    super();
  }

  check(value: unknown, path: Path, issues: Issue[]): Checked<Record<string, T>> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.push({ path, message: `expected object, got ${kindOf(value)}` });
      return INVALID;
    }
    const out: Record<string, T> = {};
    let ok = true;
    for (const key of Object.keys(value)) {
      const v = this.item.check((value as Record<string, unknown>)[key], [...path, key], issues);
      if (v === INVALID) ok = false;
      // A key named __proto__ (a legal tag key) is data: assigning it would set the prototype instead.
      else if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
    }
    return ok ? out : INVALID;
  }
}

/** An object used as a map: any string keys, every value of one schema. */
export function record<T>(item: Schema<T>): Schema<Record<string, T>> {
  return new RecordSchema(item);
}

export type Shape = Record<string, Schema<unknown>>;

/** Keys whose schema accepts undefined are optional. */
type OptionalKeys<S extends Shape> = { [K in keyof S]: undefined extends Infer<S[K]> ? K : never }[keyof S];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<S extends Shape> = Simplify<{ [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }>;

type UnknownKeys = 'strip' | 'passthrough' | 'strict';

export class ObjectSchema<S extends Shape, Extra = unknown> extends Schema<ObjectOf<S> & Extra> {
  readonly expected = 'object';
  private readonly keys: string[];
  constructor(
    readonly shape: S,
    private readonly unknownKeys: UnknownKeys = 'strip',
  ) {
    super();
    this.keys = Object.keys(shape);
  }

  /** Keys the shape does not declare are kept (as they are) instead of dropped. */
  passthrough(): ObjectSchema<S, Record<string, unknown>> {
    return new ObjectSchema(this.shape, 'passthrough');
  }

  /** Keys the shape does not declare are an error. */
  strict(): ObjectSchema<S, Extra> {
    return new ObjectSchema(this.shape, 'strict');
  }

  check(value: unknown, path: Path, issues: Issue[]): Checked<ObjectOf<S> & Extra> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.push({ path, message: `expected object, got ${kindOf(value)}` });
      return INVALID;
    }
    const input = value as Record<string, unknown>;
    const out: Record<string, unknown> = this.unknownKeys === 'passthrough' ? { ...input } : {};
    let ok = true;
    for (const key of this.keys) {
      const v = this.shape[key]!.check(input[key], [...path, key], issues);
      if (v === INVALID) ok = false;
      else if (v !== undefined || key in input) out[key] = v;
    }
    if (this.unknownKeys === 'strict') {
      for (const key of Object.keys(input)) {
        if (!Object.hasOwn(this.shape, key)) {
          issues.push({ path: [...path, key], message: 'is not a known field' });
          ok = false;
        }
      }
    }
    return ok ? (out as ObjectOf<S> & Extra) : INVALID;
  }
}

export function object<S extends Shape>(shape: S): ObjectSchema<S> {
  return new ObjectSchema(shape);
}

/** An object that may hold only the declared keys. */
export function strictObject<S extends Shape>(shape: S): ObjectSchema<S> {
  return new ObjectSchema(shape, 'strict');
}

class Union<T> extends Schema<T> {
  readonly expected: string;
  constructor(private readonly options: ReadonlyArray<Schema<T>>) {
    super();
    this.expected = options.map((o) => o.expected).join(' or ');
  }

  check(value: unknown, path: Path, issues: Issue[]): Checked<T> {
    for (const o of this.options) {
      const mine: Issue[] = [];
      const v = o.check(value, path, mine);
      if (v !== INVALID && mine.length === 0) return v;
    }
    issues.push({ path, message: `expected ${this.expected}, got ${typeof value === 'string' ? JSON.stringify(value) : kindOf(value)}` });
    return INVALID;
  }
}

/** The first of the schemas the value fits. */
export function union<const O extends ReadonlyArray<Schema<unknown>>>(options: O): Schema<Infer<O[number]>> {
  return new Union(options as ReadonlyArray<Schema<Infer<O[number]>>>);
}

type Tagged<K extends string> = ObjectSchema<Shape & { [k in K]: Literal<string | number | boolean> }>;

class Discriminated<T> extends Schema<T> {
  readonly expected = 'object';
  private readonly byTag = new Map<unknown, Schema<T>>();
  constructor(
    private readonly key: string,
    options: ReadonlyArray<ObjectSchema<Shape>>,
  ) {
    super();
    for (const o of options) this.byTag.set((o.shape[key] as Literal<string | number | boolean>).value, o as unknown as Schema<T>);
  }

  check(value: unknown, path: Path, issues: Issue[]): Checked<T> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      issues.push({ path, message: `expected object, got ${kindOf(value)}` });
      return INVALID;
    }
    const tag = (value as Record<string, unknown>)[this.key];
    const option = this.byTag.get(tag);
    if (option) return option.check(value, path, issues);
    const expected = [...this.byTag.keys()].map((k) => JSON.stringify(k)).join(' or ');
    issues.push({
      path: [...path, this.key],
      message: `expected ${expected}, got ${typeof tag === 'string' || typeof tag === 'number' ? JSON.stringify(tag) : kindOf(tag)}`,
    });
    return INVALID;
  }
}

/** Objects told apart by the literal value of one key (`version`): the one whose value it holds applies. */
export function discriminatedUnion<K extends string, const O extends ReadonlyArray<Tagged<K>>>(key: K, options: O): Schema<Infer<O[number]>> {
  return new Discriminated<Infer<O[number]>>(key, options as unknown as ReadonlyArray<ObjectSchema<Shape>>);
}
