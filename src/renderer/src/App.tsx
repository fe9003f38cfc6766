import { Nav } from './components/Nav';
import { useHub } from './hooks';
import { innerViews, navItems } from './navItems';
import { TokenScreen } from './views/TokenScreen';

/** Renders the left navigation and the current view, or login help once the hub rejects the token. */
export function App() {
  const view = useHub((state) => state.view);
  const unauthenticated = useHub((state) => state.unauthenticated);
  if (unauthenticated) return <TokenScreen rejected />;

  const View = navItems.find((item) => item.id === view)?.view ?? innerViews[view] ?? navItems[0]?.view;

  return (
    <div className="app">
      <Nav />
      <main className="content">{View ? <View /> : null}</main>
    </div>
  );
}
