import { createHash, randomInt } from 'node:crypto';
import { ConfigError } from '../errors.js';

// One seed per run: every random choice a scenario makes (fault timing and victims, data) is drawn from it, so a
// failure seen once can be played again with `run <name> --seed N` and pinned in a test. Each purpose draws
// from its own stream, derived from (seed, scenario, purpose) by SHA-256: a draw added for one purpose does not
// shift the draws of another, and one scenario's draws do not depend on which scenarios ran before it.

/** The largest seed: seeds are unsigned 32-bit whole numbers. */
export const SEED_MAX = 0xffff_ffff;
/** The environment variable `run` reads a seed from when `--seed` is not given. */
export const SEED_ENV = 'GAMELAN_SEED';

/** A seed from a command line or the environment: a whole number 0…4294967295; anything else is a ConfigError naming `source`. */
export function parseSeed(value: unknown, source = '--seed'): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text !== undefined && /^\d{1,10}$/.test(text) && Number(text) <= SEED_MAX) return Number(text);
  throw new ConfigError(
    'CONFIG_INVALID_VALUE',
    `${source} ${JSON.stringify(value)} is not allowed: a seed is a whole number from 0 to ${SEED_MAX} (e.g. ${source === SEED_ENV ? `${SEED_ENV}=7` : `${source} 7`}); leave it out to have one chosen at random and printed.`,
    { key: source, value },
  );
}

/** A fresh seed, for a run that was not given one (it is printed and recorded all the same). */
export function randomSeed(): number {
  return randomInt(0, SEED_MAX + 1);
}

/** The command that plays these scenarios again with this seed, in the form the README and `--help` use. */
export function replayCommand(scenarios: readonly string[], seed: number, extra: readonly string[] = []): string {
  return ['npx gamelan-harness run', ...scenarios.map(shellWord), ...extra, `--seed ${seed}`].join(' ');
}

const shellWord = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/** Four 32-bit words of SHA-256 over the parts: the state of one stream. */
function stateOf(parts: readonly (string | number)[]): Uint32Array {
  const digest = createHash('sha256').update(parts.map(String).join('\u0000')).digest();
  const state = new Uint32Array([
    digest.readUInt32BE(0),
    digest.readUInt32BE(4),
    digest.readUInt32BE(8),
    digest.readUInt32BE(12),
  ]);
  if (state.every((w) => w === 0)) state[0] = 1; // xoshiro's one forbidden state
  return state;
}

/** One deterministic stream of numbers (xoshiro128**): the same seed and purpose give the same draws, in order. */
export class SeededStream {
  readonly #s: Uint32Array;

  constructor(
    readonly purpose: string,
    state: Uint32Array,
  ) {
    this.#s = state;
  }

  /** The next unsigned 32-bit whole number. */
  nextUint32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
    const t = s[1]! << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** A number in [0, 1), like Math.random(). */
  next(): number {
    return this.nextUint32() / 2 ** 32;
  }

  /** A whole number from `min` to `max`, both included. */
  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `random int(${min}, ${max}) is not allowed: min and max are whole numbers with min ≤ max`,
        { key: this.purpose, value: [min, max] },
      );
    }
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T {
    if (list.length === 0)
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `random pick from an empty list (${this.purpose}): there is nothing to choose`,
        { key: this.purpose },
      );
    return list[this.int(0, list.length - 1)]!;
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(list: readonly T[]): T[] {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

/**
 * The random source of one scenario (or any other scope) for one seed: `stream(purpose)` is the same stream object
 * for the same purpose, so draws for a purpose continue where they stopped; `faker(purpose)` is a Faker instance of
 * its own (no global state) seeded from that purpose.
 */
export class SeededRandom {
  readonly #streams = new Map<string, SeededStream>();

  constructor(
    readonly seed: number,
    /** What these draws belong to (a scenario's name): two scopes with one seed draw differently. */
    readonly scope = '',
  ) {
    parseSeed(seed, 'seed');
  }

  stream(purpose: string): SeededStream {
    let s = this.#streams.get(purpose);
    if (!s)
      this.#streams.set(
        purpose,
        (s = new SeededStream(purpose, stateOf(['gamelan-seed', this.seed, this.scope, purpose]))),
      );
    return s;
  }

  /**
   * The seed of a Faker instance for this seed, scope and purpose (`faker.seed(random.fakerSeed())`; the context's
   * `ctx.faker` is one): the same data for the same seed. Faker itself is not imported here, so a command that only
   * checks a seed does not load it.
   */
  fakerSeed(purpose = 'faker'): number[] {
    return [...stateOf(['gamelan-faker', this.seed, this.scope, purpose])];
  }

  /** The random source of a sub-scope (e.g. one executor of a scenario). */
  scoped(scope: string): SeededRandom {
    return new SeededRandom(this.seed, this.scope ? `${this.scope}/${scope}` : scope);
  }
}
