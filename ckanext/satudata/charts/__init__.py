"""Charts of DataStore tables: what a chart shows (settings, rules), its
figures (query, one aggregate in PostgreSQL), its Vega-Lite spec (spec), the
server-side images (render), the resource view (view) and its pages (views)."""
