import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { colorEnabled, colorsFor } from '../../../harness/colors.js';
import { progressReporter } from '../../../harness/cli/progress.js';

const terminal = (hasColors = true) => ({ isTTY: true, hasColors: () => hasColors });
const file = { isTTY: false };
const ESC = '\u001b[';

describe('colour per stream (issue #18: escape codes were written into log files)', () => {
  it('a terminal gets colour, a file or pipe none', () => {
    expect(colorEnabled(terminal(), {})).toBe(true);
    expect(colorEnabled(file, {})).toBe(false);
    expect(colorsFor(file, {}).green('ok')).toBe('ok');
    expect(colorsFor(terminal(), {}).green('ok')).toContain(ESC);
  });

  it("NO_COLOR (and TERM=dumb) reach us through Node's own terminal check", () => {
    expect(colorEnabled(terminal(false), { NO_COLOR: '1' })).toBe(false);
  });

  it('FORCE_COLOR decides when set: 0 and false turn colour off even on a terminal, anything else on even in a file', () => {
    expect(colorEnabled(terminal(), { FORCE_COLOR: '0' })).toBe(false);
    expect(colorEnabled(terminal(), { FORCE_COLOR: 'false' })).toBe(false);
    expect(colorEnabled(file, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled(file, { FORCE_COLOR: '' })).toBe(true);
  });

  it('a CI variable alone does not colour a file (picocolors alone would)', () => {
    expect(colorEnabled(file, { CI: 'true' })).toBe(false);
  });
});

describe('progress off a terminal', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('is plain lines, no spinner and no escape code', () => {
    vi.stubEnv('FORCE_COLOR', undefined);
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    let text = '';
    (stream as unknown as PassThrough).on('data', (chunk: Buffer) => (text += chunk.toString()));
    const report = progressReporter(stream);
    report({ step: 'start-broker', state: 'start', message: 'Starting 1 broker' });
    report({ step: 'start-broker', state: 'done', message: 'Kafka ready' });
    report({ step: 'wait-ready', state: 'fail', message: 'Not ready' });
    expect(text).toBe('- Starting 1 broker\n✔ Kafka ready\n✖ Not ready\n');
  });
});
