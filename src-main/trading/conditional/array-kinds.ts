// Empty arrays whose V8 "elements kind" is already the one they will hold.
//
// A `[]` literal starts as small-integer elements and changes kind (and hidden class) on its first object
// or fractional push. The trigger index's firing path runs rarely, so V8 compiles it only from the warm-up
// (warm-up.ts); code compiled against arrays of one kind is thrown away ("wrong map" deopt) the first time
// it meets a fresh array of another kind — a real market's first fire did exactly that, and the firing
// path then ran uncompiled for the rest of the session. Arrays made here have their final kind from the
// start, so every index, batch and heap shows the compiled code the same shape.

/** An empty array for objects (already of the "any value" kind). */
export function objectArray<T>(): T[] {
  const a: unknown[] = [null]
  a.length = 0
  return a as T[]
}

/** An empty array for numbers (already of the "double" kind). */
export function numberArray(): number[] {
  const a = [0.5]
  a.length = 0
  return a
}

/** The values `keep` accepts, in order, in an array of the object kind (Array.filter's starts empty). */
export function kept<T>(xs: readonly T[], keep: (x: T) => boolean): T[] {
  const out = objectArray<T>()
  for (const x of xs) if (keep(x)) out.push(x)
  return out
}
