import { useHub } from '../hooks';

/** Switches every metric chart between step and elapsed time on the x axis. */
export function AxisToggle() {
  const axis = useHub((state) => state.chartXAxis);
  const setAxis = useHub((state) => state.setChartXAxis);

  return (
    <div className="segmented" role="group" aria-label="Chart x axis" data-testid="axis-toggle">
      {(['step', 'time'] as const).map((option) => (
        <button key={option} type="button" className={axis === option ? 'active' : ''} aria-pressed={axis === option} onClick={() => setAxis(option)}>
          {option === 'step' ? 'Step' : 'Time'}
        </button>
      ))}
    </div>
  );
}
