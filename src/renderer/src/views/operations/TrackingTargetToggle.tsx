import { useHub } from '../../hooks';

/**
 * Checkbox for sending project services' tracking to the managed MLflow server
 * while it runs; the hub injects the matching MLFLOW_TRACKING_URI at their next start.
 */
export function TrackingTargetToggle() {
  const target = useHub((state) => state.trackingTarget);
  const error = useHub((state) => state.trackingTargetError);
  const load = useHub((state) => state.loadTrackingTarget);
  if (target === null && error === null) return null;

  const active = target?.active === 'managed' ? `managed MLflow server at ${target.managedUri ?? ''}` : 'embedded store';

  return (
    <p className="inline-field" data-testid="tracking-target">
      <label>
        <input
          type="checkbox"
          checked={target?.preference === 'managed'}
          onChange={(event) => void load(event.target.checked ? 'managed' : 'embedded')}
        />{' '}
        Use the managed MLflow server for tracking when it runs
      </label>{' '}
      <span>{error ?? `Tracking goes to the ${active}.`}</span>
    </p>
  );
}
