// Broker logging: log4j2 (properties format). Native brokers log to one file per node in the
// cache's logs/<start-id>/; containers log to stdout (`docker logs`). Levels are the same.

type Appender = { readonly kind: 'file'; readonly file: string } | { readonly kind: 'stdout' };

/** The log4j2 configuration (properties format) for one broker node. */
export function log4jProperties(appender: Appender): string {
  const name = appender.kind;
  const target =
    appender.kind === 'file'
      ? [`appender.file.type = File`, `appender.file.fileName = ${appender.file.replace(/\\/g, '/')}`]
      : [`appender.stdout.type = Console`];
  return [
    'status = warn',
    ...target,
    `appender.${name}.name = ${name}`,
    `appender.${name}.layout.type = PatternLayout`,
    `appender.${name}.layout.pattern = [%d] %p %m (%c)%n`,
    'rootLogger.level = INFO',
    `rootLogger.appenderRef.${name}.ref = ${name}`,
    // The controller's per-record replay lines dwarf everything else.
    'logger.controller.name = org.apache.kafka.controller',
    'logger.controller.level = WARN',
    'logger.state.name = state.change.logger',
    'logger.state.level = WARN',
    '',
  ].join('\n');
}
