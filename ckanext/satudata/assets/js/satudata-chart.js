/* Draws a chart from the Vega-Lite spec the server wrote next to it
 * (<script type="application/json">). The figure is readable without
 * JavaScript: a server-drawn SVG (noscript) and the table of its figures
 * (an open <details>), which is folded once the chart is drawn. */
this.ckan.module('satudata-chart', function ($) {
  'use strict';
  return {
    options: { specId: null },
    initialize: function () {
      var el = this.el[0];
      var source = document.getElementById(this.options.specId);
      if (!source || typeof window.vegaEmbed !== 'function') { return; }
      var spec = JSON.parse(source.textContent);
      var figure = el.closest('figure');
      window.vegaEmbed(el, spec, { actions: false, renderer: 'svg', tooltip: true })
        .then(function () {
          var svg = el.querySelector('svg');
          if (svg) {
            svg.setAttribute('role', 'img');
            svg.setAttribute('aria-label', spec.description || '');
          }
          el.setAttribute('data-rendered', 'true');
          var table = figure && figure.querySelector('details.satudata-chart-table');
          if (table) { table.open = false; }
        })
        .catch(function (error) {
          el.setAttribute('data-error', String(error));
        });
    }
  };
});
