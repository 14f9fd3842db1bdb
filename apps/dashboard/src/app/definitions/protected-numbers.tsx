/**
 * Disclosure control as a researcher meets it (docs/outcomes.md, "Disclosure control"). Defaults are
 * stated as defaults: k, D and the budget are the deployment's configuration.
 */
export function ProtectedNumbers() {
  return (
    <>
      <p>
        Suppressing small cells in one answer protects nobody once a second question can be asked:
        two cohorts that differ by a few people give those people’s numbers by subtraction. So most
        readers get protected numbers, and the rules below hold across all their questions.
      </p>

      <h3>Exact or protected</h3>
      <ul>
        <li>The network’s data steward gets exact numbers.</li>
        <li>A clinic’s own readers get exact numbers for their own clinics.</li>
        <li>
          Everyone else gets protected numbers: researchers, and clinic readers looking at the
          network beyond their own clinics.
        </li>
        <li>
          Pages with protected numbers say so in a note above them. Answers of the API carry{' '}
          <code>protected: true</code>, and downloaded CSV files a <code>protected</code> column.
        </li>
        <li>Every read, exact or protected, is recorded in the access log.</li>
      </ul>

      <h3>Small cells: the k rule</h3>
      <ul>
        <li>k is the minimum cell size: 11 by default, configurable, never below 5.</li>
        <li>
          For every reader, a cell of 1 to k − 1 episodes reads “fewer than k” (with k’s value): no
          count, rate, mean or interval. Charts draw no bar or point for it.
        </li>
        <li>
          Each cell is judged on its own. An exact reader sees every other cell, and an empty cell
          as 0.
        </li>
        <li>
          In protected answers, a count inside a shown cell that is below k is withheld too, with
          the rate built on it: 3 recovered out of 40 is not shown, and neither is 37 out of 40 (the
          3 who did not).
        </li>
        <li>
          In protected answers, clinics and therapists with fewer than k episodes are not listed at
          all.
        </li>
      </ul>

      <h3>Complete grids</h3>
      <ul>
        <li>
          A protected breakdown returns every combination of its categories, whether it has episodes
          or not.
        </li>
        <li>In a protected answer an empty combination reads “fewer than k”, like a small one.</li>
        <li>So whether a row appears says nothing about who is in the data.</li>
        <li>Trajectories show every group, and every session from 0 to 20.</li>
      </ul>

      <h3>Noise on counts: cell-key perturbation</h3>
      <ul>
        <li>Every episode has a secret, stable record key, which never leaves the server.</li>
        <li>A cell’s key is derived from the record keys of the episodes in it.</li>
        <li>
          Each protected count gets a whole-number noise from −D to +D, chosen by the cell key
          through a keyed hash, so nobody without the server’s secret can compute it. D is 1 by
          default, configurable from 1 to 5. The noise averages zero.
        </li>
        <li>
          The same set of episodes always gets the same noise, however the question is worded.
          Asking again, or asking differently, gives the same answer, so averaging answers removes
          nothing.
        </li>
        <li>
          Two cells that differ by a few episodes get unrelated noise, so subtracting one answer
          from another does not give the small count.
        </li>
        <li>
          With D = 1, a count of 200 or more moves by at most 0.5%, and a rate over 200 or more
          episodes by at most 1 percentage point.
        </li>
        <li>
          The method is the cell-key method of the Australian Bureau of Statistics (Fraser &amp;
          Wooton 2005; Thompson, Broadfoot &amp; Elazar 2013), used by the ONS for the 2021 Census.
        </li>
      </ul>

      <h3>No complementary suppression</h3>
      <ul>
        <li>
          Nothing is withheld to protect another withheld cell. Subtracting the shown cells of a
          protected table from its total leaves the hidden cells plus the noise of every one of
          those numbers, drawn independently: that noise is the protection.
        </li>
        <li>
          Withholding extra cells on top of the noise blanked most of a three-way table (cells of
          220 episodes among them) and protected nobody more. The Australian Bureau of Statistics’
          TableBuilder and the ONS 2021 Census publish perturbed tables the same way.
        </li>
        <li>
          Exact readers are trusted with the exact data; every read of theirs is in the access log.
        </li>
      </ul>

      <h3>Noise on sums and means</h3>
      <ul>
        <li>
          Sums get noise from the same cell key: mean PHQ-9, mean change, effect sizes and
          trajectories are computed from them.
        </li>
        <li>
          The noise is a whole number scaled to the most one episode can contribute: up to 27 points
          either way, the whole range of a PHQ-9 total.
        </li>
        <li>
          So comparing two cohorts that differ by one person does not give that person’s score.
        </li>
        <li>The 95% interval of a mean is widened by the most the noise can move the mean.</li>
      </ul>

      <h3>Rates and their intervals</h3>
      <ul>
        <li>
          A protected rate is the protected numerator divided by the protected denominator, n′.
        </li>
        <li>
          Its 95% interval is the Wilson interval of those two counts, widened on each side by
          2D/n′: the most the noise can move the rate.
        </li>
        <li>The API gives the count and denominator with every rate, so it can be recomputed.</li>
      </ul>

      <h3>Whole-month periods</h3>
      <ul>
        <li>A period runs from the first day of a month to the last day of a month.</li>
        <li>The filter bar picks months, for every reader.</li>
        <li>
          A protected question whose period starts or ends inside a month is refused (HTTP 400).
        </li>
        <li>Two periods a day apart would differ by the few people who started that day.</li>
      </ul>

      <h3>A daily budget of cohorts</h3>
      <ul>
        <li>
          A reader of protected numbers may ask about a limited number of distinct cohorts per UTC
          day: 50 by default, configurable.
        </li>
        <li>
          A cohort is its filters: condition, adaptation, age band, sex, modality, baseline
          severity, problem area, medication, clinic and period.
        </li>
        <li>
          Filter values are sorted and duplicates dropped, and a list of every value of a filter
          that every episode has counts as no filter (not sex or baseline severity, which some
          episodes lack). The same cohort spelt differently is one cohort.
        </li>
        <li>
          Groupings do not count: one cohort by problem area, by sessions attended, by month or by
          session number is still one cohort.
        </li>
        <li>A cohort already asked that day costs nothing more.</li>
        <li>
          Past the budget, a new cohort is refused (HTTP 429) with a message until 00:00 UTC;
          cohorts already asked that day are still answered.
        </li>
        <li>
          Why: each cohort that contains one person is one more look at that person’s noise, and
          enough looks could average it away.
        </li>
        <li>The data steward sees every reader’s use of the budget.</li>
      </ul>
    </>
  );
}
