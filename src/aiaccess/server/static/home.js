// The home page chart: how many facts each source article reports, by kind.
// The numbers come from the SPARQL endpoint when the page loads (query: reports-by-kind.rq).
"use strict";

(async () => {
  const canvas = document.getElementById("reports-chart");
  const status = document.getElementById("chart-status");
  try {
    const rows = await select(canvas.dataset.endpoint, await text(canvas.dataset.query));
    draw(canvas, rows);
    status.textContent = "";
  } catch (error) {
    status.textContent = `The chart could not be drawn: ${error.message}`;
  }
})();

async function text(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.text();
}

async function select(endpoint, query) {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { Accept: "application/sparql-results+json" },
    body: new URLSearchParams({ query }),
  });
  if (!response.ok) throw new Error(await response.text());
  return (await response.json()).results.bindings;
}

function draw(canvas, rows) {
  const count = new Map();
  const totals = new Map();
  for (const row of rows) {
    const kind = row.kind.value;
    const facts = Number(row.facts.value);
    count.set(`${kind}\t${row.language.value}`, facts);
    totals.set(kind, (totals.get(kind) || 0) + facts);
  }
  const kinds = [...totals.keys()].sort((a, b) => totals.get(b) - totals.get(a) || a.localeCompare(b));
  const languages = [...new Set(rows.map((row) => row.language.value))].sort();
  const names = new Intl.DisplayNames(["en"], { type: "language" });
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: kinds,
      datasets: languages.map((language) => ({
        label: `${names.of(language)} article`,
        data: kinds.map((kind) => count.get(`${kind}\t${language}`) || 0),
      })),
    },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      scales: {
        x: { stacked: true, ticks: { precision: 0 }, title: { display: true, text: "facts reported" } },
        y: { stacked: true },
      },
    },
  });
}
