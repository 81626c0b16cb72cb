/**
 * stream.longest-task's figure: the longest renderer long task; with none reported (the API reports only tasks
 * over 50 ms), the worst lateness of the page's 5 ms timer chain, not capped at the budget: a cap made the row
 * unable to score below 1×, and a stall is a stall to the user whether a task or the OS caused it.
 */
export function longestBlock(longTaskMs: number[], timerLagMs: number): number {
  return longTaskMs.length > 0 ? Math.max(...longTaskMs) : timerLagMs
}
