import type { MAX_FILE_MESSAGE_BYTES } from '../../../src-main/api/session'

// How large an export the app can send to the engine. The engine measures the command's input as JSON,
// where the file's text grows (CRLF line ends become \r\n, quotes \"): a 14.8 MiB file can be a 15.1 MiB
// message, so the dialog measures the encoded text, not the file.

/** The engine's limit for an import (the type fails to compile if the engine's number changes). */
export const IMPORT_LIMIT_BYTES: typeof MAX_FILE_MESSAGE_BYTES = 15_728_640
/** Room left for the rest of the command (account, format, file name). */
const ROOM_BYTES = 64 * 1024
const MAX_TEXT_BYTES = IMPORT_LIMIT_BYTES - ROOM_BYTES

const mib = (bytes: number) => (bytes / 1048576).toFixed(1)
const tooLarge = (fileName: string, size: string, format: string) =>
  `${fileName} is ${size}; the app imports files up to 15 MiB. Use the command line for larger ones: npm run cli -- import FILE --format ${format} --account NAME`

/** Before reading: a file whose raw size is already over the limit (its text can only be larger). */
export function fileTooLarge(fileName: string, fileBytes: number, format: string): string | null {
  return fileBytes > MAX_TEXT_BYTES ? tooLarge(fileName, `${mib(fileBytes)} MiB`, format) : null
}

/** After reading: the text as the engine will measure it, JSON-encoded in UTF-8. */
export function textTooLarge(fileName: string, text: string, format: string): string | null {
  const encoded = new TextEncoder().encode(JSON.stringify(text)).length
  return encoded > MAX_TEXT_BYTES ? tooLarge(fileName, `${mib(encoded)} MiB once encoded for the engine`, format) : null
}
