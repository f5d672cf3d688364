/**
 * A value as one POSIX shell word, quoted only when it must be, so every command Larder prints runs as written
 * (`larder check '/home/me/my project'`).
 */
export function shellWord(value: string): string {
  return /^[\w.@/:=+,-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}
