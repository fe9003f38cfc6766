/**
 * Explains how to open the dashboard in a browser tab that has no valid login
 * token. There is no token field because the hub prints the whole URL with it.
 */
export function TokenScreen({ rejected }: { rejected: boolean }) {
  return (
    <main className="token-screen" data-testid="token-screen">
      <h1>MLOps Hub</h1>
      <p>{rejected ? 'The hub rejected this dashboard link because its login token is no longer valid.' : 'This dashboard link has no login token.'}</p>
      <p>Open the dashboard through the URL that the hub prints, which includes the token:</p>
      <ul>
        <li>
          run <code>mlops-hub status</code> and open the dashboard URL it shows, or
        </li>
        <li>
          open the first line that <code>mlops-hub serve</code> printed, <code>http://127.0.0.1:PORT/?token=…</code>.
        </li>
      </ul>
      <p>The token is kept for this tab only, so a new tab needs the link again.</p>
    </main>
  );
}
