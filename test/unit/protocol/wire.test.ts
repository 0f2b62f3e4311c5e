import { describe, expect, it, vi } from 'vitest';
import {
  formatIsoDuration,
  formatInstant,
  normalizeInstant,
  parseIsoDuration,
} from '../../../harness/protocol/index.js';

describe('Instant (Java Instant.toString())', () => {
  it.each([
    ['2024-05-01T10:15:30Z', '2024-05-01T10:15:30Z'],
    ['2024-05-01T10:15:30.000Z', '2024-05-01T10:15:30Z'],
    ['2024-05-01T10:15:30.5Z', '2024-05-01T10:15:30.500Z'],
    ['2024-05-01T10:15:30.1234Z', '2024-05-01T10:15:30.123400Z'],
    ['2024-05-01T10:15:30.123456789Z', '2024-05-01T10:15:30.123456789Z'],
    ['2024-05-01T12:15:30+02:00', '2024-05-01T10:15:30Z'],
    ['2024-05-01T05:15:30-0500', '2024-05-01T10:15:30Z'],
    ['2024-05-01T00:30:00+01', '2024-04-30T23:30:00Z'],
    ['2024-05-01T10:15Z', '2024-05-01T10:15:00Z'],
    ['2024-12-31T23:59:59.999-01:00', '2025-01-01T00:59:59.999Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00Z'],
    ['2024-05-01T10:15:30.120000Z', '2024-05-01T10:15:30.120Z'],
    ['2024-05-01T10:15:30.123456000Z', '2024-05-01T10:15:30.123456Z'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeInstant(input)).toBe(expected);
  });

  it('keeps text that is already Instant.toString() as it is, and only such text (every day of four years, odd times)', () => {
    for (let day = Date.UTC(1999, 11, 25); day < Date.UTC(2004, 0, 5); day += 86_400_000) {
      for (const [ms, nanos] of [
        [0, 0],
        [45_296_120, 120_000_000],
        [86_399_999, 999_000_000],
        [3_723_000, 123_456_789],
      ] as const) {
        const written = formatInstant(Math.floor((day + ms) / 1000), nanos);
        expect(normalizeInstant(written)).toBe(written);
      }
    }
  });

  it.each([
    '2024-05-01T10:15:30',
    '2024-05-01',
    '2023-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2024-04-31T00:00:00Z',
    '2024-00-10T00:00:00Z',
    '2024-05-01T24:00:00Z',
    '2024-05-01T10:15:30.1234567890Z',
    'now',
  ])('rejects %s', (input) => {
    expect(normalizeInstant(input)).toBeUndefined();
  });
});

describe('Duration (Jackson writes decimal seconds, reads ISO-8601 too)', () => {
  it.each([
    ['PT1.5S', 1.5],
    ['PT0S', 0],
    ['PT1M2.5S', 62.5],
    ['PT2H', 7200],
    ['P1DT1S', 86_401],
    ['PT0.000000001S', 1e-9],
    ['pt3s', 3],
    ['PT-1.5S', -1.5],
  ])('%s = %d s', (text, seconds) => {
    expect(parseIsoDuration(text)).toBe(seconds);
  });

  it.each(['P', 'PT', 'PT1.5', '1.5S', 'PT1.1234567890S'])('rejects %s', (text) => {
    expect(parseIsoDuration(text)).toBeUndefined();
  });

  it('formats like Duration.toString()', () => {
    expect(formatIsoDuration(1.5)).toBe('PT1.5S');
    expect(formatIsoDuration(62.5)).toBe('PT1M2.5S');
    expect(formatIsoDuration(3600)).toBe('PT1H');
    expect(formatIsoDuration(0)).toBe('PT0S');
  });
});

describe('the remembered canonical instant', () => {
  it('refuses an empty text before any instant was checked (a fresh module), and after one was', async () => {
    vi.resetModules();
    const fresh = await import('../../../harness/protocol/wire.js');
    expect(fresh.normalizeInstant('')).toBeUndefined();
    expect(fresh.normalizeInstant('2026-11-28T09:00:00Z')).toBe('2026-11-28T09:00:00Z');
    expect(fresh.normalizeInstant('2026-11-28T09:00:00Z')).toBe('2026-11-28T09:00:00Z'); // the remembered one
    expect(fresh.normalizeInstant('')).toBeUndefined();
    expect(fresh.instantAt(Date.UTC(2026, 10, 28, 9, 0, 0, 120))).toBe('2026-11-28T09:00:00.120Z');
    expect(fresh.instantAt(Date.UTC(2026, 10, 28, 9, 0, 0, 120))).toBe('2026-11-28T09:00:00.120Z');
    expect(fresh.instantAt(Date.UTC(2026, 10, 28, 9, 0, 1))).toBe('2026-11-28T09:00:01Z');
  });
});
