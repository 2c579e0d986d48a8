// placeholder until the snapshot branch lands
export async function startCrsRedis(_emulator: unknown): Promise<{ url: string; stop: () => Promise<void> }> {
  throw new Error('not yet');
}
