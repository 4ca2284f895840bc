import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const MINI_PACK = fileURLToPath(new URL('../fixtures/packs/mini/', import.meta.url));
export const BUNDLED_PACK = fileURLToPath(new URL('../../exhibits/consular-protection/', import.meta.url));
