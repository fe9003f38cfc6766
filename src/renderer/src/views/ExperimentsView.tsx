import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';

import { EmptyState } from '../components/EmptyState';
import { ErrorNotice } from '../components/ErrorNotice';
import { TrackingSourceLabel } from '../components/TrackingSourceLabel';
import { formatAge } from '../format';
import { useHub } from '../hooks';
import { selectVisibleExperiments } from '../store/selectors';

/** Lists the experiments of every project, filterable by project. A click opens the experiment's runs. */
export function ExperimentsView() {
  const experiments = useHub(selectVisibleExperiments);
  const projects = useHub((state) => state.projects);
  const project = useHub((state) => state.experimentsProject);
  const status = useHub((state) => state.experimentsStatus);
  const error = useHub((state) => state.experimentsError);
  const { loadExperiments, loadProjects, setExperimentsProject, setRunsScope, setView } = useHub(
    useShallow((state) => ({
      loadExperiments: state.loadExperiments,
      loadProjects: state.loadProjects,
      setExperimentsProject: state.setExperimentsProject,
      setRunsScope: state.setRunsScope,
      setView: state.setView,
    })),
  );
  const nowMs = Date.now();

  useEffect(() => {
    void loadExperiments();
    void loadProjects();
  }, [loadExperiments, loadProjects]);

  const openRuns = (experimentId: string, name: string) => {
    setRunsScope({ experimentIds: [experimentId], label: `Experiment ${name}` });
    setView('runs');
  };

  return (
    <section className="view" data-testid="experiments-view">
      <div className="view-header">
        <h1>Experiments</h1>
        <TrackingSourceLabel />
      </div>
      <label className="inline-field">
        Project
        <select value={project ?? ''} onChange={(event) => setExperimentsProject(event.target.value || null)} data-testid="experiments-project-filter">
          <option value="">All projects</option>
          {projects.map((item) => (
            <option key={item.name} value={item.name}>
              {item.name}
            </option>
          ))}
        </select>
      </label>
      {error ? <ErrorNotice error={error} onRetry={loadExperiments} /> : null}
      {status === 'ready' && experiments.length === 0 ? (
        <EmptyState title={project ? `No experiments in ${project} yet.` : 'No experiments yet.'}>
          Start a run from a training script with the Python SDK (<code>mlops_hub.start_run()</code>) or any MLflow client.
        </EmptyState>
      ) : null}
      {experiments.length > 0 ? (
        <table className="table" data-testid="experiments-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Project</th>
              <th className="number">Runs</th>
              <th className="number">Active</th>
              <th>Last activity</th>
            </tr>
          </thead>
          <tbody>
            {experiments.map((experiment) => (
              <tr key={experiment.experimentId} className="clickable" onClick={() => openRuns(experiment.experimentId, experiment.name)} data-testid="experiment-row">
                <td className="strong">{experiment.name}</td>
                <td>{experiment.project}</td>
                <td className="number" data-testid="experiment-run-count">
                  {experiment.runCount}
                </td>
                <td className="number">{experiment.activeRuns}</td>
                <td>{formatAge(experiment.lastActivity, nowMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
