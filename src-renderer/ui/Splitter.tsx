import { Separator, type SeparatorProps } from 'react-resizable-panels'
import { dispatchKey } from '../app/hotkeys/dispatcher'

/**
 * A panel separator: arrows, Home/End and Enter resize (the library's keys). App shortcuts come first:
 * the library would otherwise take F6 to hop between separators, trapping focus in a one-separator split.
 */
export function Splitter(props: SeparatorProps) {
  return <Separator className="separator" {...props} onKeyDownCapture={(e) => dispatchKey(e.nativeEvent)} />
}
