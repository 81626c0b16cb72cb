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

/** The user picked a format in the list: it stands for files whose header says nothing. */
export const chooseFormat = (choice: ImportChoice, format: ImportFormat): ImportChoice => ({ ...choice, format, chosenFormat: format })
