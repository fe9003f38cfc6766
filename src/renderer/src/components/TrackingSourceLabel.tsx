import { useEffect } from 'react';

import { useHub } from '../hooks';

/** Names the store that the runs and experiments on screen come from: the embedded store or the managed MLflow server. */
export function TrackingSourceLabel() {
  const target = useHub((state) => state.trackingTarget);
  const error = useHub((state) => state.trackingTargetError);
  const load = useHub((state) => state.loadTrackingTarget);

  useEffect(() => {
    void load();
  }, [load]);

  if (error !== null) return <span className="muted" data-testid="tracking-source">{error}</span>;
  if (target === null) return null;

  const source = target.active === 'managed' && target.managedUri ? `MLflow server at ${target.managedUri}` : 'embedded store';

  return (
    <span className="muted" data-testid="tracking-source">
      Tracking: {source}
    </span>
  );
}
