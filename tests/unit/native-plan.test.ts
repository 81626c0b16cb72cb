import { describe, expect, it } from 'vitest'
// @ts-expect-error -- plain .mjs build script without type declarations
import { planNative } from '../../scripts/native-plan.mjs'

type Plan = { action: string; marker: string }
const plan = planNative as (target: 'node' | 'electron', state: object) => Plan

describe('native module switching between Node and Electron', () => {
  it('rebuilds for Node only when the modules do not load in Node', () => {
    expect(plan('node', { marker: 'electron-45.4.1', loadsInNode: false, nodeAbi: '115', electronVersion: '45.4.1' })).toEqual({
      action: 'rebuild-node',
      marker: 'node-115',
    })
    expect(plan('node', { marker: null, loadsInNode: true, nodeAbi: '115', electronVersion: '45.4.1' }).action).toBe('none')
  })

  it('rebuilds for Electron after a Node build, and not twice', () => {
    expect(plan('electron', { marker: 'node-115', loadsInNode: false, nodeAbi: '115', electronVersion: '45.4.1' })).toEqual({
      action: 'rebuild-electron',
      marker: 'electron-45.4.1',
    })
    expect(plan('electron', { marker: null, loadsInNode: true, nodeAbi: '115', electronVersion: '45.4.1' }).action).toBe('rebuild-electron')
    expect(plan('electron', { marker: 'electron-45.4.1', loadsInNode: false, nodeAbi: '115', electronVersion: '45.4.1' }).action).toBe('none')
    expect(plan('electron', { marker: 'electron-44.0.0', loadsInNode: false, nodeAbi: '115', electronVersion: '45.4.1' }).action).toBe('rebuild-electron')
  })
})
