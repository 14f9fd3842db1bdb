/** Loading, error and empty states shared by every page. */
export function Loading({ what }: { what: string }) {
  return (
    <div className="state" role="status" aria-live="polite">
      Loading {what}…
    </div>
  );
}

export function Failed({ message }: { message: string }) {
  return (
    <div className="state error" role="alert">
      Could not load: {message}
    </div>
  );
}

export function Empty() {
  return (
    <div className="state" role="status">
      No episodes match these filters.
    </div>
  );
}
