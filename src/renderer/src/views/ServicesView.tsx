import { useEffect } from 'react';

import { EmptyState } from '../components/EmptyState';
import { ErrorNotice } from '../components/ErrorNotice';
import { useHub } from '../hooks';
import { ServiceLogsPanel } from './operations/ServiceLogsPanel';
import { ServiceRow } from './operations/ServiceRow';
import { TrackingTargetToggle } from './operations/TrackingTargetToggle';
import { useNow } from './operations/useNow';
import './operations/operations.css';

/** Managed services with their state and process figures, start and stop buttons, and a log tail; live through `services:didChange`. */
export function ServicesView() {
  const services = useHub((state) => state.services);
  const status = useHub((state) => state.servicesStatus);
  const error = useHub((state) => state.servicesError);
  const loadServices = useHub((state) => state.loadServices);
  const loadTrackingTarget = useHub((state) => state.loadTrackingTarget);
  const nowMs = useNow();

  useEffect(() => {
    const reload = (): void => {
      void loadServices();
      void loadTrackingTarget();
    };
    reload();
    // CPU and memory change without a state change, so the table also reloads every few seconds.
    const timer = setInterval(reload, 5000);

    return () => clearInterval(timer);
  }, [loadServices, loadTrackingTarget]);

  return (
    <section className="view" data-testid="services-view">
      <h1>Services</h1>
      <TrackingTargetToggle />
      {error ? <ErrorNotice error={error} onRetry={loadServices} /> : null}
      {status === 'ready' && services.length === 0 ? (
        <EmptyState title="No services.">
          Add a <code>services:</code> block to a project&apos;s <code>mlops.yaml</code> (for example <code>command: python3</code> with <code>args</code> and a <code>port</code>), then add the project on the Projects page.
        </EmptyState>
      ) : null}
      {services.length > 0 ? (
        <table className="table" data-testid="services-table">
          <thead>
            <tr>
              <th>Service</th>
              <th>State</th>
              <th className="number">PID</th>
              <th className="number">Uptime</th>
              <th className="number">Restarts</th>
              <th>Port</th>
              <th className="number">CPU</th>
              <th className="number">Memory</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {services.map((service) => (
              <ServiceRow key={service.name} service={service} nowMs={nowMs} />
            ))}
          </tbody>
        </table>
      ) : null}
      <ServiceLogsPanel />
    </section>
  );
}
