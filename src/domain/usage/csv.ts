/**
 * One CSV cell of a download (the export, the operator's statement). Excel opens UTF-8 only with a BOM (the
 * callers write it); a cell starting with = + - @ would be run as a formula, so it is prefixed and quoted.
 */
export function csvCell(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replaceAll('"', '""')}"` : safe;
}
