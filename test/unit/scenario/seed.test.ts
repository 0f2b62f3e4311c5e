import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../harness/errors.js';
import { describeNetworkTarget, FaultLog, loggedChildExecutor } from '../../../harness/scenario/fault-schedule.js';
import { seededFaker } from '../../../harness/scenario/context.js';
import {
  parseSeed,
  randomSeed,
  replayCommand,
  SEED_ENV,
  SEED_MAX,
  SeededRandom,
} from '../../../harness/scenario/seed.js';
import type { ChildExecutor } from '../../../harness/executors/child-executor.js';

const draws = (r: SeededRandom, purpose: string, n = 5) =>
  Array.from({ length: n }, () => r.stream(purpose).nextUint32());

describe('seeded streams', () => {
  it('the same seed, scope and purpose give the same draws; another seed or scope gives others', () => {
    expect(draws(new SeededRandom(7, 'chaos-crash-storm'), 'crash timing')).toEqual(
      draws(new SeededRandom(7, 'chaos-crash-storm'), 'crash timing'),
    );
    expect(draws(new SeededRandom(8, 'chaos-crash-storm'), 'crash timing')).not.toEqual(
      draws(new SeededRandom(7, 'chaos-crash-storm'), 'crash timing'),
    );
    expect(draws(new SeededRandom(7, 'chaos-slow-network'), 'crash timing')).not.toEqual(
      draws(new SeededRandom(7, 'chaos-crash-storm'), 'crash timing'),
    );
  });

  it('streams are independent: a draw added for one purpose does not shift another purpose', () => {
    const a = new SeededRandom(7, 's');
    const b = new SeededRandom(7, 's');
    b.stream('victim').int(1, 3); // one more draw in another place
    b.stream('victim').pick(['x', 'y']);
    expect(draws(b, 'timing')).toEqual(draws(a, 'timing'));
  });

  it('stream(purpose) continues where it stopped (one stream object per purpose)', () => {
    const r = new SeededRandom(3);
    const first = r.stream('p').nextUint32();
    expect(r.stream('p')).toBe(r.stream('p'));
    expect([first, ...draws(r, 'p', 3)]).toEqual(draws(new SeededRandom(3), 'p', 4));
  });

  it('pinned values: seed 7 draws these, on every machine (a change here breaks every pinned chaos seed)', () => {
    const r = new SeededRandom(7, 'chaos-crash-storm');
    expect(draws(r, 'crash timing', 3)).toMatchInlineSnapshot(`
      [
        284536260,
        2062497818,
        629696120,
      ]
    `);
  });

  it('int, pick, chance and shuffle stay in range and look uniform', () => {
    const s = new SeededRandom(1).stream('uniform');
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[s.int(0, 3)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    const f = Array.from({ length: 10_000 }, () => s.next());
    expect(Math.min(...f)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...f)).toBeLessThan(1);
    expect(['a', 'b', 'c']).toContain(s.pick(['a', 'b', 'c']));
    expect(s.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
    const hits = Array.from({ length: 10_000 }, () => s.chance(0.2)).filter(Boolean).length;
    expect(Math.abs(hits - 2_000)).toBeLessThan(200);
    expect(() => s.int(3, 1)).toThrow(ConfigError);
    expect(() => s.pick([])).toThrow(/empty list/);
  });

  it('faker: an instance per seed and scope, the same data for the same seed, no global state', () => {
    const data = (seed: number) => {
      const f = seededFaker(new SeededRandom(seed, 'replay').fakerSeed());
      return [f.person.fullName(), f.string.uuid(), f.number.int({ max: 1000 })];
    };
    expect(data(7)).toEqual(data(7));
    expect(data(7)).not.toEqual(data(8));
    const r = new SeededRandom(7, 'replay');
    expect(seededFaker(r.fakerSeed('other')).string.uuid()).not.toEqual(seededFaker(r.fakerSeed()).string.uuid());
  });

  it('scoped(): a sub-scope draws its own stream, deterministically', () => {
    expect(draws(new SeededRandom(7, 's').scoped('executor-1'), 'p')).toEqual(
      draws(new SeededRandom(7, 's/executor-1'), 'p'),
    );
  });
});

describe('parseSeed', () => {
  it('takes whole numbers 0…4294967295 from text or numbers', () => {
    expect(parseSeed('7')).toBe(7);
    expect(parseSeed(' 0 ')).toBe(0);
    expect(parseSeed(String(SEED_MAX))).toBe(SEED_MAX);
    expect(parseSeed(42)).toBe(42);
    const s = randomSeed();
    expect(Number.isInteger(s) && s >= 0 && s <= SEED_MAX).toBe(true);
  });

  it.each(['', 'seven', '-1', '1.5', '4294967296', '0x10', '1e3', 'NaN'])(
    'refuses %j with the flag, the value and what is allowed',
    (bad) => {
      let error: unknown;
      try {
        parseSeed(bad);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).code).toBe('CONFIG_INVALID_VALUE');
      expect((error as Error).message).toContain(
        `--seed ${JSON.stringify(bad)} is not allowed: a seed is a whole number from 0 to 4294967295`,
      );
      expect((error as ConfigError).details).toEqual({ key: '--seed', value: bad });
    },
  );

  it('names the environment variable when the seed came from it', () => {
    expect(() => parseSeed('x', SEED_ENV)).toThrow(`GAMELAN_SEED "x" is not allowed`);
  });
});

