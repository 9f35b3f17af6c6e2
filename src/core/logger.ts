import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON-lines logger. Secrets are redacted wherever they might appear. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: ['secretAccessKey', '*.secretAccessKey', 'authorization', '*.authorization', 'headers.authorization', 'SecretAccessKey', '*.SecretAccessKey'],
        censor: '[redacted]',
      },
    },
    destination as never,
  );
}
