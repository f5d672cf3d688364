import { KeyRound } from "lucide-react";

/** Shown when the server refuses this tab (no login cookie, or the token was rotated): how to get back in. */
export function SignedOut() {
  return (
    <main className="main">
      <div className="page">
        <div className="card state" role="alert">
          <KeyRound size={32} aria-hidden="true" />
          <h1>Sign in to Larder</h1>
          <p>
            Open the login link <code>larder serve</code> printed (<code>Admin: http://…/?token=…</code>), or
            print a new one with <code>larder token --url</code>.
          </p>
        </div>
      </div>
    </main>
  );
}
