import { useEffect, useState } from 'react';

import { ErrorNotice } from '../components/ErrorNotice';
import { formatBytes } from '../format';
import { useHub } from '../hooks';
import { artifactKey } from '../store/types';

/** Lists a run's artifacts folder by folder, with sizes and, over HTTP, a download link per file. */
export function RunArtifacts({ runId }: { runId: string }) {
  const [folder, setFolder] = useState('');
  const key = artifactKey(runId, folder);
  const listing = useHub((state) => state.artifactListings[key]);
  const error = useHub((state) => state.artifactErrors[key]);
  const canDownload = useHub((state) => state.canDownloadArtifacts);
  const loadArtifacts = useHub((state) => state.loadArtifacts);
  const downloadArtifact = useHub((state) => state.downloadArtifact);

  useEffect(() => setFolder(''), [runId]);
  useEffect(() => {
    void loadArtifacts(runId, folder);
  }, [runId, folder, loadArtifacts]);

  const download = async (path: string): Promise<void> => {
    const blob = await downloadArtifact(runId, path);
    if (blob) saveBlob(blob, path.split('/').pop() ?? path);
  };

  return (
    <div data-testid="run-artifacts">
      <h2>Artifacts</h2>
      <p className="muted">
        {folder === '' ? 'Root' : <code>{folder}</code>}
        {folder !== '' ? (
          <>
            {' '}
            <button type="button" className="link" onClick={() => setFolder(folder.split('/').slice(0, -1).join('/'))}>
              ↑ Up
            </button>
          </>
        ) : null}{' '}
        <button type="button" className="link" onClick={() => void loadArtifacts(runId, folder)}>
          Refresh
        </button>
      </p>
      {error ? <ErrorNotice error={error} onRetry={() => void loadArtifacts(runId, folder)} /> : null}
      {listing && listing.files.length === 0 ? <p className="muted">No artifacts logged{folder === '' ? '' : ' in this folder'}.</p> : null}
      {listing && listing.files.length > 0 ? (
        <table className="table compact">
          <thead>
            <tr>
              <th>Name</th>
              <th>Size</th>
            </tr>
          </thead>
          <tbody>
            {listing.files.map((file) => {
              const name = file.path.split('/').pop() ?? file.path;

              return (
                <tr key={file.path} data-testid="artifact-row">
                  <td>
                    {file.isDir ? (
                      <button type="button" className="link" onClick={() => setFolder(file.path)}>
                        {name}/
                      </button>
                    ) : canDownload ? (
                      <button type="button" className="link" title={`Download ${file.path}`} onClick={() => void download(file.path)}>
                        {name}
                      </button>
                    ) : (
                      name
                    )}
                  </td>
                  <td>{formatBytes(file.fileSize)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {!canDownload && listing && listing.files.length > 0 ? <p className="muted">Open the dashboard in a browser to download files.</p> : null}
    </div>
  );
}

/** Saves a downloaded file through a temporary object URL, because the request needed the bearer token. */
function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
