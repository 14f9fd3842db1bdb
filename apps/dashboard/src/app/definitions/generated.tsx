import { definitionOf, TERMS } from '../../lib/definitions';

/**
 * Every measure and statistic, generated from the registry in @ipt/protocol: the explanation the
 * pages show beside the figure, the formula, and its source. Each has an id the popovers link to.
 */
export function MeasureDefinitions() {
  return (
    <dl className="definition-list">
      {TERMS.map((term) => {
        const d = definitionOf(term);
        return (
          <div key={term} id={term} className="definition">
            <dt>
              <h3>{d.label}</h3>
            </dt>
            <dd>
              <p>{d.short}</p>
              <p>
                <strong>Formula:</strong> <code>{d.formula}</code>
              </p>
              {d.denominator !== null && (
                <p>
                  <strong>Out of:</strong> {d.denominator}
                </p>
              )}
              <p>
                <strong>Source:</strong> {d.source}
              </p>
              {term === 'protectedNumbers' && (
                <p>
                  <a href="#protected-numbers">The rules of protected numbers in detail</a>
                </p>
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
