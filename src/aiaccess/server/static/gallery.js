// The query gallery's filter: shows the cards whose text holds every word typed.
"use strict";

(() => {
  const input = document.getElementById("gallery-filter");
  const count = document.getElementById("gallery-count");
  const cards = [...document.querySelectorAll("#gallery > li")];
  input.closest(".gallery-filter").hidden = false;
  input.addEventListener("input", () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const card of cards) {
      const text = card.textContent.toLowerCase();
      card.hidden = !words.every((word) => text.includes(word));
      if (!card.hidden) shown += 1;
    }
    count.textContent = words.length ? `${shown} of ${cards.length} queries` : "";
  });
})();
