/* The DataStore preview (datatables_view) writes the figures of its measure
 * columns in the page's language: 309.667 in Indonesian, 309,667 in English.
 * The measure columns are the server's choice (charts/settings.py
 * measure_fields: years and codes stay as they are). Runs before the
 * preview's module initialises its table, through DataTables' defaults. */
(function ($) {
  'use strict';
  if (!$ || !$.fn || !$.fn.dataTable) { return; }
  var source = document.getElementById('satudata-measure-columns');
  var measures = source ? JSON.parse(source.textContent) : [];
  if (!measures.length) { return; }
  var lang = document.documentElement.getAttribute('lang') || 'id';
  var format = new Intl.NumberFormat(lang === 'en' ? 'en' : 'id', { maximumFractionDigits: 6 });
  $.extend(true, $.fn.dataTable.defaults, {
    rowCallback: function (row, data) {
      var api = this.api();
      api.columns().every(function (index) {
        var name = this.dataSrc();
        if (measures.indexOf(name) === -1) { return; }
        var value = data[name];
        if (value === null || value === undefined || value === '' || isNaN(Number(value))) { return; }
        var cell = row.cells[api.column(index).index('visible')];
        if (cell) { cell.textContent = format.format(Number(value)); }
      });
    }
  });
})(window.jQuery);
