import winston from 'winston';

/** winston JSON logs on stdout, one object per line. */
export function createLogger(level = 'info'): winston.Logger {
  return winston.createLogger({
    level,
    format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json()),
    defaultMeta: { component: 'clockwork-operator' },
    transports: [new winston.transports.Console()],
  });
}
