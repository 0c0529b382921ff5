/**
 * Babeltrace value objects (params, query results, user attributes):
 * null, bool, unsigned/signed integer, real, string, array, map.
 */
export type Value =
  | { type: "null" }
  | { type: "bool"; value: boolean }
  | { type: "uint"; value: bigint }
  | { type: "sint"; value: bigint }
  | { type: "real"; value: number }
  | { type: "string"; value: string }
  | { type: "array"; items: Value[] }
  | { type: "map"; entries: Map<string, Value> };

export type MapValue = Extract<Value, { type: "map" }>;

export const vNull: Value = { type: "null" };
export const vBool = (value: boolean): Value => ({ type: "bool", value });
export const vUint = (value: bigint | number): Value => ({ type: "uint", value: BigInt(value) });
export const vSint = (value: bigint | number): Value => ({ type: "sint", value: BigInt(value) });
export const vReal = (value: number): Value => ({ type: "real", value });
export const vString = (value: string): Value => ({ type: "string", value });
export const vArray = (items: Value[]): Value => ({ type: "array", items });
export function vMap(entries: Record<string, Value> | Map<string, Value> = {}): MapValue {
  return { type: "map", entries: entries instanceof Map ? entries : new Map(Object.entries(entries)) };
}

/** Copies `src`'s entries over `dst` (recursively for maps), as babeltrace's `bt_value_map_extend`. */
export function extendMap(dst: MapValue, src: MapValue): MapValue {
  const out = vMap(new Map(dst.entries));
  for (const [k, v] of src.entries) out.entries.set(k, v);
  return out;
}
