import { toShownError } from '../messages';
import { artifactKey, type ArtifactsSlice, type SliceCreator } from './types';

export const createArtifactsSlice: SliceCreator<ArtifactsSlice> = (transport) => (set, get) => ({
  artifactListings: {},
  artifactErrors: {},
  canDownloadArtifacts: transport.downloadArtifact !== undefined,

  async loadArtifacts(runId, path) {
    const key = artifactKey(runId, path);
    try {
      const listing = await transport.call('artifacts:list', path === '' ? { runId } : { runId, path });
      const { [key]: _dropped, ...errors } = get().artifactErrors;
      set({ artifactListings: { ...get().artifactListings, [key]: listing }, artifactErrors: errors });
    } catch (error) {
      set({ artifactErrors: { ...get().artifactErrors, [key]: toShownError(error) } });
    }
  },

  async downloadArtifact(runId, path) {
    if (!transport.downloadArtifact) return null;

    try {
      return await transport.downloadArtifact(runId, path);
    } catch (error) {
      // Stored under the file's folder, whose listing shows the message.
      const folder = path.split('/').slice(0, -1).join('/');
      set({ artifactErrors: { ...get().artifactErrors, [artifactKey(runId, folder)]: toShownError(error) } });
      return null;
    }
  },
});
