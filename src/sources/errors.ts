// Errors a source raises on purpose; the tree turns them into nodes with a way out.

/** No VS Code session (or CLI login) for Azure: the tree shows a sign-in node. */
export class SignInRequiredError extends Error {
  readonly code = "SignInRequired";
  constructor(message = "Sign in to Azure to see your workspaces.") {
    super(message);
  }
}
