import { useEffect } from 'react';

import { EmptyState } from '../components/EmptyState';
import { ErrorNotice } from '../components/ErrorNotice';
import { formatAge } from '../format';
import { useHub } from '../hooks';
import { AddProjectForm } from './AddProjectForm';

/** Lists registered projects with their run counts and last activity. A click opens the project's runs. */
export function ProjectsView() {
  const projects = useHub((state) => state.projects);
  const status = useHub((state) => state.projectsStatus);
  const error = useHub((state) => state.projectsError);
  const loadProjects = useHub((state) => state.loadProjects);
  const setRunsScope = useHub((state) => state.setRunsScope);
  const setView = useHub((state) => state.setView);
  const nowMs = Date.now();
  // The built-in `default` project (no folder) always exists, so "no projects" means no registered folder.
  const hasRegisteredProject = projects.some((project) => project.path !== null);

  useEffect(() => {
    void loadProjects();
  }, [loadProjects]);

  const openRuns = (project: string) => {
    setRunsScope({ project, label: `Project ${project}` });
    setView('runs');
  };

  return (
    <section className="view" data-testid="projects-view">
      <h1>Projects</h1>
      {error ? <ErrorNotice error={error} onRetry={loadProjects} /> : null}
      {status === 'ready' && !hasRegisteredProject ? (
        <EmptyState title="No projects yet.">
          Run <code>mlops-hub init</code> in a project folder, or add one here by its path.
        </EmptyState>
      ) : null}
      {projects.length > 0 ? (
        <table className="table" data-testid="projects-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Folder</th>
              <th className="number">Experiments</th>
              <th className="number">Runs</th>
              <th className="number">Active</th>
              <th>Last activity</th>
            </tr>
          </thead>
          <tbody>
            {projects.map((project) => (
              <tr key={project.name} className="clickable" onClick={() => openRuns(project.name)} data-testid="project-row" data-project={project.name}>
                <td className="strong">{project.name}</td>
                <td className="path">
                  {project.path ?? (
                    <span className="muted" data-testid={project.registered ? undefined : 'project-unregistered'}>
                      {project.registered ? 'built in' : 'not registered — add its folder'}
                    </span>
                  )}
                </td>
                <td className="number">{project.experimentCount}</td>
                <td className="number" data-testid="project-run-count">
                  {project.runCount}
                </td>
                <td className="number">{project.activeRuns}</td>
                <td>{formatAge(project.lastActivity, nowMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <h2>Add a project</h2>
      <AddProjectForm />
    </section>
  );
}
