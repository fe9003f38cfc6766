import { useState, type FormEvent } from 'react';

import { useHub } from '../hooks';

/** Registers a project by folder path; the hub's validation error shows right under the field. */
export function AddProjectForm() {
  const addProject = useHub((state) => state.addProject);
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pickFolder = window.mlopsHub?.pickFolder;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const failure = await addProject(path, name.trim() || undefined);
    setBusy(false);
    setError(failure);
    if (!failure) {
      setPath('');
      setName('');
    }
  };

  const choose = async () => {
    const chosen = await pickFolder?.();
    if (chosen) setPath(chosen);
  };

  return (
    <form className="add-project" onSubmit={submit} data-testid="add-project-form">
      <label>
        Project folder
        <input
          value={path}
          onChange={(event) => setPath(event.target.value)}
          placeholder="/path/to/project"
          aria-invalid={error !== null}
          data-testid="add-project-path"
        />
      </label>
      {pickFolder ? (
        <button type="button" onClick={choose}>
          Choose…
        </button>
      ) : null}
      <label>
        Name (optional)
        <input value={name} onChange={(event) => setName(event.target.value)} placeholder="from mlops.yaml or the folder" />
      </label>
      <button type="submit" disabled={busy} data-testid="add-project-submit">
        Add project
      </button>
      {error ? (
        <p className="field-error" role="alert" data-testid="add-project-error">
          {error}
        </p>
      ) : null}
    </form>
  );
}
