/** The Leaderboard table's DOM id (its keys: ↑/↓ select, F follows the selected account). */
export const LEADERBOARD_TABLE_ID = 'leaderboard-table'
