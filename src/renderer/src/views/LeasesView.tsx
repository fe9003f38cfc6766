import { useEffect } from 'react';

import { TimeSeriesChart } from '../charts/TimeSeriesChart';
import { ErrorNotice } from '../components/ErrorNotice';
import { useHub } from '../hooks';
import { HeldLeasesTable } from './operations/HeldLeasesTable';
import { LeaseQueueTable } from './operations/LeaseQueueTable';
import { describeUsage, toShareChart } from './operations/leaseRows';
import { formatClock } from './operations/operationsFormat';
import { useNow } from './operations/useNow';
import './operations/operations.css';

/** Leases held by each project, the queue with reasons, each project's share over time and the arbiter's thermal level changes. */
export function LeasesView() {
  const overview = useHub((state) => state.leaseOverview);
  const error = useHub((state) => state.leasesError);
  const shareHistory = useHub((state) => state.shareHistory);
  const thermalEvents = useHub((state) => state.leaseThermalEvents);
  const loadLeases = useHub((state) => state.loadLeases);
  const nowMs = useNow();
  const shareChart = toShareChart(shareHistory);

  useEffect(() => {
    void loadLeases();
    // Shares over time need a point now and then even when no lease changes.
    const timer = setInterval(() => void loadLeases(), 10_000);

    return () => clearInterval(timer);
  }, [loadLeases]);

  return (
    <section className="view" data-testid="leases-view">
      <h1>Leases</h1>
      {error ? <ErrorNotice error={error} onRetry={loadLeases} /> : null}
      {overview ? (
        <div className="summary-strip" data-testid="lease-summary">
          {describeUsage(overview).map((figure) => (
            <div key={figure.label} className="figure">
              <div className="label">{figure.label} granted</div>
              <div className="value">{figure.value}</div>
            </div>
          ))}
          <div className="figure">
            <div className="label">Queue</div>
            <div className="value" data-testid="lease-queue-length">{overview.queueLength}</div>
          </div>
          <div className="figure">
            <div className="label">Thermal level</div>
            <div className="value">
              <span className={`service-state state-${overview.thermalLevel}`}>{overview.thermalLevel}</span>
            </div>
          </div>
        </div>
      ) : null}
      <h2>Granted</h2>
      {overview ? <HeldLeasesTable leases={overview.leases} nowMs={nowMs} /> : null}
      <h2>Queue</h2>
      {overview ? <LeaseQueueTable leases={overview.leases} nowMs={nowMs} /> : null}
      <div className="two-columns section-gap">
        <TimeSeriesChart
          title="Dominant share per project"
          testId="lease-shares"
          rows={shareChart.rows}
          series={shareChart.series}
          formatValue={(share) => `${Math.round(share * 100)} %`}
          curve="stepAfter"
          yDomain={[0, 1]}
          emptyText="No project holds a lease yet. The chart starts when this page is open and a project gets one."
        />
        <section>
          <h2>Thermal level changes</h2>
          {thermalEvents.length === 0 ? (
            <p className="muted">None seen while this page was open.</p>
          ) : (
            <ul className="event-list" data-testid="lease-thermal-events">
              {[...thermalEvents].reverse().map((event) => (
                <li key={event.atMs}>
                  {formatClock(event.atMs)} <span className={`service-state state-${event.level}`}>{event.level}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </section>
  );
}
