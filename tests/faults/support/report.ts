/**
 * The suite's figures (fault → what was measured), printed as the scenarios run, so a CI log shows what each
 * promise held with. Figures are reported, never asserted as durations.
 */
export function report(fault: string, figure: string): void {
  process.stdout.write(`[faults] ${fault}: ${figure}\n`);
}
