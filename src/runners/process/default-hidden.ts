/**
 * Host paths no instance ever sees (an empty tmpfs, or an empty file for files, takes their place).
 * The runner adds its own runRoot and the caller adds Clary's data dir and anything else secret.
 * /run holds the sockets of the host's daemons (a container engine's socket is root on the host).
 */
export const DEFAULT_HIDDEN_PATHS: readonly string[] = [
  '/root',
  '/home',
  '/run',
  '/var/run',
  '/etc/shadow',
  '/etc/gshadow',
  '/etc/ssh',
  '/var/lib/clary',
];
