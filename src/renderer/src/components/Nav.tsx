import { useHub } from '../hooks';
import { navItems } from '../navItems';

/** Renders the left navigation. While a run's detail view is open, Runs is highlighted. */
export function Nav() {
  const view = useHub((state) => state.view);
  const setView = useHub((state) => state.setView);
  const current = view === 'run' ? 'runs' : view;

  return (
    <nav className="nav" aria-label="Dashboard views">
      <div className="brand">MLOps Hub</div>
      <ul>
        {navItems.map((item) => (
          <li key={item.id}>
            <button type="button" className={item.id === current ? 'active' : ''} aria-current={item.id === current ? 'page' : undefined} onClick={() => setView(item.id)} data-testid={`nav-${item.id}`}>
              {item.label}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
