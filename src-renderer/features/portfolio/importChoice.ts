import { guessFormat, suggestAccountName } from './portfolioModel'

// The import dialog's format and account name as files are picked: each file brings its own guess (the
// format from its header, a name from its file name) without overwriting what the user chose or typed.

export type ImportFormat = 'binance' | 'coinbase' | 'kraken' | 'generic'

export interface ImportChoice {
  /** The account field as it reads. */
  account: string
  /** The name last filled in from a file's name (null: none yet); while the field still reads it, the user has not typed one. */
  suggested: string | null
  /** The format shown. */
  format: ImportFormat
  /** The format the user picked themselves ('generic' until they do): what a file with no recognised header gets. */
  chosenFormat: ImportFormat
}

export const initialChoice: ImportChoice = { account: '', suggested: null, format: 'generic', chosenFormat: 'generic' }

/** The choice after a file is read: its guesses replace the previous file's, never the user's own. */
export function choiceForFile(choice: ImportChoice, fileName: string, text: string): ImportChoice {
  const untouched = choice.account.trim() === '' || choice.account === choice.suggested
  const suggestion = suggestAccountName(fileName)
  return {
    ...choice,
    account: untouched ? suggestion : choice.account,
    suggested: untouched ? suggestion : choice.suggested,
    format: guessFormat(text) ?? choice.chosenFormat,
  }
}

/** An import account already holding files of the format, and how many of the picked file's rows it has (portfolio.importCheck). */
export interface ImportOverlap {
  account: string
  rows: number
  /** Rows checked (a large file's first and last ones); `already` counts among these. */
  sampled: number
  already: number
}

/**
 * The account proposed once the engine said which import accounts hold files of this format (most rows
 * already there first, then the newest): the same export under another file name goes where its rows
 * are, not into a second account that counts them again; the next export of the same exchange goes to
 * that exchange's account. A generic file none of whose rows is stored keeps its own name: the format
 * says nothing about where it came from. A name the user typed stays.
 */
export function proposeAccount(choice: ImportChoice, overlaps: readonly ImportOverlap[]): ImportChoice {
  const best = overlaps[0]
  const untouched = choice.account.trim() === '' || choice.account === choice.suggested
  if (!best || !untouched) return choice
  if (best.already === 0 && choice.format === 'generic') return choice
  return { ...choice, account: best.account, suggested: best.account }
}

/**
 * What to ask before importing into `account` rows another import account holds already (and which account
 * to offer instead), or null. The check may list `account` itself (made before it was chosen): never offered.
 */
export function overlapQuestion(overlaps: readonly ImportOverlap[], account: string): { warning: string; account: string } | null {
  const held = overlaps.find((o) => o.already > 0 && o.account !== account.trim())
  if (!held) return null
  // A large file is checked by a sample: what it says is about the rows checked, not the whole file.
  const of = held.sampled < held.rows ? `the ${held.sampled} rows checked (of ${held.rows})` : `${held.rows} rows`
  return { warning: `${held.already} of ${of} are already in ${held.account} — import there instead?`, account: held.account }
}

export const overlapWarning = (overlaps: readonly ImportOverlap[], account: string): string | null => overlapQuestion(overlaps, account)?.warning ?? null

/** The user picked a format in the list: it stands for files whose header says nothing. */
export const chooseFormat = (choice: ImportChoice, format: ImportFormat): ImportChoice => ({ ...choice, format, chosenFormat: format })
