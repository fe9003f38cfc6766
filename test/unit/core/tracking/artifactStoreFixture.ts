import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createSilentLogger } from '../../../../src/main/core/logger';
import { ArtifactStore, type ArtifactStoreOptions } from '../../../../src/main/core/tracking/artifactStore';

/** An artifact store rooted at `<home>/artifacts` in a fresh temporary folder. */
export interface ArtifactStoreFixture {
  /** The temporary folder, which `MLOPS_HUB_HOME` points at. */
  home: string;
  store: ArtifactStore;
}

/** Creates the temporary folder and the store, and passes `options` (such as `maxUploadBytes`) to the store. */
export function createArtifactStoreFixture(options: Omit<ArtifactStoreOptions, 'root' | 'log'> = {}): ArtifactStoreFixture {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
  process.env['MLOPS_HUB_HOME'] = home;
  const store = new ArtifactStore({ root: path.join(home, 'artifacts'), log: createSilentLogger(), ...options });

  return { home, store };
}
