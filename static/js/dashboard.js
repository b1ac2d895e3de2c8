/* Managers' dashboard: quarter selector, sortable tables and charts (Chart.js, vendored). */
(function () {
  "use strict";

  function autoSubmitQuarter() {
    var select = document.getElementById("quarter");
    if (select) select.addEventListener("change", function () { select.form.submit(); });
  }

  function sortValue(cell, kind) {
    var raw = cell.getAttribute("data-value");
    if (raw === null) raw = cell.textContent.trim();
    return kind === "number" ? parseFloat(raw) : raw;
  }

  function makeSortable(table) {
    var headers = table.querySelectorAll("thead th[data-sort]");
    headers.forEach(function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var kind = th.getAttribute("data-sort");
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = sortValue(a.cells[index], kind), y = sortValue(b.cells[index], kind);
          var order = kind === "number" ? x - y : String(x).localeCompare(String(y), "th");
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function go(links) {
    return function (event, elements) {
      if (elements.length && links) window.location.href = links[elements[0].index];
    };
  }

  function drawCharts(data) {
    if (typeof Chart === "undefined") return;
    Chart.defaults.font.family = "Sarabun, 'Noto Sans Thai', Tahoma, sans-serif";
    Chart.defaults.maintainAspectRatio = false;
    var dims = data.dimensions;
    new Chart(document.getElementById("dimension-chart"), {
      type: "bar",
      data: {
        labels: dims.labels,
        datasets: dims.datasets.map(function (d) {
          return { label: d.label, data: d.data, backgroundColor: d.color };
        })
      },
      options: {
        indexAxis: "y",
        scales: { x: { stacked: true }, y: { stacked: true } },
        onClick: go(dims.links)
      }
    });
    var statuses = data.statuses;
    new Chart(document.getElementById("status-chart"), {
      type: "doughnut",
      data: { labels: statuses.labels, datasets: [{ label: statuses.label, data: statuses.data, backgroundColor: statuses.colors }] },
      options: { onClick: go(statuses.links) }
    });
    var ratings = data.ratings;
    new Chart(document.getElementById("rating-chart"), {
      type: "bar",
      data: { labels: ratings.labels, datasets: [{ label: ratings.label, data: ratings.data, backgroundColor: ratings.colors }] },
      options: { plugins: { legend: { display: false } } }
    });
    var trend = data.trend;
    new Chart(document.getElementById("trend-chart"), {
      type: "line",
      data: {
        labels: trend.labels,
        datasets: trend.datasets.map(function (d) {
          return { label: d.label, data: d.data, borderColor: d.color, backgroundColor: d.color, spanGaps: false };
        })
      },
      options: { scales: { y: { beginAtZero: true } } }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    autoSubmitQuarter();
    document.querySelectorAll("table.sortable").forEach(makeSortable);
    var script = document.getElementById("dashboard-data");
    if (script) drawCharts(JSON.parse(script.textContent));
  });
})();
