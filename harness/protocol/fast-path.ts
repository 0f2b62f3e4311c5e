import type { z } from 'zod';

// A compiled fast path for the message schemas: the protocol clients decode and encode every record, and zod's
// general machinery (a payload object per value, codec and union bookkeeping) cost more than the rest of a
// record's trip through the harness. The plan below is derived once from the very zod definitions (no second
// schema): it walks the same types, checks, codecs (their own transform functions) and refinements, and it only
// ever *accepts* — for anything it does not know or any value that is not plainly valid it declines, and the
// caller asks zod, which produces the result or the exact error as before. So errors are zod's, word for word,
// and a valid value gives the same output by either path (test/unit/protocol/fast-path.test.ts compares them).

/** The plan could not vouch for the value: ask zod. */
export const DECLINE: unique symbol = Symbol('decline');
type Declined = typeof DECLINE;

export type Direction = 'decode' | 'encode';
/** Value in, value out (or DECLINE) in one direction. */
type Plan = (value: unknown, direction: Direction) => unknown;

interface CheckDef {
  readonly check: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly value?: number;
  readonly inclusive?: boolean;
}
interface Check {
  readonly _zod: {
    readonly def: CheckDef;
    readonly check?: (payload: { value: unknown; issues: unknown[] }) => unknown;
  };
}
interface Def {
  readonly type: string;
  readonly format?: string;
  readonly checks?: readonly Check[];
  readonly shape?: Record<string, z.core.$ZodType>;
  readonly catchall?: z.core.$ZodType;
  readonly innerType?: z.core.$ZodType;
  readonly options?: readonly z.core.$ZodType[];
  readonly entries?: Record<string, unknown>;
  readonly keyType?: z.core.$ZodType;
  readonly valueType?: z.core.$ZodType;
  readonly in?: z.core.$ZodType;
  readonly out?: z.core.$ZodType;
  readonly transform?: (value: unknown, payload: { value: unknown; issues: unknown[] }) => unknown;
  readonly reverseTransform?: (value: unknown, payload: { value: unknown; issues: unknown[] }) => unknown;
  readonly fn?: unknown;
}

const defOf = (schema: z.core.$ZodType): Def => schema._zod.def as unknown as Def;
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);

/** A predicate for a string/number check zod would run, or undefined for a check the plan does not know. */
function checkPlan(check: Check): ((value: never) => boolean) | undefined {
  const def = check._zod.def;
  switch (def.check) {
    case 'min_length':
      return (value: string) => value.length >= def.minimum!;
    case 'max_length':
      return (value: string) => value.length <= def.maximum!;
    case 'greater_than':
      return def.inclusive ? (value: number) => value >= def.value! : (value: number) => value > def.value!;
    case 'less_than':
      return def.inclusive ? (value: number) => value <= def.value! : (value: number) => value < def.value!;
    default:
      return undefined;
  }
}

/** Predicates of all checks, or undefined when one is unknown. */
function checksPlan(def: Def): ((value: never) => boolean)[] | undefined {
  const predicates: ((value: never) => boolean)[] = [];
  for (const check of def.checks ?? []) {
    const predicate = checkPlan(check);
    if (!predicate) return undefined;
    predicates.push(predicate);
  }
  return predicates;
}

/** A refinement's own check function run on a value: true when it raised no issue. */
function refinementPasses(check: Check, value: unknown): boolean {
  const payload = { value, issues: [] as unknown[] };
  const result = check._zod.check!(payload);
  if (result instanceof Promise) return false;
  return payload.issues.length === 0;
}

