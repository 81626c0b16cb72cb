import { z } from 'zod'

/** A file the engine made for the user to save (a report, an export): the renderer downloads it as is. */
export const fileExportSchema = z.object({
  fileName: z.string(),
  mime: z.string(),
  /** 'utf8' for text (CSV), 'base64' for bytes (PDF). */
  encoding: z.enum(['utf8', 'base64']),
  data: z.string(),
})
export type FileExport = z.infer<typeof fileExportSchema>
