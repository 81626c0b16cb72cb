import { useEffect, useState } from 'react'
import { api } from '../api'
import type { AppInfo } from '../../src-main/api/contract'

export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null)
  useEffect(() => {
    void api.invoke('app.info', {}).then(setInfo)
  }, [])
  return <div className="app">{info ? `${info.name} ${info.version}` : 'Connecting…'}</div>
}
