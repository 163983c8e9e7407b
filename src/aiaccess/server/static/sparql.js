// The SPARQL page: YASGUI on this server's endpoint, with the result views of
// views.js as YASR plugins, IRIs linking to this server's pages, and the
// address bar holding the query (/sparql?query=…&view=…), so a reload or a
// shared link shows the same query and results.
//
// YASGUI is configured so that it reaches no other host: the completers that ask
// Linked Open Vocabularies (lov.linkeddata.es) are off, prefix completion uses
// this dataset's prefixes (not YASGUI's bundled prefix.cc list, whose schema: is
// http://schema.org/), the endpoint list holds only this endpoint, and nothing is
// kept in localStorage. The page's Content-Security-Policy backs this up.
"use strict";

(() => {
  const root = document.getElementById("yasgui");
  const endpoint = new URL(root.dataset.endpoint, document.baseURI).href;
  const prefixes = JSON.parse(root.dataset.prefixes);
  const { Yasqe, Yasr } = Yasgui;

  // The dataset's prefixes for completion; no completer that asks another host.
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

  // The results table links IRIs of the dataset to this server's own pages.
  const Table = Yasr.plugins.table;
  Table.defaults.openIriInNewWindow = false;
  class LocalTable extends Table {
    getUriLinkFromBinding(binding, prefixes) {
      const template = document.createElement("template");
      template.innerHTML = super.getUriLinkFromBinding(binding, prefixes);
      for (const link of template.content.querySelectorAll("a")) {
        const href = AiaViews.local(binding.value);
        if (!href) continue;
        link.setAttribute("href", href);
        link.removeAttribute("target");
      }
      return template.innerHTML;
    }
  }
  Yasr.registerPlugin("table", LocalTable);
  for (const [name, view] of Object.entries(AiaViews.views)) Yasr.registerPlugin(name, plugin(view));

  const views = ["table", ...Object.keys(AiaViews.views)];
  const view = views.includes(root.dataset.view) ? root.dataset.view : "table";
  const yasgui = new Yasgui(root, {
    persistenceId: null,
    tabName: root.dataset.name || "Query",
    requestConfig: { endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: () => [{ endpoint }] },
    yasqe: { value: root.dataset.query },
    yasr: { prefixes: JSON.parse(root.dataset.shownPrefixes), defaultPlugin: view, pluginOrder: views },
  });

  // Tab and Shift+Tab leave the editor, as everywhere else on the page (WCAG 2.1.2):
  // CodeMirror leaves a key bound to false to the browser.
  function letTabLeave(tab) {
    const editor = tab && tab.getYasqe();
    if (!editor || editor.aiaTabLeaves) return;
    editor.setOption("extraKeys", { ...editor.getOption("extraKeys"), Tab: false, "Shift-Tab": false });
    editor.aiaTabLeaves = true;
  }
  letTabLeave(yasgui.getTab());
  yasgui.on("tabSelect", (_, id) => setTimeout(() => letTabLeave(yasgui.getTab(id)), 0));
  yasgui.on("tabAdd", (_, id) => setTimeout(() => letTabLeave(yasgui.getTab(id)), 0));

  // The address bar follows the current tab's query and view.
  function remember(tab) {
    const params = new URLSearchParams({ query: tab.getQuery() });
    const shown = tab.getYasr().getSelectedPluginName();
    if (shown && shown !== "table") params.set("view", shown);
    history.replaceState(null, "", `${location.pathname}?${params}`);
  }
  yasgui.on("query", (_, tab) => remember(tab));
  yasgui.on("tabChange", (_, tab) => tab === yasgui.getTab() && remember(tab));
  yasgui.on("tabSelect", (_, id) => setTimeout(() => remember(yasgui.getTab(id)), 0));

  if (root.dataset.run === "true") yasgui.getTab().query().catch(() => {});
})();

/** A YASR plugin drawing results with one of the views of views.js. */
function plugin(view) {
  return class {
    constructor(yasr) {
      this.yasr = yasr;
      this.priority = 1;
      this.label = view.label;
    }

    results() {
      const results = this.yasr.results;
      const variables = (results && results.getVariables && results.getVariables()) || [];
      const rows = (results && results.getBindings && results.getBindings()) || [];
      return { variables, rows };
    }

    canHandleResults() {
      const { variables, rows } = this.results();
      return variables.length > 0 && view.handles(variables, rows);
    }

    draw() {
      const { variables, rows } = this.results();
      const box = document.createElement("div");
      box.className = "aia-view";
      this.yasr.resultsEl.appendChild(box);
      this.drawn = view.draw(box, variables, rows);
    }

    getIcon() {
      const icon = document.createElement("span");
      icon.setAttribute("aria-hidden", "true");
      icon.textContent = view.icon;
      return icon;
    }

    destroy() {
      if (this.drawn && this.drawn.destroy) this.drawn.destroy();
      this.drawn = undefined;
    }
  };
}
