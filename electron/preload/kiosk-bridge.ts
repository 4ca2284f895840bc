/** What the preload exposes as `window.kiosk`: each method returns the main process's envelope. */
export type KioskBridge = Record<string, (...args: unknown[]) => Promise<unknown>>;

export function buildKioskBridge(
  methods: readonly string[],
  invoke: (method: string, args: unknown[]) => Promise<unknown>,
): KioskBridge {
  const bridge: KioskBridge = {};
  for (const method of methods) bridge[method] = (...args: unknown[]) => invoke(method, args);
  return Object.freeze(bridge);
}
