import type { Metadata } from 'next';
import { ProtectedNumbers } from './protected-numbers';

export const metadata: Metadata = { title: 'Definitions · IPT Outcomes' };

/**
 * What the numbers on the other pages mean. One section per topic, each with a stable id that
 * pages link to (`/definitions#protected-numbers`); new definitions are new sections here.
 */
const SECTIONS = [{ id: 'protected-numbers', title: 'Protected numbers', Body: ProtectedNumbers }];

export default function DefinitionsPage() {
  return (
    <article className="definitions">
      <h1>Definitions</h1>
      <nav aria-label="On this page">
        <ul>
          {SECTIONS.map(({ id, title }) => (
            <li key={id}>
              <a href={`#${id}`}>{title}</a>
            </li>
          ))}
        </ul>
      </nav>
      {SECTIONS.map(({ id, title, Body }) => (
        <section key={id} id={id} aria-labelledby={`${id}-title`}>
          <h2 id={`${id}-title`}>{title}</h2>
          <Body />
        </section>
      ))}
    </article>
  );
}
