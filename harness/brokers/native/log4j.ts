// Broker logging: log4j2 (properties format) to one file per node, in the cache's logs/<start-id>/.

/** The log4j2 configuration (properties format) sending everything to one file per node. */
export function log4jProperties(logFile: string): string {
  return [
    'status = warn',
    'appender.file.type = File',
    'appender.file.name = file',
    `appender.file.fileName = ${logFile.replace(/\\/g, '/')}`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.file.ref = file',
    // The controller's per-record replay lines dwarf everything else.
    'logger.controller.name = org.apache.kafka.controller',
    'logger.controller.level = WARN',
    'logger.state.name = state.change.logger',
    'logger.state.level = WARN',
    '',
  ].join('\n');
}