/** The plan of a schema, or undefined when some part of it is outside what the plan knows. */
export function compilePlan(schema: z.core.$ZodType): Plan | undefined {
  const def = defOf(schema);
  switch (def.type) {
    case 'string': {
      const checks = checksPlan(def);
      if (!checks || def.format !== undefined) return undefined;
      return (value) =>
        typeof value === 'string' && checks.every((c) => (c as (v: string) => boolean)(value)) ? value : DECLINE;
    }
    case 'number': {
      const checks = checksPlan(def);
      if (!checks || (def.format !== undefined && def.format !== 'safeint')) return undefined;
      const integer = def.format === 'safeint';
      return (value) =>
        typeof value === 'number' &&
        Number.isFinite(value) &&
        (!integer || Number.isSafeInteger(value)) &&
        checks.every((c) => (c as (v: number) => boolean)(value))
          ? value
          : DECLINE;
    }
    case 'enum': {
      if (def.checks?.length) return undefined;
      const allowed = new Set(Object.values(def.entries ?? {}));
      return (value) => (allowed.has(value) ? value : DECLINE);
    }
    case 'unknown':
      return def.checks?.length ? undefined : (value) => value;
    case 'custom': {
      // z.custom<T>(fn): zod's own predicate (always true when none was given).
      const fn = def.fn;
      if (typeof fn !== 'function' || def.checks?.length) return undefined;
      return (value) => {
        const accepted = (fn as (value: unknown) => unknown)(value);
        return accepted && !(accepted instanceof Promise) ? value : DECLINE;
      };
    }
    case 'optional': {
      const inner = def.innerType && compilePlan(def.innerType);
      return inner && ((value, direction) => (value === undefined ? undefined : inner(value, direction)));
    }
    case 'nullable': {
      const inner = def.innerType && compilePlan(def.innerType);
      return inner && ((value, direction) => (value === null ? null : inner(value, direction)));
    }
    case 'union': {
      const options = (def.options ?? []).map(compilePlan);
      if (options.length === 0 || def.checks?.length || options.some((o) => o === undefined)) return undefined;
      return (value, direction) => {
        for (const option of options as Plan[]) {
          const result = option(value, direction);
          if (result !== DECLINE) return result;
        }
        return DECLINE;
      };
    }
    case 'record': {
      if (def.checks?.length || !def.keyType || !def.valueType) return undefined;
      const key = defOf(def.keyType);
      if (key.type !== 'string' || key.checks?.length) return undefined;
      const entry = compilePlan(def.valueType);
      if (!entry) return undefined;
      return (value, direction) => {
        if (!isPlainObject(value)) return DECLINE;
        const out: Record<string, unknown> = {};
        for (const name of Object.keys(value)) {
          if (name === '__proto__') return DECLINE;
          const result = entry(value[name], direction);
          if (result === DECLINE) return DECLINE;
          out[name] = result;
        }
        return out;
      };
    }
    case 'pipe': {
      // Codecs only (transform both ways): wire side `in`, canonical side `out`, zod's own transform functions.
      if (!def.in || !def.out || !def.transform || !def.reverseTransform || def.checks?.length) return undefined;
      const wire = compilePlan(def.in);
      const canonical = compilePlan(def.out);
      if (!wire || !canonical) return undefined;
      const run = (
        first: Plan,
        transform: NonNullable<Def['transform']>,
        second: Plan,
        value: unknown,
        direction: Direction,
      ) => {
        const a = first(value, direction);
        if (a === DECLINE) return DECLINE;
        const payload = { value: a, issues: [] as unknown[] };
        const b = transform(a, payload);
        if (payload.issues.length > 0 || b instanceof Promise) return DECLINE;
        return second(b, direction);
      };
      return (value, direction) =>
        direction === 'decode'
          ? run(wire, def.transform!, canonical, value, direction)
          : run(canonical, def.reverseTransform!, wire, value, direction);
    }
    case 'object': {
      // Objects that strip unknown keys only (no catchall: strict and loose objects are zod's to read).
      if (!def.shape || def.catchall !== undefined) return undefined;
      const fields: { name: string; plan: Plan; optional: boolean }[] = [];
      for (const [name, field] of Object.entries(def.shape)) {
        const plan = compilePlan(field);
        if (!plan) return undefined;
        const optional = field._zod.optin === 'optional';
        if (optional !== (field._zod.optout === 'optional')) return undefined; // defaults and the like: zod's
        fields.push({ name, plan, optional });
      }
      const refinements = def.checks ?? [];
      if (refinements.some((c) => typeof c._zod.check !== 'function' || c._zod.def.check !== 'custom'))
        return undefined;
      return (value, direction) => {
        if (!isPlainObject(value)) return DECLINE;
        const out: Record<string, unknown> = {};
        for (const { name, plan, optional } of fields) {
          const present = name in value;
          if (!present) {
            if (optional) continue;
            return DECLINE;
          }
          const result = plan(value[name], direction);
          if (result === DECLINE) return DECLINE;
          out[name] = result;
        }
        for (const refinement of refinements) if (!refinementPasses(refinement, out)) return DECLINE;
        return out;
      };
    }
    default:
      return undefined;
  }
}

const plans = new WeakMap<z.core.$ZodType, Plan | null>();

/** The value through the schema's plan in one direction, or DECLINE (ask zod). Plans are compiled once per schema. */
export function throughPlan(schema: z.core.$ZodType, value: unknown, direction: Direction): unknown | Declined {
  let plan = plans.get(schema);
  if (plan === undefined) {
    plan = compilePlan(schema) ?? null;
    plans.set(schema, plan);
  }
  return plan === null ? DECLINE : plan(value, direction);
}