describe('replayCommand', () => {
  it('is the README form of run, with the names and the seed', () => {
    expect(replayCommand(['chaos-crash-storm'], 7)).toBe('npx gamelan-harness run chaos-crash-storm --seed 7');
    expect(replayCommand(['my dir/a.ts', 'b'], 3, ['--long'])).toBe(
      "npx gamelan-harness run 'my dir/a.ts' b --long --seed 3",
    );
  });
});

describe('FaultLog', () => {
  it('keeps planned faults in order and applied ones with their times', () => {
    let now = 1_000;
    const log = new FaultLog(() => now);
    log.plan({ what: 'kill -9', target: 'broker 2', when: 'after 10 runs', delayMs: 300 });
    const end = log.begin('blackhole', 'lane executor-1');
    now = 4_000;
    end();
    log.begin('kill -9', 'broker 3');
    now = 6_000;
    expect(log.endOpen('broker 3')).toBe(true);
    expect(log.endOpen('broker 3')).toBe(false);
    expect(log.snapshot()).toEqual({
      planned: [{ what: 'kill -9', target: 'broker 2', when: 'after 10 runs', delayMs: 300 }],
      applied: [
        { what: 'blackhole', target: 'lane executor-1', from: 1_000, to: 4_000 },
        { what: 'kill -9', target: 'broker 3', from: 4_000, to: 6_000 },
      ],
    });
  });

  it("a child executor's kill -9 is logged as an instant fault on its lifeline", async () => {
    const log = new FaultLog(() => 5);
    let crashed = false;
    const child = {
      id: 'import-executor-child-1',
      pid: 1,
      crash: async () => void (crashed = true),
      stop: async () => {},
      [Symbol.asyncDispose]: async () => {},
    } as ChildExecutor;
    await loggedChildExecutor(child, log).crash();
    expect(crashed).toBe(true);
    expect(log.snapshot().applied).toEqual([
      {
        what: 'kill -9',
        target: 'executor import-executor-child-1',
        lane: 'executor:import-executor-child-1',
        from: 5,
        to: 5,
      },
    ]);
  });

  it('describes network targets', () => {
    expect(describeNetworkTarget()).toBe('every lane');
    expect(describeNetworkTarget({ client: 'executor-1' })).toBe('lane executor-1');
    expect(describeNetworkTarget({ client: ['engine'], broker: [1, 2] })).toBe('lane engine → broker 1, 2');
  });
});
