// Quarterly results (bars) against planned targets (line) on the indicator page.
// Data comes from the json_script element "chart-data"; the table above is the accessible form.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("chart-data");
    var canvas = document.getElementById("quarter-chart");
    if (!source || !canvas || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var values = data.results.concat(data.targets).filter(function (v) { return v !== null; });
    // Head-room above the highest bar or target so the target line never sits on the frame.
    var top = values.length ? Math.max.apply(null, values) * 1.15 : 1;
    new window.Chart(canvas, {
      data: {
        labels: data.labels,
        datasets: [
          { type: "bar", label: data.result_label, data: data.results, backgroundColor: "#15803d" },
          {
            type: "line", label: data.target_label, data: data.targets,
            borderColor: "#b45309", backgroundColor: "#b45309", pointRadius: 4, spanGaps: true
          }
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, suggestedMax: top } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
