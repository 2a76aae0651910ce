// The index works without this script; with it, a reader can filter the contests by final
// decision or by text, and sort a table by clicking a column's header.
(function () {
  const decision = document.getElementById("filter-decision");
  const band = document.getElementById("filter-band");
  const timing = document.getElementById("filter-timing");
  const seat = document.getElementById("filter-seat");
  const text = document.getElementById("filter-text");
  const count = document.getElementById("filter-count");
  const rows = Array.from(document.querySelectorAll("tbody tr[data-race]"));
  function apply() {
    const wanted = decision.value;
    const lean = band.value;
    const words = text.value.trim().toLowerCase();
    let shown = 0;
    for (const row of rows) {
      const keep = (!wanted || row.dataset.final === wanted) &&
        (!lean || row.dataset.band === lean) &&
        (!timing.value || row.dataset.timing === timing.value) &&
        (!seat.value || row.dataset.seat === seat.value) &&
        (!words || row.textContent.toLowerCase().includes(words));
      row.hidden = !keep;
      if (keep) shown += 1;
    }
    count.textContent = shown + " of " + rows.length + " contests shown";
  }
  function sortBy(header) {
    const body = header.closest("table").tBodies[0];
    const key = header.dataset.sort;
    const order = header.dataset.order === "ascending" ? "descending" : "ascending";
    header.dataset.order = order;
    const value = (row) => {
      const raw = row.dataset[key] || "";
      const number = Number(raw);
      return raw !== "" && !Number.isNaN(number) ? number : raw.toLowerCase();
    };
    const sign = order === "ascending" ? 1 : -1;
    Array.from(body.rows)
      .sort((a, b) => (value(a) < value(b) ? -sign : value(a) > value(b) ? sign : 0))
      .forEach((row) => body.appendChild(row));
  }
  decision.addEventListener("change", apply);
  band.addEventListener("change", apply);
  timing.addEventListener("change", apply);
  seat.addEventListener("change", apply);
  text.addEventListener("input", apply);
  document.querySelectorAll("th[data-sort]").forEach((header) => {
    header.tabIndex = 0;
    header.addEventListener("click", () => sortBy(header));
  });
  document.getElementById("controls").hidden = false;
  apply();
})();
