/** What a step did: the users whose numbers it changed, and how many CRS calls it made. */
export interface StepOutcome {
  changedUsers: Set<string>;
  crsCalls: number;
}

export const noChange = (crsCalls = 0): StepOutcome => ({ changedUsers: new Set(), crsCalls });
