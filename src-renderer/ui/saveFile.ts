// Hands a file the engine made (a report's CSV or PDF) to the user as a download: in Electron the save
// dialog, in a browser on the headless door its downloads. The bytes come in the reply; nothing is fetched.

export function saveFile(name: string, mime: string, data: string, encoding: 'utf8' | 'base64'): void {
  const blob = encoding === 'base64' ? new Blob([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], { type: mime }) : new Blob([data], { type: mime })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.style.display = 'none'
  document.body.append(a)
  a.click()
  a.remove()
  // The download has its own reference by now; give it a moment before letting the blob go.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
