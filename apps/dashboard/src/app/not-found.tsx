import Link from 'next/link';

/** Any address the dashboard has no page for: in the product's frame, with a way back. */
export default function NotFound() {
  return (
    <section className="not-found" aria-labelledby="not-found-title">
      <h1 id="not-found-title">No such page</h1>
      <p>
        There is no page at this address. It may have been mistyped, or a link may be older than the
        dashboard.
      </p>
      <p>
        <Link href="/">Go to the overview</Link>, or pick a page from the menu above. The numbers
        themselves are also at <a href="/openapi.json">the API</a> (<code>/v1/outcomes</code>).
      </p>
    </section>
  );
}
