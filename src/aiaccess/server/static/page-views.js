// Draws the result views of views.js on a page: each element with data-aia-view
// ("timeline", "graph" or "chart") and data-query (a SELECT query; data-endpoint
// defaults to /sparql). The page also loads views.js, views.css and the view's
// library (vis-timeline, Cytoscape.js or Chart.js).
"use strict";

for (const root of document.querySelectorAll("[data-aia-view]")) AiaViews.show(root);
