// The SPARQL page: YASGUI on this server's endpoint, offering the canned queries.
//
// YASGUI is configured so that it reaches no other host: the completers that ask
// Linked Open Vocabularies (lov.linkeddata.es) are off, prefix completion uses
// this dataset's prefixes (not YASGUI's bundled prefix.cc list, whose schema: is
// http://schema.org/), the endpoint list holds only this endpoint, and nothing is
// kept in localStorage. The page's Content-Security-Policy backs this up.
"use strict";

(() => {
  const root = document.getElementById("yasgui");
  const menu = document.getElementById("canned");
  const endpoint = new URL(root.dataset.endpoint, document.baseURI).href;
  const prefixes = JSON.parse(root.dataset.prefixes);
  const Yasqe = Yasgui.Yasqe;

  Yasqe.forkAutocompleter(
    "prefixes",
    {
      name: "dataset-prefixes",
      persistenceId: null,
      get: Object.entries(prefixes).map(([prefix, iri]) => `${prefix}: <${iri}>`).sort(),
    },
    false,
  );
  Yasqe.defaults.autocompleters = ["dataset-prefixes", "variables"];

  const yasgui = new Yasgui(root, {
    persistenceId: null,
    tabName: "Query",
    requestConfig: { endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: () => [{ endpoint }] },
    yasqe: { value: root.dataset.query },
    yasr: { prefixes },
  });

  // One tab per canned query chosen, opened once and run at once.
  const opened = new Map();
  const question = document.getElementById("question");
  menu.addEventListener("change", () => {
    const option = menu.selectedOptions[0];
    question.textContent = option.title;
    if (!option.value) return;
    const id = opened.get(option.value);
    if (id && yasgui.getTab(id)) {
      yasgui.selectTabId(id);
      return;
    }
    const tab = yasgui.addTab(true, { name: option.textContent, yasqe: { value: option.dataset.query } });
    opened.set(option.value, tab.getId());
    tab.query().catch(() => {});
  });
  document.getElementById("canned-queries").hidden = false;
})();
