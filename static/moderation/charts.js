// Draws every <canvas data-chart="ID"> from the JSON in <script id="ID">, with the vendored
// Chart.js (static/vendor/chartjs). The same figures are in a table next to each chart.
(function () {
  if (typeof Chart === "undefined") { return; }
  var colours = ["#2f7d32", "#1565c0", "#c62828", "#9e9e9e", "#6a1b9a", "#ef6c00"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var percent = function (value) { return Math.round(value * 100) + " %"; };
    new Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (dataset, index) {
          var colour = colours[index % colours.length];
          return {label: dataset.label, data: dataset.data, borderColor: colour,
                  backgroundColor: colour, spanGaps: true, pointRadius: 2};
        })
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          x: {stacked: spec.stacked, title: {display: !!spec.xTitle, text: spec.xTitle}},
          y: {stacked: spec.stacked, beginAtZero: true,
              max: spec.percent ? 1 : undefined,
              ticks: spec.percent ? {callback: percent} : {}}
        }
      }
    });
  });
})();
