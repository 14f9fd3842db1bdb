import type { Metadata } from 'next';
import { MeasureDefinitions } from './generated';
import { ProtectedNumbers } from './protected-numbers';

export const metadata: Metadata = { title: 'Definitions · IPT Outcomes' };

/**
 * What the numbers on the other pages mean. The measures and statistics are generated from the
 * registry in @ipt/protocol (each with its id: `/definitions#reliableImprovement`); the rules of
 * protected numbers are written out in full (`/definitions#protected-numbers`).
 */
const SECTIONS = [
  { id: 'measures', title: 'Measures and statistics', Body: MeasureDefinitions },
  { id: 'protected-numbers', title: 'Protected numbers', Body: ProtectedNumbers },
];

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
