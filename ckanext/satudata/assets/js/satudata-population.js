/* Population dashboard: the semester picker shows the chosen semester at once,
 * the desa search filters the table while typing. Both work without
 * JavaScript through their forms (GET). */
this.ckan.module('satudata-semester-picker', function ($) {
  'use strict';
  return {
    initialize: function () {
      var form = this.el[0];
      var select = form.querySelector('select');
      if (select) {
        select.addEventListener('change', function () { form.submit(); });
      }
    }
  };
});

this.ckan.module('satudata-desa-filter', function ($) {
  'use strict';
  return {
    options: { table: null, count: null },
    initialize: function () {
      var input = this.el[0];
      var table = document.getElementById(this.options.table);
      var count = document.getElementById(this.options.count);
      if (!table) { return; }
      var rows = Array.prototype.slice.call(table.tBodies[0].rows);
      var format = new Intl.NumberFormat(document.documentElement.lang || 'id');
      input.addEventListener('input', function () {
        var needle = input.value.trim().toLowerCase();
        var shown = 0;
        rows.forEach(function (row) {
          var match = !needle || row.textContent.toLowerCase().indexOf(needle) !== -1;
          row.hidden = !match;
          if (match) { shown += 1; }
        });
        if (count) { count.textContent = format.format(shown); }
      });
    }
  };
});
