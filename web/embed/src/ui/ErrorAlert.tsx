/**
 * An error message from the API (or a local fallback), announced at once through role="alert".
 */

export function ErrorAlert({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p class="error" part="error" role="alert">
      {message}
    </p>
  );
}
