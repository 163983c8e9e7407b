// Result views of SPARQL SELECT results: a timeline, a graph of who did what to
// whom, and a chart. Each view takes the results' variables and rows (bindings
// as in the SPARQL 1.1 JSON results format) and draws into an element; the
// editor wraps them as YASR plugins (sparql.js) and pages draw them from a query
// (page-views.js). The libraries are vendored under /static/ (tools/vendor-web.sh):
// vis-timeline, Cytoscape.js and Chart.js.
"use strict";

const AiaViews = (() => {
  const BASE = "https://w3id.org/aiaccess/";
  const NUMERIC = /#(integer|decimal|double|float|long|int|short|nonNegativeInteger|positiveInteger)$/;
  // Okabe–Ito: told apart by readers with any kind of colour blindness.
  const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];
  const languageNames = new Intl.DisplayNames(["en"], { type: "language" });

  /** The local page of an IRI of this dataset (null for any other IRI). */
  function local(iri) {
    return typeof iri === "string" && iri.startsWith(BASE) ? "/" + iri.slice(BASE.length) : null;
  }

  /** The text of a binding, or "" when the variable is unbound. */
  function text(row, name) {
    return row[name] ? row[name].value : "";
  }

  /** The names in a list column ("A, B"), without empty ones. */
  function names(value) {
    return value.split(", ").map((name) => name.trim()).filter(Boolean);
  }

  /** A new element with a class and text. */
  function element(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  /** A link to the local page of an IRI, or plain text when there is none. */
  function linkTo(iri, content) {
    const href = local(iri);
    if (!href) return element("span", "", content);
    const link = element("a", "", content);
    link.href = href;
    return link;
  }

  /** The source of a row: its article's IRI and a name for the legend. */
  function sourceOf(row) {
    const language = text(row, "language");
    const name = language ? `${languageNames.of(language)} article` : "";
    return { key: text(row, "source") || language || "unknown", name: name || text(row, "source") || "source not given" };
  }

  /** A legend: one swatch per source, each linking to its article. */
  function legend(colours, title) {
    const list = element("ul", "aia-legend");
    list.setAttribute("aria-label", title);
    for (const [key, { colour, name }] of colours) {
      const item = element("li");
      const swatch = element("span", "aia-swatch");
      swatch.style.backgroundColor = colour;
      item.append(swatch, linkTo(key, name));
      list.append(item);
    }
    return list;
  }

  // ---------------------------------------------------------------- timeline

  const DAY = /^(\d{4})-(\d{2})-(\d{2})/;
  const MONTH = /^(\d{4})-(\d{2})$/;
  const YEAR = /^(\d{4})$/;

  /**
   * The span a row gives: [start, end, status]; end is null for a day.
   * earliest/latest (xsd:date bounds, equal when exact) win over date (as written:
   * 2024-07-09, 2024-07, 2024; --07-09 has no year and cannot be placed).
   */
  function span(row) {
    const earliest = text(row, "earliest");
    const latest = text(row, "latest");
    const status = text(row, "status") || "stated";
    if (DAY.test(earliest)) {
      const end = DAY.test(latest) && latest.slice(0, 10) !== earliest.slice(0, 10) ? dayAfter(latest) : null;
      return [earliest.slice(0, 10), end, status];
    }
    if (DAY.test(latest)) return [latest.slice(0, 10), null, status];
    const date = text(row, "date");
    if (DAY.test(date)) return [date.slice(0, 10), null, status];
    let match = MONTH.exec(date);
    if (match) return [`${date}-01`, startOfMonthAfter(+match[1], +match[2]), status];
    match = YEAR.exec(date);
    if (match) return [`${date}-01-01`, `${+date + 1}-01-01`, status];
    return null;
  }

  function dayAfter(day) {
    const next = new Date(`${day.slice(0, 10)}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    return next.toISOString().slice(0, 10);
  }

  function startOfMonthAfter(year, month) {
    return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, "0")}-01`;
  }

  /** The words shown for a row's date: its earliest–latest bounds, or the date as written. */
  function when(row) {
    const earliest = text(row, "earliest");
    const latest = text(row, "latest");
    if (earliest) return latest && latest !== earliest ? `${earliest} – ${latest}` : earliest;
    if (latest) return `on or before ${latest}`;
    return text(row, "date");
  }

  /** How a row's change reads before its label (a start reads as the label alone). */
  const CHANGES = { end: "Ends: ", published: "Published: ", modified: "Updated: " };

  const timeline = {
    label: "Timeline",
    icon: "⏱",
    handles(variables) {
      return variables.includes("label") && (variables.includes("date") || variables.includes("earliest"));
    },
    draw(root, variables, rows) {
      const items = [];
      const unplaced = [];
      rows.forEach((row, id) => {
        const placed = span(row);
        const label = text(row, "label") || text(row, "fact");
        const change = CHANGES[text(row, "change")] || "";
        const openStart = !text(row, "earliest") && Boolean(text(row, "latest"));
        if (!placed) {
          unplaced.push(row);
          return;
        }
        const [start, end, status] = placed;
        const content = linkTo(text(row, "fact"), change + (openStart ? "≤ " : "") + label);
        content.title = `${change}${label} — ${when(row)} (${status})`;
        items.push({
          id,
          start,
          end: end || undefined,
          type: end ? "range" : "point",
          className: status === "derived" ? "aia-derived" : "aia-stated",
          content,
          title: content.title,
        });
      });
      const box = element("div", "aia-timeline");
      box.setAttribute("role", "figure");
      box.setAttribute("aria-label", `Timeline of ${items.length} dated facts`);
      root.append(box, timelineKey(), unplacedList(unplaced));
      if (!items.length) {
        box.textContent = "No row has a date with a year to place on the timeline.";
        return {};
      }
      const chart = new vis.Timeline(box, items, {
        ...window_(items),
        stack: true,
        zoomKey: "ctrlKey",
        showCurrentTime: false,
        orientation: "top",
        margin: { item: 6 },
        tooltip: { followMouse: false },
      });
      chart.on("click", (event) => {
        const row = rows[event.item];
        const href = row && local(text(row, "fact"));
        if (href && !event.event.target.closest("a")) window.location.assign(href);
      });
      // Drawn while its tab was hidden, vis-timeline measures a zero width and stays blank until
      // its once-a-second size check: redraw as soon as the box gets its real size.
      const resized = new ResizeObserver(() => chart.redraw());
      resized.observe(box);
      root.aiaView = { kind: "timeline", items, chart };
      return {
        destroy: () => {
          resized.disconnect();
          chart.destroy();
        },
      };
    },
  };

  /** The span shown first: every item, with room on the right for the last labels. */
  function window_(items) {
    const times = items.flatMap((item) => [Date.parse(item.start), Date.parse(item.end || item.start)]);
    const first = Math.min(...times);
    const last = Math.max(...times);
    const month = 31 * 24 * 3600 * 1000;
    const room = Math.max(6 * month, (last - first) * 0.45);
    return { start: new Date(first - month), end: new Date(last + room) };
  }

  function timelineKey() {
    const key = element("p", "aia-key");
    key.append(
      element("span", "aia-key-stated", "stated date"),
      " · ",
      element("span", "aia-key-derived-day", "derived day"),
      " · ",
      element("span", "aia-key-derived", "derived bounds (earliest–latest, implied by the sources)"),
      " · ≤ on or before (no earlier bound) · a year or month as stated spans it.",
      " Ctrl + wheel zooms; drag to move.",
    );
    return key;
  }

  function unplacedList(rows) {
    const box = element("div", "aia-unplaced");
    if (!rows.length) return box;
    box.append(element("p", "", `Not placed: ${rows.length} fact(s) the sources date without a year.`));
    const list = element("ul");
    for (const row of rows) {
      const item = element("li");
      item.append(element("code", "", text(row, "date")), " ", linkTo(text(row, "fact"), text(row, "label")));
      list.append(item);
    }
    box.append(list);
    return box;
  }

  // ------------------------------------------------------------------- graph

  // How a query's columns become edges: from → to (directed) or between
  // parties (undirected), with a kind naming the edge.
  const RECIPES = [
    { from: "from_party", to: "to_party", kind: (row) => text(row, "kind"), between: "parties" },
    { from: "actor", to: "jurisdictions", kind: () => "restricts access in" },
    { from: "operators", to: "service", kind: () => "operates" },
    { from: "name", to: "organization", kind: (row) => text(row, "role") || "role at" },
    { from: "provider", to: "audiences", kind: () => "offers to" },
    { from: "from", to: "to", kind: (row) => text(row, "kind") || text(row, "label"), names: ["from_name", "to_name"] },
  ];

  /** The columns that may hold the fact an edge stands for, in order of preference. */
  const FACT_COLUMNS = ["relation", "restriction", "route", "membership", "offer", "fact"];

  function recipeFor(variables) {
    return RECIPES.find((recipe) => variables.includes(recipe.from) && variables.includes(recipe.to));
  }

  /** The edges rows describe: {from, to, kind, label, directed, source, fact}. */
  function edgesOf(variables, rows) {
    const recipe = recipeFor(variables);
    const edges = [];
    for (const row of rows) {
      const base = { kind: recipe.kind(row), label: text(row, "label"), source: sourceOf(row) };
      base.fact = FACT_COLUMNS.map((column) => text(row, column)).find(Boolean) || "";
      if (recipe.names) {
        const [from, to] = [text(row, recipe.from), text(row, recipe.to)];
        const [fromName, toName] = recipe.names.map((column) => text(row, column));
        if (from && to) edges.push({ ...base, from: fromName || from, to: toName || to, fromIri: from, toIri: to, directed: true });
        continue;
      }
      for (const from of names(text(row, recipe.from)))
        for (const to of names(text(row, recipe.to))) edges.push({ ...base, from, to, directed: true });
      const parties = recipe.between ? names(text(row, recipe.between)) : [];
      parties.forEach((a, i) => parties.slice(i + 1).forEach((b) => edges.push({ ...base, from: a, to: b, directed: false })));
    }
    return edges;
  }

  const graph = {
    label: "Graph",
    icon: "⇄",
    handles(variables) {
      return Boolean(recipeFor(variables));
    },
    draw(root, variables, rows) {
      const edges = edgesOf(variables, rows);
      const colours = new Map();
      for (const edge of edges)
        if (!colours.has(edge.source.key))
          colours.set(edge.source.key, { colour: PALETTE[colours.size % PALETTE.length], name: edge.source.name });
      const nodes = [...new Set(edges.flatMap((edge) => [edge.from, edge.to]))];
      const pages = new Map();
      for (const edge of edges) {
        if (local(edge.fromIri)) pages.set(edge.from, local(edge.fromIri));
        if (local(edge.toIri)) pages.set(edge.to, local(edge.toIri));
      }
      const box = element("div", nodes.length > 10 ? "aia-graph aia-graph-large" : "aia-graph");
      box.setAttribute("role", "img");
      box.setAttribute("aria-label", `Graph of ${nodes.length} parties and ${edges.length} links; the list below gives them as text`);
      root.append(box, legend(colours, "Colour of each source"), edgeList(edges));
      claimCytoscapeStyle();
      const cy = cytoscape({
        container: box,
        elements: [
          ...nodes.map((name) => ({ data: { id: `n:${name}`, name } })),
          ...edges.map((edge, i) => ({
            data: {
              id: `e${i}`,
              source: `n:${edge.from}`,
              target: `n:${edge.to}`,
              kind: edge.kind,
              colour: colours.get(edge.source.key).colour,
              arrow: edge.directed ? "triangle" : "none",
            },
          })),
        ],
        style: [
          {
            selector: "node",
            style: {
              label: "data(name)",
              "background-color": "#555",
              color: "#111",
              "font-size": 15,
              "text-valign": "bottom",
              "text-margin-y": 4,
              "text-background-color": "#fff",
              "text-background-opacity": 0.8,
              width: 18,
              height: 18,
            },
          },
          {
            selector: "edge",
            style: {
              // Many links: their names show on hover only (the list below has them all).
              label: edges.length > 24 ? "" : "data(kind)",
              "line-color": "data(colour)",
              "target-arrow-color": "data(colour)",
              "target-arrow-shape": "data(arrow)",
              "curve-style": "bezier",
              "control-point-step-size": 70,
              "font-size": 11,
              color: "#333",
              "text-rotation": "autorotate",
              "text-background-color": "#fff",
              "text-background-opacity": 0.8,
              width: 2.5,
            },
          },
          { selector: "edge.hover", style: { label: "data(kind)", width: 4, "z-index": 10 } },
        ],
        layout: layoutFor(nodes.length),
        maxZoom: 1.6,
      });
      cy.on("mouseover", "edge", (event) => event.target.addClass("hover"));
      cy.on("mouseout", "edge", (event) => event.target.removeClass("hover"));
      // A party with a page of its own opens it when chosen.
      cy.on("tap", "node", (event) => {
        const href = pages.get(event.target.data("name"));
        if (href) window.location.assign(href);
      });
      root.aiaView = { kind: "graph", edges, cy };
      return { destroy: () => cy.destroy() };
    },
  };

  /**
   * A deterministic layout: a circle, most linked first, for a few parties; rings by
   * number of links (the most linked in the middle) for more.
   */
  function layoutFor(count) {
    const byDegree = (a, b) => b.degree() - a.degree();
    if (count <= 10) return { name: "circle", animate: false, padding: 30, radius: Math.max(110, count * 30), sort: byDegree };
    return { name: "concentric", animate: false, padding: 20, minNodeSpacing: 90, concentric: (node) => node.degree(), levelWidth: () => 4 };
  }

  /**
   * Cytoscape.js adds a <style> element (one rule, which views.css holds) unless the
   * page has an element with its id; the pages' Content-Security-Policy would refuse
   * that style, so the link to views.css takes the id.
   */
  function claimCytoscapeStyle() {
    const id = "__________cytoscape_stylesheet";
    if (document.getElementById(id)) return;
    const sheet = document.querySelector('link[rel="stylesheet"][href*="/views.css"]');
    if (sheet) sheet.id = id;
  }

  function edgeList(edges) {
    const details = element("details", "aia-edges");
    details.append(element("summary", "", `The ${edges.length} links as text`));
    const list = element("ul");
    for (const edge of edges) {
      const item = element("li");
      const arrow = edge.directed ? " → " : " — ";
      item.append(`${edge.from}${arrow}${edge.to}: ${edge.kind}`, " (", linkTo(edge.fact, edge.label || edge.kind), `; ${edge.source.name})`);
      list.append(item);
    }
    details.append(list);
    return details;
  }

  // ------------------------------------------------------------------- chart

  function isNumber(binding) {
    if (!binding) return true;
    if (binding.type !== "literal" && binding.type !== "typed-literal") return false;
    return NUMERIC.test(binding.datatype || "") || (!binding.datatype && !binding["xml:lang"] && /^-?\d+(\.\d+)?$/.test(binding.value));
  }

  /** Which columns a chart uses: labels, an optional series column, and numbers. */
  function chartColumns(variables, rows) {
    const numeric = variables.filter((name) => rows.some((row) => row[name]) && rows.every((row) => isNumber(row[name])));
    const others = variables.filter((name) => !numeric.includes(name) && rows.some((row) => row[name]));
    const series = numeric.length === 1 ? others.slice(1).find((name) => new Set(rows.map((row) => text(row, name))).size <= 12) : undefined;
    return { labels: others[0], series, numeric };
  }

  function shortName(row, column) {
    const binding = row[column];
    if (!binding) return "";
    if (binding.type === "uri") return binding.value.replace(/^.*[/#]/, "");
    return binding.value;
  }

  const chart = {
    label: "Chart",
    icon: "▤",
    handles(variables, rows) {
      const { labels, numeric } = chartColumns(variables, rows);
      return rows.length > 0 && Boolean(labels) && numeric.length > 0;
    },
    draw(root, variables, rows) {
      const { labels: labelColumn, series, numeric } = chartColumns(variables, rows);
      const labels = [...new Set(rows.map((row) => shortName(row, labelColumn)))];
      let datasets;
      if (series) {
        const groups = [...new Set(rows.map((row) => text(row, series)))].sort();
        datasets = groups.map((group, i) => ({
          label: series === "language" && group ? `${languageNames.of(group)} article` : group,
          backgroundColor: PALETTE[i % PALETTE.length],
          data: labels.map((label) =>
            rows
              .filter((row) => shortName(row, labelColumn) === label && text(row, series) === group)
              .reduce((sum, row) => sum + Number(text(row, numeric[0]) || 0), 0),
          ),
        }));
      } else {
        datasets = numeric.map((column, i) => ({
          label: column,
          backgroundColor: PALETTE[i % PALETTE.length],
          data: labels.map((label) => Number(text(rows.find((row) => shortName(row, labelColumn) === label), column) || 0)),
        }));
      }
      const box = element("div", "aia-chart");
      box.style.height = `${Math.max(16, labels.length * 1.8 + 6)}rem`;
      const canvas = element("canvas");
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", `Bar chart of ${numeric.join(", ")} by ${labelColumn}${series ? ` and ${series}` : ""}`);
      box.append(canvas);
      root.append(box);
      const drawn = new Chart(canvas, {
        type: "bar",
        data: { labels, datasets },
        options: {
          indexAxis: "y",
          maintainAspectRatio: false,
          animation: false,
          scales: { x: { stacked: Boolean(series), ticks: { precision: 0 } }, y: { stacked: Boolean(series) } },
        },
      });
      root.aiaView = { kind: "chart", chart: drawn };
      return { destroy: () => drawn.destroy() };
    },
  };

  /** Run a SELECT query at the endpoint; return its variables and rows. */
  async function select(endpoint, query) {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { Accept: "application/sparql-results+json" },
      body: new URLSearchParams({ query }),
    });
    if (!response.ok) throw new Error(await response.text());
    const json = await response.json();
    return { variables: json.head.vars, rows: json.results.bindings };
  }

  const views = { timeline, graph, chart };

  /**
   * Draw a view on a page, from its element's data: data-aia-view (timeline, graph
   * or chart), data-query (a SELECT query) and data-endpoint (default /sparql).
   */
  async function show(root) {
    const view = views[root.dataset.aiaView];
    if (!view) return;
    root.classList.add("aia-view");
    root.setAttribute("aria-busy", "true");
    try {
      const { variables, rows } = await select(root.dataset.endpoint || "/sparql", root.dataset.query);
      if (!view.handles(variables, rows)) throw new Error(`the results have no columns for a ${view.label.toLowerCase()}`);
      view.draw(root, variables, rows);
    } catch (error) {
      root.append(element("p", "meta", `The ${view.label.toLowerCase()} could not be drawn: ${error.message}`));
    } finally {
      root.removeAttribute("aria-busy");
    }
  }

  return { local, select, show, views };
})();
