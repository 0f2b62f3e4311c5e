import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import { readConfigOptionsFrom, topicDialect, withDialectOptions } from '../../../harness/cli/dialect-options.js';
import { readConfig } from '../../../harness/config/index.js';

// --dialect and --profile, once for every command: what they parse to and how --config is then read.
const parse = (args: string[], reads = false) =>
  withDialectOptions(
    yargs(args)
      .exitProcess(false)
      .fail((msg) => {
        throw new Error(msg);
      }),
    { reads },
  ).parseSync();

describe('--dialect and --profile', () => {
  it('default to spec and dev', () => {
    expect(parse([])).toMatchObject({ dialect: 'spec', profile: 'dev' });
  });

  it('a writing command takes spec|upstream only; a reading one auto too', () => {
    expect(parse(['--dialect', 'upstream'])).toMatchObject({ dialect: 'upstream' });
    expect(() => parse(['--dialect', 'auto'])).toThrow(
      /Invalid values:[\s\S]*Argument: dialect, Given: "auto", Choices: "spec", "upstream"/,
    );
    expect(parse(['--dialect', 'auto'], true)).toMatchObject({ dialect: 'auto' });
  });

  it("the topic defaults are the dialect's (auto reads with the README's names)", () => {
    expect(topicDialect('auto')).toBe('spec');
    expect(topicDialect(undefined)).toBe('spec');
    expect(readConfig(undefined, readConfigOptionsFrom({ dialect: 'upstream' })).gamelan.tasks.topic).toBe(
      'workflow-tasks',
    );
    expect(readConfig(undefined, readConfigOptionsFrom({ dialect: 'auto' })).gamelan.tasks.topic).toBe(
      'gamelan.workflow-tasks',
    );
    expect(readConfigOptionsFrom({ dialect: 'upstream', profile: 'prod' })).toEqual({
      dialect: 'upstream',
      profile: 'prod',
    });
  });
});
