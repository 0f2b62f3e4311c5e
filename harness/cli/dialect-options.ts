import type { Argv } from 'yargs';
import type { ReadConfigOptions } from '../config/read.js';
import { DEFAULT_PROFILE } from '../config/quarkus.js';
import { DIALECT_NAMES, type DialectName, READ_DIALECTS, type ReadDialect } from '../vocabulary.js';

// `--dialect` and `--profile`, once for every command: the wire dialect (and where a command reads, `auto`)
// and the Quarkus profile whose `%<profile>.` keys of --config apply. Topic names default to the dialect's.

export interface DialectArgs {
  dialect: ReadDialect;
  profile: string;
}

const DESCRIBE = {
  write:
    "Wire dialect: spec (the protocol README) or upstream (the Gamelan Java code); topic names default to the dialect's",
  read: "Read records as the protocol README (spec), the Gamelan Java code (upstream), or detect per record (auto); topic names default to the dialect's (spec for auto)",
} as const;

/** `--dialect spec|upstream` (`auto` too when `reads`), default spec, and `--profile` (default dev). */
export function withDialectOptions<T>(
  yargs: Argv<T>,
  options: { readonly reads?: boolean; readonly describe?: string } = {},
) {
  const choices = options.reads ? READ_DIALECTS : DIALECT_NAMES;
  return yargs
    .option('dialect', {
      choices,
      default: 'spec' as ReadDialect,
      describe: options.describe ?? DESCRIBE[options.reads ? 'read' : 'write'],
    })
    .option('profile', {
      type: 'string',
      default: DEFAULT_PROFILE,
      describe: 'Quarkus profile of --config whose %<profile>. keys apply',
    });
}

/** The dialect whose topic defaults apply (`auto` reads anything, its names are the README's). */
export function topicDialect(dialect: ReadDialect | undefined): DialectName {
  return dialect === undefined || dialect === 'auto' ? 'spec' : dialect;
}

/** How a command reads --config: its profile and its dialect's topic defaults. */
export function readConfigOptionsFrom(argv: {
  readonly dialect?: ReadDialect | undefined;
  readonly profile?: string | undefined;
}): ReadConfigOptions {
  return { dialect: topicDialect(argv.dialect), ...(argv.profile === undefined ? {} : { profile: argv.profile }) };
}
