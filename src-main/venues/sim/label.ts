// What the simulated exchange's account is called everywhere it is shown: Balances, Orders and the ticket
// (the venue list), and the ledger screens (Portfolio, P&L, tax, leaderboard), which name its ledger account
// 'sim'. One name, so the user sees one account. Not "Paper …": paper accounts are the ones opened on a
// venue's book ("Paper · Simulated exchange"), a different account.
export const SIM_ACCOUNT_LABEL = 'Simulated exchange'
